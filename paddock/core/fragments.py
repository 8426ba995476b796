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
`PADDOCK_FRAGMENT_CACHE = False` turns it off: nothing is kept between requests, and a memo
computes its value once per request (the sites that routing and links both need, the private
subtrees that several lists filter by), as a request with it on reads each version once. A
cache that is down is the same, rather than failing the page.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

from . import pagecache

T = TypeVar("T")
logger = logging.getLogger(__name__)
# This process's own copies (settings.CACHES): Django's in-memory cache, which pickles, so
# every use gets objects of its own.
LOCAL = "local"


# With kept parts off: what each memo computed during this request, by name (None outside
# requests, where every call computes).
_request_values: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "paddock_request_memos", default=None
)


@receiver(request_started, dispatch_uid="paddock.core.fragments.request_started")
def _request_started(sender, **kwargs) -> None:
    _request_values.set({})


@receiver(request_finished, dispatch_uid="paddock.core.fragments.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _request_values.set(None)


def enabled() -> bool:
    return getattr(settings, "PADDOCK_FRAGMENT_CACHE", True)


def _for_this_request(name: str, compute: Callable[[], T | None]) -> T | None:
    """`compute()` once per request (nothing kept past it)."""
    values = _request_values.get()
    if values is None:
        return compute()
    if name in values:
        return values[name]
    value = compute()
    if value is not None:
        values[name] = value
    return value


def memo(name: str, tags: Iterable[str], compute: Callable[[], T | None]) -> T | None:
    """`compute()`, kept until one of `tags` changes: from this process's own copy when it has
    a current one, else from the cache. None is not kept (the next call computes again), so
    that what strangers ask for and is not there fills no cache."""
    if not enabled():
        return _for_this_request(name, compute)
    try:
        stamp = "-".join(str(v) for v in pagecache.request_versions(tags).values())
    except Exception:  # the cache is down: pages still render, reading the database
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return _for_this_request(name, compute)
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
