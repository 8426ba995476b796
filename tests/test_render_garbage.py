"""A page served through the WSGI application gunicorn loads (config/wsgi.py) leaves nothing
for Python's garbage collector: the request, the template context, the page and its comments
are freed by their reference counts as soon as the answer is sent (paddock/core/memory.py).
A render that left them in reference cycles made the collector walk some 200 objects a page,
in a collection every hundred renders."""

from __future__ import annotations

import gc
from collections import Counter

import pytest
from django.test.utils import override_settings

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core.tests.test_pagecache import wsgi  # noqa: F401 - the fixture
from paddock.newsroom.tests.factories import ContributorFactory, make_article, make_section

pytestmark = pytest.mark.django_db

NOTHING_KEPT = {"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": False}
PARTS_KEPT = {"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": True}


@pytest.fixture
def pages():
    news = make_section("News")
    writer = ContributorFactory(display_name="Ana Ruiz")
    article = make_article(news, title="Halvorsen builds where it sells", authors=[writer])
    for n in range(3):
        make_article(news, title=f"Related {n}", authors=[writer], tags=["batteries"])
    reader = ReaderFactory()
    first = comments.comment_create(
        user=reader, article_id=article.pk, body="First!", screen=False, notify=False
    )
    comments.comment_create(
        user=reader,
        article_id=article.pk,
        body="A reply.",
        parent_id=first.pk,
        screen=False,
        notify=False,
    )
    return [article.url, f"{article.url}?csort=newest", news.url, "/", "/no-such-page/"]


def _garbage(call, path: str) -> Counter:
    """What the collector finds unreachable after serving `path` once (warmed up first)."""
    call(path)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        status = call(path).status
        gc.collect()
        found = Counter(type(o).__qualname__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert status in (200, 404), (path, status)
    return found


@pytest.mark.parametrize("mode", [NOTHING_KEPT, PARTS_KEPT], ids=["nothing kept", "parts kept"])
def test_a_served_page_leaves_nothing_for_the_garbage_collector(wsgi, pages, mode):  # noqa: F811
    with override_settings(**mode):
        for path in pages:
            assert _garbage(wsgi, path) == Counter(), path


def test_the_check_sees_a_cycle_when_there_is_one(wsgi, pages):  # noqa: F811
    # A view's request held in a cycle (what Django's own handler leaves): the check finds it.
    from django.core.handlers.wsgi import WSGIRequest

    from paddock.core import handler, memory

    with override_settings(**NOTHING_KEPT):
        handler.Handler.request_class = WSGIRequest
        try:
            found = _garbage(wsgi, pages[0])
        finally:
            handler.Handler.request_class = memory.FreeingRequest
    assert found["WSGIRequest"] == 1
