"""The site chrome's snapshot: what every page shows around its content (the section menu, the
sidebar's recent comments, the masthead, the footer menu), read from the database in one round
trip and kept by each process until the versions of the tags it is made from change.

Apps register the parts they own (`register(name, tags, query, load)`): `query()` gives a
queryset, or SQL and its parameters, written once per process (its parameters are constants:
nothing in it depends on the request or the time), `load(rows)` turns its rows into an
immutable value. Core knows no app.

SQL written once a process may hold values read from the database when it was written (the
ids of the role groups, so that PostgreSQL plans for those groups' own sizes). Its rows then
say when those values are out of date, and `load` raises `OutOfDate`: the SQL is written again
and the part read again, once.

`get(name)` gives a part's value:

- kept (PADDOCK_FRAGMENT_CACHE on, the default): the value this process read under the
  current versions of the part's tags (`pagecache.request_versions`, read once a request,
  before the database). When the site changes, the first request of each process that needs a
  part re-reads every stale part at once: one round trip, once a process, not once a part
  (outside requests, in tasks and commands, only the part asked for is read);
- nothing kept (PADDOCK_FRAGMENT_CACHE off, or the cache down): every request reads every part
  from the database, all in one round trip (on PostgreSQL, the statements sent together in
  pipeline mode; SQLite runs in the process and takes them one by one), and reuses what it
  read for the rest of the request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import psycopg
from django.core.signals import request_finished, request_started
from django.db import connections
from django.dispatch import receiver

from . import fragments, pagecache, shapes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    name: str
    tags: tuple[str, ...]
    # A QuerySet (values_list) or (sql, params), written once per process.
    query: Callable[[], Any]
    load: Callable[[list[tuple]], Any]  # rows → an immutable value


class OutOfDate(Exception):
    """Raised by a part's `load` when its rows say that what its SQL was written with has
    changed since (see the module)."""


_PARTS: dict[str, Part] = {}
# name → (stamp, value): what this process read last, with the versions it was read under.
_kept: dict[str, tuple[str, Any]] = {}
_lock = threading.Lock()
# (alias, name) → (sql, params), written by the ORM once per process.
_sql: dict[tuple[str, str], tuple[str, tuple]] = {}
# The parts this request read, so that a request reads the database for them at most once.
_request_parts: ContextVar[dict[str, Any] | None] = ContextVar("paddock_chrome", default=None)


def register(
    name: str, tags: Iterable[str], query: Callable[[], Any], load: Callable[[list], Any]
) -> None:
    """Make `name` a part of the snapshot, kept under `tags` (page-cache tags)."""
    _PARTS[name] = Part(name, tuple(tags), query, load)


@receiver(request_started, dispatch_uid="paddock.core.chrome.request_started")
def _request_started(sender, **kwargs) -> None:
    _request_parts.set({})


@receiver(request_finished, dispatch_uid="paddock.core.chrome.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _request_parts.set(None)


def clear() -> None:
    """Forget what this process kept (tests)."""
    with _lock:
        _kept.clear()


def get(name: str) -> Any:
    """The current value of the part `name`."""
    seen = _request_parts.get()
    if seen is not None and name in seen:
        return seen[name]
    stamps = _stamps() if fragments.enabled() else None
    if stamps is not None:
        kept = _kept.get(name)
        if kept is not None and kept[0] == stamps[name]:
            if seen is not None:
                seen[name] = kept[1]
            return kept[1]
        # In a request, every part this process holds under older versions, read again
        # together; outside requests (tasks, commands), only the one asked for.
        wanted = [n for n in _PARTS if seen is not None and (_kept.get(n) or ("",))[0] != stamps[n]]
    else:
        wanted = [n for n in _PARTS if seen is not None and n not in seen]
    if name not in wanted:
        wanted.append(name)
    values = _read(wanted)
    if stamps is not None:
        with _lock:
            for part, value in values.items():
                _kept[part] = (stamps[part], value)
    if seen is not None:
        seen.update(values)
    return values[name]


def _stamps() -> dict[str, str] | None:
    """Each part's tags' versions as this request read them, or None when the cache is down
    (then nothing is kept: every request reads the database)."""
    tags = {tag for part in _PARTS.values() for tag in part.tags}
    try:
        found = pagecache.request_versions(sorted(tags))
    except Exception:
        logger.warning("Cache unavailable for the site chrome", exc_info=True)
        return None
    return {name: "-".join(str(found[tag]) for tag in part.tags) for name, part in _PARTS.items()}


def _compiled(alias: str, part: Part) -> tuple[str, tuple]:
    key = (alias, part.name)
    found = _sql.get(key)
    if found is None:
        query = part.query()
        if isinstance(query, tuple):
            sql, params = query
        else:
            sql, params = query.query.get_compiler(using=alias).as_sql()
        found = _sql[key] = _with_constants(connections[alias], sql, tuple(params))
    return found


def _with_constants(connection, sql: str, params: tuple) -> tuple[str, tuple]:
    """On PostgreSQL, a part's parameters (constants, see the module) written into its SQL as
    literals, quoted by the driver: a statement with parameters gets a plan for any value,
    which cannot use an index made for some values only (Recent Comments' is for published
    comments), so PostgreSQL planned it again at every execution; with none, it plans it once
    a connection."""
    if connection.vendor != "postgresql" or not params:
        return sql, params
    connection.ensure_connection()
    with psycopg.ClientCursor(connection.connection) as cursor:
        written = cursor.mogrify(sql, params)
    # Executed with no parameters, a % in it still reads as the start of one.
    return written.replace("%", "%%"), ()


def _read(names: list[str]) -> dict[str, Any]:
    """The parts `names`, read from the database in one round trip where it allows it."""
    parts = [_PARTS[name] for name in names]
    # The primary: nothing read must be older than the versions the request read before.
    alias = "default"
    connection = connections[alias]
    statements = [_compiled(alias, part) for part in parts]
    results = shapes.execute_together(connection, statements)
    values = {}
    for part, rows in zip(parts, results, strict=True):
        try:
            values[part.name] = part.load(rows)
        except OutOfDate:
            logger.info("The SQL of the site chrome's part %s is written again", part.name)
            _sql.pop((alias, part.name), None)
            [rows] = shapes.execute_together(connection, [_compiled(alias, part)])
            values[part.name] = part.load(rows)  # written just now: it cannot be out of date
    return values
