"""A table locked by something else answers its requests "try again" (503 with Retry-After)
within the lock timeout, while a page the cache holds keeps answering at once."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection
from django.test import Client

from paddock.comments.models import Comment
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lock timeout"),
]


def test_locked_table_gives_a_timely_503_while_cached_pages_answer(settings):
    cached = make_article(make_section("News"), title="Cached one")
    uncached = make_article(make_section("Reviews"), title="Not cached")
    visitor = Client(raise_request_exception=False)
    assert visitor.get(cached.url).status_code == 200  # now in the page cache

    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "5s"  # what settings.py asks of every connection
        cursor.execute("SET lock_timeout = '1s'")  # the same, quicker for a test

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        other.execute(f"LOCK TABLE {Comment._meta.db_table} IN ACCESS EXCLUSIVE MODE")

        started = time.monotonic()
        assert visitor.get(cached.url).status_code == 200
        assert time.monotonic() - started < 0.5

        started = time.monotonic()
        busy = visitor.get(uncached.url)
        waited = time.monotonic() - started
        assert busy.status_code == 503
        assert busy["Retry-After"] == "5"
        assert "try again" in busy.content.decode()
        assert waited < 3
        other.rollback()
    assert visitor.get(uncached.url).status_code == 200
