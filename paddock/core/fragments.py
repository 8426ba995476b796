"""Parts of pages kept between requests: the section menu, the sidebar, an article's byline and
related articles, the sites and sections that routing needs.

`memo(name, tags, compute)` keeps a value under the versions of the page-cache tags it is made
from ("site", "recent": see pagecache.py), so a change that bumps a tag makes it stale exactly
when it makes the pages stale. A page rendered after a comment was posted thus re-reads the
discussion and nothing else.

Within a request, the tags' versions are those the request read first
(`pagecache.request_versions`, at most one round trip for the page and all its parts), before
it read the database: a part kept under a version never predates it, and a cached page and the
parts it was made of agree. Outside requests (tasks, commands) they are read at each call.
`PADDOCK_FRAGMENT_CACHE = False` turns it off (every memo computes its value); a cache that is
down does too, rather than failing the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar
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
# Stale-while-revalidate (memo's stale_ok): the one process making a stale part again holds
# its lock at most this long; the others serve the last copy made, kept under LAST_PREFIX.
LOCK_SECONDS = 10
LOCK_PREFIX = "pc:lock:"
LAST_PREFIX = "pc:last:"


# Parts this process alone keeps (`here`): name → (stamp, value), the latest of each name.
_here: dict[str, tuple[str, object]] = {}
HERE_MAX_ENTRIES = 2000


# The parts this request made or read (`memo`): each is read once a request, however many of
# its templates and helpers ask for it (with nothing kept, made once a request).
_request_made: ContextVar[dict | None] = ContextVar("paddock_fragments_made", default=None)


@receiver(request_started, dispatch_uid="paddock.core.fragments.request_started")
def _request_started(sender, **kwargs) -> None:
    _request_made.set({})


@receiver(request_finished, dispatch_uid="paddock.core.fragments.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _request_made.set(None)


def enabled() -> bool:
    return getattr(settings, "PADDOCK_FRAGMENT_CACHE", True)


def memo(
    name: str, tags: Iterable[str], compute: Callable[[], T | None], *, stale_ok: bool = False
) -> T | None:
    """`compute()`, kept until one of `tags` changes: from this process's own copy when it has
    a current one, else from the cache. None is not kept (the next call computes again), so
    that what strangers ask for and is not there fills no cache.

    `stale_ok`: when the part is stale (the site changed) and another process is making it
    again already, serve the copy made under the previous versions rather than make it a
    second time (stale-while-revalidate): one process re-renders a part after a publish, the
    others keep serving. Never a copy older than a change that said it must not be served
    stale (`pagecache.invalidate(..., fresh=True)`), and the page that shows it is not stored
    in the page cache (`pagecache.served_stale`)."""
    if not enabled():
        return _once_a_request(name, compute)
    tags = list(tags)
    try:
        found = pagecache.request_versions(tags)
    except Exception:  # the cache is down: pages still render, reading the database
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    stamp = "-".join(str(v) for v in found.values())
    key = f"pc:memo:{name}:{stamp}"
    made = _request_made.get()
    if made is not None and key in made:  # read once a request, as with nothing kept
        return made[key]
    local = caches[LOCAL]
    value = local.get(key)
    if value is not None:
        if made is not None:
            made[key] = value
        return value
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return compute()
    if value is None:
        lock = f"{LOCK_PREFIX}{name}:{stamp}"
        locked = False
        if stale_ok:
            locked = _lock(lock)
            if not locked:  # another process is making it: its previous copy, if allowed
                stale = _stale_copy(name, tags, found)
                if stale is not None:
                    pagecache.note_stale()
                    return stale
        was_stale = pagecache.served_stale()
        try:
            value = compute()
            if value is None:
                return None
            if pagecache.served_stale() and not was_stale:
                return value  # made from a stale part: neither kept nor offered as the last
            _keep(name, key, found, value, stale_ok)
        finally:
            if locked:
                _unlock(lock)
    local.set(key, value, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
    if made is not None:
        made[key] = value
    return value


def _once_a_request(name: str, compute: Callable[[], T | None]) -> T | None:
    """With nothing kept, a part is still read once a request, not at each use (the
    versions a request reads are read once too: the same as with parts kept)."""
    made = _request_made.get()
    if made is None:
        return compute()
    if name not in made:
        made[name] = compute()
    return made[name]


def _keep(name: str, key: str, found: dict[str, int], value, stale_ok: bool) -> None:
    kept = {key: value}
    if stale_ok:  # the copy others may serve while this part is made again after a change
        kept[LAST_PREFIX + name] = (found, value)
    try:
        cache.set_many(kept, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not keep %s", name, exc_info=True)


def _lock(key: str) -> bool:
    """Whether this process may make the part (no other is making it); a lock outlives a
    process that died making it by LOCK_SECONDS at most."""
    try:
        return bool(cache.add(key, 1, timeout=LOCK_SECONDS))
    except Exception:
        return True


def _unlock(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("Could not unlock %s", key, exc_info=True)


def _stale_copy(name: str, tags: list[str], current: dict[str, int]):
    """The last copy made of the part, unless a tag changed since with `fresh=True`."""
    try:
        last = cache.get(LAST_PREFIX + name)
        if last is None:
            return None
        made_under, value = last
        floors = pagecache.fresh_floors(tags)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return None
    for tag in tags:
        version = made_under.get(tag)
        if version is None or version < floors[tag] or version > current[tag]:
            return None
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
