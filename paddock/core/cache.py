"""Django's Redis cache, with one client per connection pool instead of one per call, and a
variant that lets the site go on without Redis.

Django's backend builds a new `redis.Redis` for every cache operation; with redis-py 8 that
means setting up a few hundred response callbacks each time, several times the cost of the
round trip itself on a page that reads the cache a handful of times. A client is thread-safe
(its pool hands each command a connection), so one per pool serves every thread.

`RedisCache` raises when Redis cannot be reached, for callers that have a fallback of their
own (the rate-limit store, paddock/core/limitstore.py). `TolerantRedisCache` is the one the
site's caches use (config/settings.py): Redis is a cache there, never the only copy of
anything, so while it cannot be reached

- a read is a miss: pages render from the database;
- a write is dropped and logged, and its key is remembered (up to `DIRTY_MAX` keys): the
  first call that reaches Redis again deletes those keys before anything else (past that
  many, it logs an error: pages may then be stale until they expire). A delete is
  always a safe replay for a cache (a missing tag version makes everything kept under it
  stale, paddock/core/pagecache.py), where replaying an old value might not be;
- after one failure, Redis is left alone for `RETRY_SECONDS` (each call is then a miss at
  once instead of another connection attempt), then tried again: Redis coming back is
  picked up within that time, without a restart.

Django's own backend has no option for this (django-redis's IGNORE_EXCEPTIONS would be
one, but it forgets the writes it drops, and an invalidation dropped would keep a stale page).
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


class _Server:
    """What this process knows of one Redis server, shared by every cache alias on it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.dirty: set[str] = set()
        self.overflowed = False


_servers: dict[str, _Server] = {}
_servers_lock = threading.Lock()


def _server(location: str) -> _Server:
    with _servers_lock:
        return _servers.setdefault(location, _Server())


class TolerantRedisCache(RedisCache):
    RETRY_SECONDS = 1.0
    DIRTY_MAX = 10_000

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._server = _server(server if isinstance(server, str) else ",".join(server))

    # --- Reaching Redis ---------------------------------------------------------------------
    def _down(self) -> bool:
        return time.monotonic() < self._server.down_until

    def _remember(self, keys) -> None:
        state = self._server
        with state.lock:
            if len(state.dirty) + len(keys) <= self.DIRTY_MAX:
                state.dirty.update(keys)
            else:
                state.overflowed = True

    def _failed(self, error: BaseException, keys=()) -> None:
        state = self._server
        with state.lock:
            state.down_until = time.monotonic() + self.RETRY_SECONDS
        if keys:
            self._remember(keys)
        logger.warning("Cache unreachable, going on without it for now: %s", error)

    def _recovered(self) -> None:
        """Delete what was written while Redis could not be reached, before anything else."""
        state = self._server
        if not state.dirty and not state.overflowed:
            return
        with state.lock:
            dirty, state.dirty = state.dirty, set()
            overflowed, state.overflowed = state.overflowed, False
        try:
            if dirty:
                self._cache.delete_many(list(dirty))
                logger.warning("Cache back: %d keys written meanwhile deleted", len(dirty))
            if overflowed:
                # Emptying the whole database would also drop the task queue kept beside it.
                logger.error(
                    "Cache back, but more than %d writes were dropped meanwhile: cached pages "
                    "may be stale until they expire (PADDOCK_PAGE_CACHE_SECONDS)",
                    self.DIRTY_MAX,
                )
        except UNREACHABLE as error:
            with state.lock:
                state.dirty |= dirty
                state.overflowed |= overflowed
            raise error

    def _run(self, name: str, keys, miss, *args):
        """Call the client's `name`; on failure answer `miss` (and, for a write, remember
        `keys`)."""
        if self._down():
            if keys:
                self._remember(keys)
            return miss
        try:
            self._recovered()
            return getattr(self._cache, name)(*args)
        except UNREACHABLE as error:
            self._failed(error, keys)
            return miss

    def reachable(self) -> bool:
        """Ask Redis now, whatever the last failure was (for /healthz)."""
        try:
            self._cache.get_client().ping()
            self._recovered()
        except UNREACHABLE as error:
            self._failed(error)
            return False
        self._server.down_until = 0.0
        return True

    # --- The cache API ----------------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._run("add", [key], False, key, value, self.get_backend_timeout(timeout))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._run("get", (), default, key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._run("set", [key], None, key, value, self.get_backend_timeout(timeout))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._run("touch", (), False, key, self.get_backend_timeout(timeout))

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._run("delete", [key], False, key)

    def get_many(self, keys, version=None) -> dict:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._run("get_many", (), {}, list(key_map))
        return {key_map[k]: v for k, v in found.items()}

    def has_key(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._run("has_key", (), False, key)

    def incr(self, key, delta=1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        missing = object()
        value = self._run("incr", [key], missing, key, delta)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        if not data:
            return []
        safe = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        self._run("set_many", list(safe), None, safe, self.get_backend_timeout(timeout))
        return []

    def delete_many(self, keys, version=None) -> None:
        if not keys:
            return
        safe = [self.make_and_validate_key(key, version=version) for key in keys]
        self._run("delete_many", safe, None, safe)

    def clear(self) -> bool:
        return self._run("clear", (), False)


class WrittenOnceCache(BaseCache):
    """Wagtail's renditions cache (the `renditions` alias): the default cache, less the writes
    Wagtail repeats. `Image.get_rendition` writes the rendition it returns to the cache every
    time, even one it had prefetched: a list of twelve articles rendered cold wrote twelve keys
    to Redis. A key this process wrote less than `WRITE_AGAIN_SECONDS` ago is not written
    again; reads and deletes go through, so a rendition deleted by another process is read
    from the database, never from a stale copy kept here."""

    WRITE_AGAIN_SECONDS = 60.0

    def __init__(self, location, params) -> None:
        super().__init__(params)
        self._written: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def _cache(self):
        from django.core.cache import caches  # this module is loaded while caches are set up

        return caches["default"]

    def _due(self, key: str, now: float) -> bool:
        written = self._written.get(key)
        return written is None or now - written > self.WRITE_AGAIN_SECONDS

    def _wrote(self, keys, now: float) -> None:
        with self._lock:
            if len(self._written) > 10_000:
                self._written.clear()
            for key in keys:
                self._written[key] = now

    def get(self, key, default=None, version=None):
        return self._cache.get(key, default, version=version)

    def get_many(self, keys, version=None):
        return self._cache.get_many(keys, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        now = time.monotonic()
        if self._due(key, now):
            self._cache.set(key, value, timeout, version=version)
            self._wrote([key], now)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        now = time.monotonic()
        due = {key: value for key, value in data.items() if self._due(key, now)}
        failed = self._cache.set_many(due, timeout, version=version) if due else []
        self._wrote([key for key in due if key not in failed], now)
        return failed

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._cache.add(key, value, timeout, version=version)

    def delete(self, key, version=None) -> bool:
        with self._lock:
            self._written.pop(key, None)
        return self._cache.delete(key, version=version)

    def delete_many(self, keys, version=None) -> None:
        with self._lock:
            for key in keys:
                self._written.pop(key, None)
        self._cache.delete_many(keys, version=version)

    def clear(self) -> None:
        with self._lock:
            self._written.clear()
        self._cache.clear()
