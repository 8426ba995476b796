"""Page numbers from the query string: a sane number is read, anything else is refused."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.http import Http404
from django.test import RequestFactory

from paddock.core.pagination import (
    MAX_PAGE_NUMBER,
    OpenPage,
    links,
    page_number,
    page_or_404,
    parse_page_number,
)

# What crawlers, scanners and mistyped links put in `?page=`.
BAD_PAGE_NUMBERS = [
    "",
    "abc",
    "0",
    "-1",
    "+1",
    "1e5",
    "1.0",
    " 1",
    "1 ",
    "0x10",
    "٣",  # an Arabic-Indic three: isdigit() says yes, int() would read it
    "１",  # a full-width one
    "\x00",
    "1\x00",
    "1' OR 1=1",
    str(MAX_PAGE_NUMBER + 1),
    "99999999999999999999",
    "9" * 5000,  # past int()'s digit limit, which raises rather than return
]


def _request(query: dict):
    return RequestFactory().get("/list/", query)


@pytest.mark.parametrize("bad", BAD_PAGE_NUMBERS)
def test_anything_but_a_sane_positive_number_is_no_page(bad):
    assert parse_page_number(bad) is None
    assert page_number(_request({"page": bad})) is None


@pytest.mark.parametrize(
    ("raw", "number"), [("1", 1), ("2", 2), ("007", 7), (str(MAX_PAGE_NUMBER), MAX_PAGE_NUMBER)]
)
def test_a_sane_number_is_read(raw, number):
    assert page_number(_request({"page": raw})) == number


def test_no_number_asked_for_is_the_first_page():
    assert page_number(_request({})) == 1
    assert page_number(_request({"page": "abc"}), "cpage") == 1


def test_the_parameter_is_named_by_the_caller():
    request = _request({"page": "abc", "p": "3"})
    assert page_number(request, "p") == 3
    assert page_number(request) is None


def test_of_repeated_values_the_last_is_read():
    # As QueryDict.get reads it, and Django's own views with it.
    request = RequestFactory().get("/list/?page=2&page=x")
    assert page_number(request) is None


def test_page_or_404_gives_the_page_or_a_404():
    paginator = Paginator(range(25), 10)
    assert list(page_or_404(paginator, 3).object_list) == [20, 21, 22, 23, 24]
    for number in (None, 4, MAX_PAGE_NUMBER):
        with pytest.raises(Http404):
            page_or_404(paginator, number)


def test_an_empty_list_has_a_first_page():
    assert list(page_or_404(Paginator([], 10), 1).object_list) == []


def test_a_lists_links_name_its_neighbours_and_keep_the_search():
    pages = Paginator(range(25), 10)
    first = links(pages.page(1))
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    assert "<span>Page 1 of 3</span>" in first
    middle = links(pages.page(2), query='brakes & "discs"/pads')
    assert 'href="?q=brakes%20%26%20%22discs%22/pads&amp;page=1"' in middle
    assert 'href="?q=brakes%20%26%20%22discs%22/pads&amp;page=3"' in middle
    last = links(pages.page(3))
    assert 'rel="prev" href="?page=2"' in last and 'rel="next"' not in last
    assert links(Paginator(range(5), 10).page(1)) == ""


def test_a_list_not_counted_links_its_neighbours_without_a_number_of_pages():
    first = links(OpenPage(list(range(10)), 1, more=True))
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    assert "<span>Page 1</span>" in first
    middle = links(OpenPage(list(range(10)), 2, more=True))
    assert 'rel="prev" href="?page=1"' in middle and 'rel="next" href="?page=3"' in middle
    last = OpenPage([1, 2], 3, more=False)
    assert 'rel="prev" href="?page=2"' in links(last) and 'rel="next"' not in links(last)
    assert list(last) == [1, 2] and len(last) == 2 and last[1] == 2
    assert links(OpenPage([1, 2], 1, more=False)) == ""
