"""Parts of pages kept between requests: the section menu, the sidebar, an article's byline and
related articles, the sites and sections that routing needs.

`memo(name, tags, compute)` keeps a value under the versions of the page-cache tags it is made
from ("site", "recent": see pagecache.py), so a change that bumps a tag makes it stale exactly
when it makes the pages stale. A page rendered after a comment was posted thus re-reads the
discussion and nothing else.

Within a request, the tags' versions are those the request read first
(`pagecache.request_versions`, one round trip for the page and all its parts), before it read
the database: a part kept under a version never predates it, and a cached page and the parts
it was made of agree. Outside requests (tasks, commands) they are read at each call.
`PADDOCK_FRAGMENT_CACHE = False` turns it off (every memo computes its value); a cache that is
down does too, rather than failing the page.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from . import pagecache

T = TypeVar("T")
logger = logging.getLogger(__name__)


def enabled() -> bool:
    return getattr(settings, "PADDOCK_FRAGMENT_CACHE", True)


class _Kept:
    """This process's copies of the values it read or computed last, pickled (each use gets
    objects of its own, since threads share them), under their full keys: a key holds the tags'
    versions, so a copy is only ever found while it is current. Least recently used out first,
    within ENTRIES and MAX_BYTES; no older than PADDOCK_PAGE_CACHE_SECONDS, as in the cache."""

    ENTRIES = 2000
    MAX_BYTES = 32 * 1024 * 1024

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self.bytes = 0

    def get(self, key: str) -> bytes | None:
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return None
            if item[1] < time.monotonic():
                self._drop(key)
                return None
            self.items.move_to_end(key)
            return item[0]

    def put(self, key: str, data: bytes) -> None:
        if len(data) > self.MAX_BYTES:
            return
        expires = time.monotonic() + settings.PADDOCK_PAGE_CACHE_SECONDS
        with self.lock:
            if key in self.items:
                self._drop(key)
            self.items[key] = (data, expires)
            self.bytes += len(data)
            while len(self.items) > self.ENTRIES or self.bytes > self.MAX_BYTES:
                self._drop(next(iter(self.items)))

    def _drop(self, key: str) -> None:
        data, _ = self.items.pop(key)
        self.bytes -= len(data)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.bytes = 0


_kept = _Kept()


def clear_local() -> None:
    """Forget this process's copies (tests, after clearing the cache)."""
    _kept.clear()


def memo(name: str, tags: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, kept until one of `tags` changes (`compute` must not return None): from
    this process's own copy when it has a current one, else from the cache."""
    if not enabled():
        return compute()
    try:
        stamp = "-".join(str(v) for v in pagecache.request_versions(tags).values())
    except Exception:  # the cache is down: pages still render, reading the database
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    key = f"pc:memo:{name}:{stamp}"
    data = _kept.get(key)
    if data is not None:
        return pickle.loads(data)  # noqa: S301 - written by this process just above
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not keep %s", name, exc_info=True)
    _kept.put(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value
