"""Paddock's pages build their URLs without reverse() and get what Wagtail's own code gives."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_page_urls_are_wagtails():
    news = make_section("News")
    articles = [
        make_article(news, title="Halvorsen builds where it sells"),
        make_article(news, title="Zoë's über-coupé, tested"),
    ]
    home = Site.objects.get(is_default_site=True).root_page.specific
    request = RequestFactory().get("/")
    for page in (home, news, *articles):
        for asked in (None, request):
            assert page.get_url_parts(asked) == Page.get_url_parts(page, asked), page.slug
        assert page.get_url() == Page.get_url(page)
        assert page.get_full_url() == Page.get_full_url(page)
    assert "%C3%BC" in articles[1].get_url()  # "ü", quoted as reverse() quotes it


def test_a_url_from_the_site_root_paths_is_what_get_url_answers(settings):
    """core.urls.site_page_url (the footer's links, made without a page) against Wagtail's
    Page.get_url, seen from each of two sites: its own pages without the host, the other's
    with it, and None (Wagtail's turn) where both sites claim the page."""
    from paddock.core.urls import site_page_url

    settings.ALLOWED_HOSTS = ["testserver", "elsewhere.test"]
    news = make_section("News")
    reviews = make_section("Reviews")
    article = make_article(news, title="Halvorsen builds where it sells")
    elsewhere = Page.get_first_root_node().add_child(
        instance=Page(title="Elsewhere", slug="elsewhere")
    )
    about = elsewhere.add_child(instance=Page(title="About us", slug="about-us"))
    Site.objects.create(hostname="elsewhere.test", port=80, root_page=elsewhere)
    claimed = Site.objects.create(hostname="news.test", port=80, root_page=news)
    default = Site.objects.get(is_default_site=True)
    root_paths = Site.get_site_root_paths()
    for host in ("testserver", "elsewhere.test"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        site = Site.find_for_request(request)
        for page in (reviews, about):
            url = site_page_url(page.url_path, root_paths, site.pk)
            assert url == Page.get_url(page, request), (host, page.slug)
        for page in (news, article):  # two sites claim them
            assert site_page_url(page.url_path, root_paths, site.pk) is None
    assert (
        site_page_url(about.url_path, root_paths, default.pk) == "http://elsewhere.test/about-us/"
    )
    claimed.delete()
    assert site_page_url(article.url_path, Site.get_site_root_paths(), default.pk) == Page.get_url(
        article, RequestFactory().get("/")
    )
