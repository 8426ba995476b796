"""The full-page cache: anonymous readers get public pages from the cache, and a change
invalidates exactly the pages that show it.

A view opts in by calling `cacheable(request, *tags)` while it renders: the tags name what the
page shows ("site": articles, sections, people; "recent": the sidebar's recent comments;
"article:<pk>": one article's page with its discussion). Each tag has a version in the page
cache; a change bumps the versions of its tags (`invalidate`), after its transaction commits.
A cached page keeps the versions its tags had *before* it read the database, so a page rendered
while a change was committing is already stale when stored, never served as fresh.

Only requests that carry no session or messages cookie are served from or stored in the cache,
and only responses that set no cookie and used no CSRF token: nothing personal is ever cached.
Signed-in readers get pages rendered for them, marked private. Cached responses carry an ETag
and Cache-Control with s-maxage and stale-while-revalidate, so nginx or a CDN can keep them too.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

logger = logging.getLogger(__name__)

ALIAS = "pages"
TAG_PREFIX = "pc:tag:"
PAGE_PREFIX = "pc:page:"
# Cookies that mean the response may be personal: a session (signed in, or a pending flash
# message in the session) or flash messages kept in a cookie.
PERSONAL_COOKIES = ("sessionid", "messages")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def enabled() -> bool:
    return getattr(settings, "PADDOCK_PAGE_CACHE", True)


def _cache():
    return caches[ALIAS]


def _personal(request: HttpRequest) -> bool:
    names = {settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES}
    return any(name in request.COOKIES for name in names)


def shareable(request: HttpRequest) -> bool:
    """Whether this request's page could be shared with every anonymous reader (whether or
    not the cache is on): a GET or HEAD with no personal cookie."""
    return request.method in ("GET", "HEAD") and not _personal(request)


def _key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def versions(tags) -> dict[str, int]:
    """The current version of each tag (one round trip to the cache)."""
    tags = list(tags)
    if not tags:
        return {}
    found = _cache().get_many([TAG_PREFIX + tag for tag in tags])
    return {tag: found.get(TAG_PREFIX + tag, 0) for tag in tags}


def cacheable(request: HttpRequest, *tags: str) -> None:
    """Mark the page being rendered as cacheable for anonymous readers, depending on `tags`.
    Call it before reading what the tags stand for."""
    if not hasattr(request, "_page_cache_tags"):
        return  # not through the middleware (e.g. the test client's raw view call)
    new = [tag for tag in tags if tag not in request._page_cache_tags]
    request._page_cache_tags.update(versions(new))


def invalidate(*tags: str) -> None:
    """Make every cached page showing any of these tags stale, once the transaction commits."""
    transaction.on_commit(lambda: bump(*tags))


def bump(*tags: str) -> None:
    """Make pages showing these tags stale now (after the change is committed)."""
    cache = _cache()
    for tag in tags:
        key = TAG_PREFIX + tag
        # A version is the time of the change, so no process can reuse an old one, and a
        # cache that lost the key (eviction) still makes everything it held stale.
        stamp = time.time_ns()
        try:
            current = cache.get(key, 0)
            cache.set(key, max(stamp, current + 1), timeout=None)
        except Exception:  # the cache is down: nothing cached can be served either
            logger.warning("Could not invalidate %s", tag, exc_info=True)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        _purge_front_ends(tags)


def remember(name: str, value) -> bool:
    """Keep a small value beside the pages (e.g. which comments the sidebar lists); True
    when it differs from what was kept before."""
    key = "pc:memo:" + name
    cache = _cache()
    try:
        if cache.get(key) == value:
            return False
        cache.set(key, value, timeout=None)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
    return True


def _purge_front_ends(tags) -> None:
    """Tell the configured CDN or Varnish (Wagtail's frontend cache) what changed."""
    from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

    from paddock.core.urls import absolute_url

    for tag in tags:
        if tag.startswith("article:"):
            from paddock.newsroom.models import ArticlePage

            article = ArticlePage.objects.filter(pk=int(tag.split(":", 1)[1])).first()
            if article and article.live:
                purge_url_from_cache(article.full_url)
        else:  # a site-wide change: the pages readers land on first
            purge_url_from_cache(absolute_url("/"))


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; store what views marked cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not enabled() or _personal(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and _personal(request):
                patch_cache_control(response, private=True)
            return response
        key = _key(request)
        hit = self._lookup(key)
        if hit is not None:
            return self._respond(request, hit, "HIT")
        request._page_cache_tags = {}
        response = self.get_response(request)
        tags = request._page_cache_tags
        if not tags or not self._storable(request, response):
            return response
        entry = {
            "content": response.content,
            "status": response.status_code,
            "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            "tags": tags,
            "etag": quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest()),
        }
        try:
            _cache().set(key, entry, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not store a page in the cache", exc_info=True)
        return self._respond(request, entry, "MISS", response=response)

    @staticmethod
    def _lookup(key: str) -> dict | None:
        try:
            entry = _cache().get(key)
            if entry is None or versions(entry["tags"]) != entry["tags"]:
                return None
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            return None
        return entry

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        # A page that used a CSRF token holds a form tied to this visitor: never shared.
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )

    @staticmethod
    def _respond(
        request: HttpRequest, entry: dict, state: str, response: HttpResponse | None = None
    ) -> HttpResponse:
        if request.headers.get("If-None-Match") == entry["etag"]:
            response = HttpResponseNotModified()
        elif response is None:
            response = HttpResponse(entry["content"], status=entry["status"])
            for name, value in entry["headers"].items():
                response[name] = value
        response["ETag"] = entry["etag"]
        response["X-Page-Cache"] = state
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.PADDOCK_PAGE_CACHE_SHARED_SECONDS,
            stale_while_revalidate=settings.PADDOCK_PAGE_CACHE_STALE_SECONDS,
        )
        return response


def public(*tags: str):
    """Decorate a view whose page anonymous readers may get from the cache (see `cacheable`)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            cacheable(request, *tags)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# What most public pages show: articles and people ("site"), and the sidebar's recent comments.
PAGE_TAGS = ("site", "recent")
FEED_TAGS = ("site",)


def memo(name: str, tags, compute):
    """A value computed from what `tags` stand for (e.g. the section menu), kept until one
    of them changes: one cache read instead of the queries behind it."""
    from django.core.cache import cache

    stamp = "-".join(str(v) for v in versions(tags).values())
    key = f"pc:memo:{name}:{stamp}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
    return value
