"""URLs joined from a pattern written once per process give what reverse() gives."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from paddock.core.urls import page_path, reverse_one, reverse_slug, reverse_slugs


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/magazine/"])
@pytest.mark.parametrize(
    "path", ["", "news/", "news/halvorsen-builds-where-it-sells/", "über/zoë-s-car_2/"]
)
def test_a_page_path_is_what_wagtails_serve_pattern_reverses_to(script_prefix, prefix, path):
    script_prefix(prefix)
    assert page_path(path) == reverse("wagtail_serve", args=(path,))
    assert page_path(path).startswith(prefix)


@pytest.mark.parametrize("path", ["news", "news//", "a b/", "news/?x=1/"])
def test_a_path_outside_the_pattern_is_left_to_reverse(path):
    assert page_path(path) is None
    with pytest.raises(NoReverseMatch):
        reverse("wagtail_serve", args=(path,))


@pytest.mark.parametrize("prefix", ["/", "/magazine/"])
def test_a_slug_is_joined_where_reverse_puts_it(script_prefix, prefix):
    script_prefix(prefix)
    for slug in ("ana-ruiz", "A_1", "x"):
        expected = reverse("newsroom:author", kwargs={"slug": slug})
        assert reverse_slug("newsroom:author", "slug", slug) == expected


def test_a_value_that_is_not_a_slug_fails_as_reverse_does():
    for value in ("zoë", "a/b", "", "a b"):
        with pytest.raises(NoReverseMatch):
            reverse_slug("newsroom:author", "slug", value)


@pytest.mark.parametrize("prefix", ["/", "/magazine/"])
def test_one_argument_is_joined_where_reverse_puts_it(script_prefix, prefix):
    script_prefix(prefix)
    for name, value in [
        ("comments:permalink", 42),  # <int:pk>
        ("comments:vote", "7"),
        ("accounts:identicon", "3f9a0c1d2e4b5a69"),  # <str:seed>
        ("newsroom:author", "ana-ruiz"),  # <slug:slug>, by position
    ]:
        assert reverse_one(name, value) == reverse(name, args=[value])
        assert reverse_one(name, value, prefix) == reverse(name, args=[value])


@pytest.mark.parametrize("prefix", ["/", "/magazine/"])
def test_slugs_are_joined_where_reverse_puts_them(script_prefix, prefix):
    script_prefix(prefix)
    for make, model in (("volvo", "ex30"), ("a_1", "B-2"), ("x", "x")):
        expected = reverse("newsroom:vehicle_model", kwargs={"make_slug": make, "slug": model})
        assert reverse_slugs("newsroom:vehicle_model", make_slug=make, slug=model) == expected
        # In either order of the keywords, as reverse() takes them.
        assert reverse_slugs("newsroom:vehicle_model", slug=model, make_slug=make) == expected
    for name, slug in (("newsroom:make", "volvo"), ("newsroom:tag", "batteries-2")):
        assert reverse_slug(name, "slug", slug) == reverse(name, kwargs={"slug": slug})


def test_slugs_outside_the_pattern_go_to_reverse():
    # The tag pattern takes any word characters: reverse() answers for a Unicode slug.
    assert reverse_slug("newsroom:tag", "slug", "zoë") == reverse(
        "newsroom:tag", kwargs={"slug": "zoë"}
    )
    with pytest.raises(NoReverseMatch):
        reverse_slugs("newsroom:vehicle_model", make_slug="volvo", slug="a/b")


@pytest.mark.django_db
def test_a_request_reads_the_script_prefix_once_when_it_starts():
    """current_script_prefix() answers what Django set before request_started, from the
    request's own copy, and get_script_prefix() again once the request has finished."""
    from django.core.signals import request_finished, request_started

    from paddock.core import urls

    set_script_prefix("/magazine/")
    try:
        request_started.send(sender=None, environ={})
        try:
            assert urls._request_prefix.get() == "/magazine/"
            assert urls.current_script_prefix() == "/magazine/"
            assert reverse_slugs("newsroom:author", slug="kai") == "/magazine/authors/kai/"
            assert page_path("industry/") == "/magazine/industry/"
        finally:
            request_finished.send(sender=None)
        assert urls._request_prefix.get() is None
        set_script_prefix("/elsewhere/")
        assert urls.current_script_prefix() == "/elsewhere/"
        assert page_path("industry/") == "/elsewhere/industry/"
    finally:
        set_script_prefix("/")
