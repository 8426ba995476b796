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
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches

from . import pagecache

T = TypeVar("T")
logger = logging.getLogger(__name__)
# This process's own copies (settings.CACHES): Django's in-memory cache, which pickles, so
# every use gets objects of its own.
LOCAL = "local"


# Parts this process alone keeps (`here`): name → (stamp, value), the latest of each name.
_here: dict[str, tuple[str, object]] = {}
HERE_MAX_ENTRIES = 2000


def enabled() -> bool:
    return getattr(settings, "PADDOCK_FRAGMENT_CACHE", True)


def memo(name: str, tags: Iterable[str], compute: Callable[[], T | None]) -> T | None:
    """`compute()`, kept until one of `tags` changes: from this process's own copy when it has
    a current one, else from the cache. None is not kept (the next call computes again), so
    that what strangers ask for and is not there fills no cache."""
    if not enabled():
        return compute()
    try:
        stamp = "-".join(str(v) for v in pagecache.request_versions(tags).values())
    except Exception:  # the cache is down: pages still render, reading the database
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    key = f"pc:memo:{name}:{stamp}"
    local = caches[LOCAL]
    value = local.get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        if value is None:
            return None
        try:
            cache.set(key, value, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not keep %s", name, exc_info=True)
    local.set(key, value, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
    return value


def here(name: str, tags: Iterable[str], compute: Callable[[], T | None]) -> T | None:
    """`compute()`, kept by this process alone until one of `tags` changes: no round trip to
    the shared cache and no pickling, for parts cheap to make again from what the process
    keeps anyway (the site chrome's snapshot, paddock/core/chrome.py), which each process then
    makes once after a change. Keep only immutable values (strings)."""
    if not enabled():
        return compute()
    try:
        stamp = "-".join(str(v) for v in pagecache.request_versions(tags).values())
    except Exception:  # the cache is down: pages still render, reading the database
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    found = _here.get(name)
    if found is not None and found[0] == stamp:
        return found[1]  # type: ignore[return-value]
    value = compute()
    if value is not None:
        if len(_here) >= HERE_MAX_ENTRIES:
            _here.clear()
        _here[name] = (stamp, value)
    return value


def clear_here() -> None:
    """Forget what this process keeps for itself (tests)."""
    _here.clear()
