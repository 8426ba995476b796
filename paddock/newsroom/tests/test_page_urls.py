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
