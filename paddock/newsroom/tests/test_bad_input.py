"""Bad addresses and parameters get the site's own 404 page, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from .factories import (
    ContributorFactory,
    MakeFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/",
    "/news/",
    "/tags/ev/",
    "/makes/volvo/",
    "/makes/volvo/ex30/",
    "/authors/ana-ruiz/",
    "/archive/2024/",
    "/archive/2024/3/",
]
BAD_PAGE_NUMBERS = [
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1e5",
    "٣",
    "１",
    "1.0",
    " 1",
    "",
    "\x00",
    "100001",
]


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end; each test runs in a
    savepoint within it, as with Django's TestCase.setUpTestData."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            with disable_reference_index_auto_update():
                data = _newsroom()
            yield data
        finally:
            transaction.set_rollback(True)


def _newsroom():
    news = make_section("News")
    volvo = MakeFactory(name="Volvo")
    make_article(
        news,
        title="The only story",
        authors=[ContributorFactory(display_name="Ana Ruiz")],
        tags=["ev"],
        makes=[volvo],
        vehicle_models=[VehicleModelFactory(make=volvo, name="EX30")],
        published_at=dt.datetime(2024, 3, 5, tzinfo=dt.UTC),
    )
    return news


def assert_styled_404(response, what: str) -> None:
    assert response.status_code == 404, what
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "Page not found", what
    assert page.title.get_text().startswith("Page not found"), what
    # The site's own chrome, not Django's bare "Not Found".
    assert page.select_one("header.site-header") is not None, what
    assert page.select_one("form[role=search] input[name=q]") is not None, what


def test_lists_exist_before_we_break_them(client, newsroom):
    for url in LISTS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/news/no-such-article/",
        "/news/the-only-story/extra/",
        "/feeds/nothing/",
        "/tags/",
        "/%E2%98%83/",
        "/tags/%00/",
        "/authors/" + "a" * 300 + "/",
    ],
)
def test_unknown_address_gets_the_styled_404_page(client, newsroom, url):
    assert_styled_404(client.get(url), url)


def test_bad_page_numbers_are_404_on_every_list(client, newsroom):
    for url in LISTS:
        for number in BAD_PAGE_NUMBERS:
            response = client.get(url, {"page": number})
            assert response.status_code == 404, (url, number)
    assert_styled_404(client.get("/", {"page": "abc"}), "/?page=abc")


def test_a_page_past_the_last_is_404_on_every_list(client, newsroom):
    for url in LISTS:
        assert client.get(url, {"page": "1"}).status_code == 200, url
        assert client.get(url, {"page": "2"}).status_code == 404, url


@pytest.mark.parametrize(
    "url",
    [
        "/archive/0/",
        "/archive/2024/13/",
        "/archive/2024/0/",
        "/archive/99999/",
        "/archive/9999/12/",
        "/archive/99999999999999999999/",
        "/archive/2024/4/",
        "/archive/2023/",
        "/archive/-1/",
        "/archive/2024/march/",
    ],
)
def test_archive_dates_off_the_calendar_or_without_articles_are_404(client, newsroom, url):
    assert_styled_404(client.get(url), url)


@pytest.mark.parametrize(
    "url",
    [
        "/tags/no-such-tag/",
        "/makes/no-such-make/",
        "/makes/volvo/no-such-model/",
        "/makes/no-such-make/ex30/",
        "/authors/no-such-author/",
    ],
)
def test_unknown_tag_make_model_or_author_is_404(client, newsroom, url):
    assert_styled_404(client.get(url), url)


def test_writes_to_read_only_pages_are_refused_not_crashed(client, newsroom):
    for url in ["/tags/ev/", "/authors/ana-ruiz/", "/archive/2024/", "/search/", "/contributors/"]:
        assert client.post(url).status_code == 405, url
