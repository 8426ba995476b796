"""The PostgreSQL backend's health check (paddock/core/postgresql): a kept connection the
server ended between two requests is opened again, the next request answered as usual; a
healthy one is taken without a round trip."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "paddock.core.postgresql",
        reason="the PostgreSQL backend's own check (DATABASE_URL=postgres://…)",
    ),
    # The connection must be idle between requests, as on the site: no test transaction.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _end(pid: int) -> None:
    """End a connection's server process from another connection, as an administrator or a
    restart would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("server_side_binding", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def request(client: Client, path: str) -> int:
    """A request as the site's handler starts one (Django's test client leaves out the check
    of kept connections that every request begins with)."""
    close_old_connections()
    return client.get(path).status_code


def test_a_connection_ended_by_the_server_is_opened_again_for_the_next_request():
    client = Client()
    assert request(client, "/healthz") == 200
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    assert connection.is_usable()
    _end(pid)
    deadline = time.monotonic() + 5
    while connection.is_usable():  # the server's goodbye takes a moment to arrive
        assert time.monotonic() < deadline, "the ended connection still looked usable"
        time.sleep(0.01)
    assert request(client, "/healthz") == 200
    assert connection.connection.info.backend_pid != pid


def test_a_healthy_idle_connection_is_taken_without_a_query(monkeypatch):
    connection.ensure_connection()
    sent = []
    raw = connection.connection
    original = raw.cursor

    def cursor(*args, **kwargs):
        sent.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(raw, "cursor", cursor)
    assert connection.is_usable()
    assert sent == []
    raw.execute("BEGIN")  # in a transaction (never between requests): asked as Django does
    sent.clear()
    try:
        assert connection.is_usable()
        assert sent == [1]
    finally:
        raw.execute("ROLLBACK")
