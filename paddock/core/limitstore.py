"""Where rate limits are counted: one store for every app process, kept across restarts.

The "limits" cache alias (config/settings.py) is a `LimitCache` over Redis when there is one,
else over `DatabaseStore`, a small table (core.RateLimitEntry) in the site's database. Paddock's
own limits (paddock/core/ratelimit.py) and allauth's (pointed here by paddock/accounts/apps.py)
both count in it. A count in each process's memory would let N processes allow N times the
limit, and forget it on every restart.

Counting is correct under concurrency because every write is one statement: `add` is an
INSERT … ON CONFLICT … DO UPDATE … WHERE expired … RETURNING (so of many processes adding the
same key exactly one succeeds, which Paddock's windows and allauth's locks rely on) and `incr`
an UPDATE … RETURNING. Both need SQLite 3.35 or later, or PostgreSQL.

When the store cannot be reached, limits go on in the process's memory (a local limit: N
processes allow up to N times the limit) rather than stop, or fail the request.
"""

from __future__ import annotations

import base64
import logging
import pickle
import random
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Counts outlive no window longer than a day; an entry "forever" still expires in ten years.
_FOREVER = 10 * 365 * 24 * 3600
# One write in this many also deletes expired entries, which keeps the table small.
_PRUNE_EVERY = 200


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (DatabaseError, OSError)
    try:
        from redis.exceptions import RedisError
    except ImportError:
        return errors
    return (*errors, RedisError)


class DatabaseStore(BaseCache):
    """A cache backend over core.RateLimitEntry, for the few operations limits need: add, incr,
    get, set, delete. Counters (ints) sit in a column of their own, so they add up in SQL."""

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)

    # --- SQL --------------------------------------------------------------------------------
    def _db(self) -> str:
        # A cache backend may be loaded before the app registry is ready; the model is not.
        from .models import RateLimitEntry

        return router.db_for_write(RateLimitEntry)

    def _table(self, connection) -> str:
        from .models import RateLimitEntry  # see _db

        return connection.ops.quote_name(RateLimitEntry._meta.db_table)

    def _execute(self, sql: str, params: list[Any]) -> tuple[list[tuple], int]:
        """Run one statement; inside a transaction, in a savepoint of its own, so that a failed
        write cannot spoil the request's transaction (PostgreSQL refuses every later query of
        a transaction that had an error)."""
        connection = connections[self._db()]
        table = self._table(connection)

        def run() -> tuple[list[tuple], int]:
            with connection.cursor() as cursor:
                cursor.execute(sql.format(table=table), params)
                rows = cursor.fetchall() if cursor.description else []
                return rows, cursor.rowcount

        if connection.in_atomic_block:
            with transaction.atomic(using=connection.alias):
                return run()
        return run()

    def _expiry(self, timeout: float | None | object) -> float:
        expires = self.get_backend_timeout(timeout)
        return time.time() + _FOREVER if expires is None else expires

    @staticmethod
    def _encode(value: Any) -> tuple[str, int | None]:
        if isinstance(value, int) and not isinstance(value, bool):
            return "", value
        return base64.b64encode(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)).decode(), None

    @staticmethod
    def _decode(value: str, count: int | None) -> Any:
        if count is not None:
            return count
        return pickle.loads(base64.b64decode(value))  # noqa: S301 - only this store writes it

    def _maybe_prune(self) -> None:
        if random.randrange(_PRUNE_EVERY) == 0:  # noqa: S311 - not a secret
            self._execute("DELETE FROM {table} WHERE expires <= %s", [time.time()])

    # --- The cache API ----------------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        encoded, count = self._encode(value)
        rows, _ = self._execute(
            "INSERT INTO {table} (cache_key, value, count, expires) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
            "count = excluded.count, expires = excluded.expires "
            "WHERE {table}.expires <= %s RETURNING cache_key",
            [key, encoded, count, self._expiry(timeout), time.time()],
        )
        self._maybe_prune()
        return bool(rows)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        encoded, count = self._encode(value)
        self._execute(
            "INSERT INTO {table} (cache_key, value, count, expires) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
            "count = excluded.count, expires = excluded.expires",
            [key, encoded, count, self._expiry(timeout)],
        )
        self._maybe_prune()

    def get(self, key, default=None, version=None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        rows, _ = self._execute(
            "SELECT value, count FROM {table} WHERE cache_key = %s AND expires > %s",
            [key, time.time()],
        )
        return self._decode(*rows[0]) if rows else default

    def incr(self, key, delta=1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        rows, _ = self._execute(
            "UPDATE {table} SET count = count + %s "
            "WHERE cache_key = %s AND expires > %s AND count IS NOT NULL RETURNING count",
            [delta, key, time.time()],
        )
        if not rows:
            raise ValueError(f"Key '{key}' not found (or not a number).")
        return rows[0][0]

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        _, updated = self._execute(
            "UPDATE {table} SET expires = %s WHERE cache_key = %s AND expires > %s",
            [self._expiry(timeout), key, time.time()],
        )
        return updated > 0

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        _, deleted = self._execute("DELETE FROM {table} WHERE cache_key = %s", [key])
        return deleted > 0

    def has_key(self, key, version=None) -> bool:
        return self.get(key, _MISSING, version=version) is not _MISSING

    def clear(self) -> None:
        self._execute("DELETE FROM {table}", [])


_MISSING = object()


class LimitCache(BaseCache):
    """The shared store named in OPTIONS["STORE"] (a cache's settings), with the process's own
    memory in its place whenever the store cannot be reached."""

    def __init__(self, location: str, params: dict) -> None:
        options = dict(params.get("OPTIONS", {}))
        store = dict(options.pop("STORE"))
        super().__init__({**params, "OPTIONS": options})
        backend = import_string(store.pop("BACKEND"))
        self.store: BaseCache = backend(store.pop("LOCATION", ""), store)
        self.local = LocMemCache("paddock-limits-local", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self._errors = _unreachable_errors()

    def _call(self, name: str, *args, **kwargs):
        try:
            return getattr(self.store, name)(*args, **kwargs)
        except self._errors as error:
            logger.warning("Rate-limit store unreachable, counting in this process: %s", error)
            return getattr(self.local, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("add", key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._call("set", key, value, timeout, version)

    def get(self, key, default=None, version=None) -> Any:
        return self._call("get", key, default, version)

    def incr(self, key, delta=1, version=None) -> int:
        return self._call("incr", key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None) -> bool:
        return self._call("delete", key, version)

    def has_key(self, key, version=None) -> bool:
        return self._call("has_key", key, version)

    def clear(self) -> None:
        self.local.clear()
        self._call("clear")
