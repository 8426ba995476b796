"""PostgreSQL's timestamps are read by psycopg's compiled loader (paddock/core/db.py,
`compiled_timestamps`), into the same values Django's own loader gives."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's timestamptz"),
]

STORED = [
    "2026-12-04 18:04:28.123456+00",
    "2026-12-04 18:04:28+00",
    "2026-03-29 01:30:00.5+02",  # an offset: read as the same instant, in UTC
    "1999-12-31 23:59:59.999999-08",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _read(values: list[str]) -> list[datetime.datetime]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
            [values],
        )
        return [value for (value,) in cursor.fetchall()]


def test_timestamps_read_the_same_as_djangos_loader_gives_them():
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg import adapters
    from psycopg.pq import Format

    ours = _read(STORED)
    oid = adapters.types["timestamptz"].oid
    loader = connection.connection.adapters.get_loader(oid, Format.TEXT)
    # Compiled where psycopg has its C implementation (psycopg[binary], as pinned).
    assert not issubclass(loader, BaseTzLoader)
    # Django's zone is the session's (UTC): the registered class makes psycopg's compiled
    # loaders themselves, which psycopg calls directly, with no Python call for a value.
    with connection.cursor() as cursor:
        made = loader(oid, cursor.cursor)
        assert type(made) is adapters.get_loader(oid, Format.TEXT)
        assert type(made).__module__.startswith("psycopg_binary")
    assert loader.timezone == connection.timezone  # what Django checks before each cursor

    class Djangos(BaseTzLoader):
        timezone = connection.timezone

    with connection.cursor() as cursor:
        cursor.adapters.register_loader(oid, Djangos)
        cursor.execute(
            "SELECT v::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
            [STORED],
        )
        djangos = [value for (value,) in cursor.fetchall()]

    assert ours == djangos
    assert [value.tzinfo for value in ours] == [datetime.UTC] * len(STORED)
    assert ours[2] == datetime.datetime(2026, 3, 28, 23, 30, 0, 500000, tzinfo=datetime.UTC)
    assert [value.isoformat() for value in ours] == [value.isoformat() for value in djangos]


def test_a_timestamp_written_is_read_back_the_same():
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [now])
        (read,) = cursor.fetchone()
    assert read == now and read.tzinfo is datetime.UTC
