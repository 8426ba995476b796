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

A hit is answered in front of Django (`PageCacheApp`, wrapped around the WSGI application in
config/wsgi.py), from the headers the page left Django with, so it carries the same security
headers as when it was rendered. Each process keeps the pages it served last in memory, with
the tag versions it saw: a version is read again from the shared cache at most every
PADDOCK_PAGE_CACHE_LOCAL_SECONDS, so a change made by another process shows within that time,
and one made by this process at once. A page rendered, and the parts of pages kept apart
(fragments.py), take their versions the same way (`request_versions`).
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

from paddock.core.lru import SizedLRU
from paddock.core.urls import absolute_url

logger = logging.getLogger(__name__)

ALIAS = "pages"
TAG_PREFIX = "pc:tag:"
# The first version of a tag under which a part of a page may be served stale
# (`bump(..., fresh=True)`: what the change removed must not show again, even for a moment).
FRESH_PREFIX = "pc:fresh:"
PAGE_PREFIX = "pc:page:"
# Cookies that mean the response may be personal: a session (signed in, or a pending flash
# message in the session) or flash messages kept in a cookie.
PERSONAL_COOKIES = ("sessionid", "messages")
# Headers a stored page leaves out: those that belong to one response (Date, X-Request-ID),
# those every answer sets anew (ETag, Cache-Control, Expires, Content-Length, X-Page-Cache),
# and cookies, which a stored page never sets anyway.
UNSTORED_HEADERS = frozenset(
    {
        "set-cookie",
        "date",
        "content-length",
        "x-request-id",
        "etag",
        "cache-control",
        "expires",
        "x-page-cache",
    }
)
# Keys PageCacheApp leaves in the WSGI environ when it found no page: the middleware then does
# not look again, and stores the page under the key of the path as it came in.
MISSED = "paddock.page_cache.missed"
KEY = "paddock.page_cache.key"
# The most page bytes one process keeps in memory (besides PADDOCK_PAGE_CACHE_LOCAL_ENTRIES).
LOCAL_MAX_BYTES = 64 * 1024 * 1024


def enabled() -> bool:
    return getattr(settings, "PADDOCK_PAGE_CACHE", True)


def _cache():
    return caches[ALIAS]


def _personal_names() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)


def _personal(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in _personal_names())


def _personal_environ(environ: dict) -> bool:
    """`_personal` from the raw Cookie header, parsed only when a name occurs in it."""
    header = environ.get("HTTP_COOKIE")
    if not header:
        return False
    names = _personal_names()
    if not any(name in header for name in names):
        return False
    cookies = parse_cookie(header)
    return any(name in cookies for name in names)


def _unshared_path(path_info: str) -> bool:
    """Static files and media: WhiteNoise and the media view answer them, never the cache."""
    return path_info.startswith(
        tuple(prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix)
    )


def shareable(request: HttpRequest) -> bool:
    """Whether this request's page could be shared with every anonymous reader (whether or
    not the cache is on): a GET or HEAD with no personal cookie."""
    return request.method in ("GET", "HEAD") and not _personal(request)


def _scheme(environ: dict) -> str:
    # As Django's request.scheme: a trusted proxy's header wins over the server's own.
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure else "http"
    return environ.get("wsgi.url_scheme", "http")


def _host(environ: dict) -> str:
    # The host Django validates against ALLOWED_HOSTS (request.get_host()): a page is only
    # stored once Django accepted it, so a key only ever names an allowed host.
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    elif "HTTP_HOST" in environ:
        host = environ["HTTP_HOST"]
    else:
        host = f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    return host.lower()


def page_key(environ: dict) -> str:
    """The cache key of the page a request asks for, from its WSGI environ (Django's
    request.META is that environ): scheme, host, path and query string. Django decodes
    PATH_INFO in place, so a request PageCacheApp has seen carries the key it used (KEY)."""
    address = (
        f"{_scheme(environ)}://{_host(environ)}"
        f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
        f"?{environ.get('QUERY_STRING', '')}"
    )
    return PAGE_PREFIX + hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()


def versions(tags) -> dict[str, int]:
    """The current version of each tag (one round trip to the cache). A tag the cache has no
    version of (never changed, or the cache was emptied) gets the time as its first one, so a
    version is never seen twice: what was kept under a version before the cache was emptied
    can never pass for current afterwards. While the cache cannot be reached, each call gives
    its tags the time as their version: nothing kept under an earlier one passes for current,
    and a change made meanwhile, which could not bump its tags, shows at once."""
    tags = list(tags)
    if not tags:
        return {}
    cache = _cache()
    keys = [TAG_PREFIX + tag for tag in tags]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    first = time.time_ns()
    if missing:
        for key in missing:
            cache.add(key, first, timeout=None)  # whoever comes first sets it
        found.update(cache.get_many(missing))
    return {tag: found.get(TAG_PREFIX + tag, first) for tag in tags}


# The versions a request saw, each read once, the first time the request needed it: the page
# and the parts of it kept apart (fragments.py) then agree on what they show. None outside
# requests, where every call reads afresh.
_request_versions: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "paddock_request_versions", default=None
)
# The tags nearly every page depends on: read together at a request's first need.
COMMON_TAGS = ("site", "recent")
# The other tags a request to each address read the last time this process served it (an
# article page's own "article:<id>"), read with the common ones at the next request's first
# need: one round trip to the cache instead of two. A tag read early is never a mistake (a
# version read before what it stands for); one no longer needed costs a key in that read.
_address_tags: dict[str, tuple[str, ...]] = {}
ADDRESS_TAGS_MAX_ENTRIES = 5000
_request_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "paddock_request_address", default=None
)


# Whether this request was given a part of a page kept under older versions, while another
# process made it again (fragments.memo): such a page is neither stored nor shared.
_request_stale: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "paddock_request_stale", default=False
)


@receiver(request_started, dispatch_uid="paddock.core.pagecache.request_started")
def _request_started(sender, environ=None, **kwargs) -> None:
    _request_versions.set({})
    _request_stale.set(False)
    _request_address.set(environ.get("PATH_INFO") if environ else None)


@receiver(request_finished, dispatch_uid="paddock.core.pagecache.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _remember_address_tags(_request_address.get(), _request_versions.get())
    _request_versions.set(None)
    _request_stale.set(False)
    _request_address.set(None)


def _remember_address_tags(address: str | None, seen: dict[str, int] | None) -> None:
    if address is None or not seen:
        return
    extra = tuple(sorted(tag for tag in seen if tag not in COMMON_TAGS))
    if _address_tags.get(address, ()) == extra:
        return
    if len(_address_tags) >= ADDRESS_TAGS_MAX_ENTRIES:
        _address_tags.clear()
    _address_tags[address] = extra


def note_stale() -> None:
    """This request shows a part of a page older than the versions it read."""
    _request_stale.set(True)


def served_stale() -> bool:
    return _request_stale.get()


def fresh_floors(tags) -> dict[str, int]:
    """For each tag, the version since which nothing older may be served, even stale (0: any)."""
    tags = list(tags)
    found = _cache().get_many([FRESH_PREFIX + tag for tag in tags])
    return {tag: found.get(FRESH_PREFIX + tag, 0) for tag in tags}


def request_versions(tags) -> dict[str, int]:
    """The tags' versions as this request first read them: always before the request read what
    they stand for. From the shared cache, or as this process read them there (or bumped them)
    less than PADDOCK_PAGE_CACHE_LOCAL_SECONDS ago, as a cached page's are checked (`_current`):
    a change made through another process shows in the parts of pages within that time, as in
    its cached pages, and one made through this process at once."""
    tags = list(tags)
    seen = _request_versions.get()
    if seen is None:
        return versions(tags)
    missing = [tag for tag in tags if tag not in seen]
    if missing:
        wanted = {*missing, *COMMON_TAGS}
        if not seen:  # the request's first read: with what this address read last time
            wanted.update(_address_tags.get(_request_address.get(), ()))  # type: ignore[arg-type]
        seen.update(_recent_versions(wanted - seen.keys()))
    return {tag: seen[tag] for tag in tags}


def _recent_versions(tags: set[str]) -> dict[str, int]:
    """The versions this process read or made within PADDOCK_PAGE_CACHE_LOCAL_SECONDS; when
    any is older, all of them read again (one round trip either way)."""
    now = time.monotonic()
    ttl = settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS
    known = _local.seen
    found = {}
    for tag in tags:
        noted = known.get(tag)
        if noted is None or now - noted[1] > ttl:
            break
        found[tag] = noted[0]
    else:
        return found
    found = versions(tags)
    _local.saw(found, now)
    return found


def cacheable(request: HttpRequest, *tags: str, shared: tuple[int, int] | None = None) -> None:
    """Mark the page being rendered as cacheable for anonymous readers, depending on `tags`.
    Call it before reading what the tags stand for. `shared` gives nginx and CDNs other
    seconds than every page's (s-maxage, stale-while-revalidate), e.g. (1, 1) for an answer
    that many readers poll and that must not lag behind for long."""
    if not hasattr(request, "_page_cache_tags"):
        return  # not through the middleware (e.g. the test client's raw view call)
    if shared is not None:
        request._page_cache_shared = shared
    new = [tag for tag in tags if tag not in request._page_cache_tags]
    # The versions the request read before it read the database, which the parts of the page
    # kept apart were read under too.
    request._page_cache_tags.update(request_versions(new))


def invalidate(*tags: str, fresh: bool = False) -> None:
    """Make every cached page showing any of these tags stale, once the transaction commits.
    `fresh`: what was kept before may not be served even for the moment another process takes
    to make it again (fragments.memo's stale-while-revalidate): for changes that remove
    something (an unpublished or deleted page, a private subtree)."""
    transaction.on_commit(lambda: bump(*tags, fresh=fresh))


def bump(*tags: str, fresh: bool = False) -> None:
    """Make pages showing these tags stale now (after the change is committed)."""
    cache = _cache()
    for tag in tags:
        key = TAG_PREFIX + tag
        # A version is the time of the change, so no process can reuse an old one, and a
        # cache that lost the key (eviction) still makes everything it held stale.
        version = time.time_ns()
        try:
            version = max(version, cache.get(key, 0) + 1)
            if fresh:  # first, so that no process serves an older part under the new version
                cache.set(FRESH_PREFIX + tag, version, timeout=None)
            cache.set(key, version, timeout=None)
        except Exception:  # the cache is down: nothing cached can be served either
            logger.warning("Could not invalidate %s", tag, exc_info=True)
        # This process sees the change at once; the others when they next read the version.
        _local.saw({tag: version}, time.monotonic())
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


# How a tag's prefix ("article" in "article:12") turns into the addresses to purge from the
# frontend cache: registered by the app that owns what the tag stands for (newsroom's apps.py),
# so that this module knows no app. A tag with no resolver purges the site's home page.
_PURGE_RESOLVERS: dict[str, Callable[[str], Iterable[str]]] = {}


def purge_resolver_register(prefix: str, resolve: Callable[[str], Iterable[str]]) -> None:
    """`resolve(value)` gives the full URLs that show "<prefix>:<value>"."""
    _PURGE_RESOLVERS[prefix] = resolve


def _purge_front_ends(tags) -> None:
    """Tell the configured CDN or Varnish (Wagtail's frontend cache) what changed."""
    for tag in tags:
        prefix, _, value = tag.partition(":")
        resolve = _PURGE_RESOLVERS.get(prefix) if value else None
        if resolve is not None:
            for url in resolve(value):
                purge_url_from_cache(url)
        else:  # a site-wide change: the pages readers land on first
            purge_url_from_cache(absolute_url("/"))


class _Local:
    """This process's first level in front of the shared cache: the pages it served last
    (least recently used first out, within PADDOCK_PAGE_CACHE_LOCAL_ENTRIES and
    LOCAL_MAX_BYTES) and the tag versions it saw, with when it saw them. gunicorn runs several
    threads a process: locks guard every change."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # the versions'; the pages have their own
        self.pages: SizedLRU[dict] = SizedLRU(lambda page: len(page["content"]))
        self.seen: dict[str, tuple[int, float]] = {}

    def get(self, key: str) -> dict | None:
        return self.pages.get(key)

    def put(self, key: str, page: dict) -> None:
        self.pages.put(
            key,
            page,
            max_entries=settings.PADDOCK_PAGE_CACHE_LOCAL_ENTRIES,
            max_bytes=LOCAL_MAX_BYTES,
        )

    def drop(self, key: str, page: dict) -> None:
        self.pages.drop(key, page)  # not a fresher copy another thread just put

    def saw(self, found: dict[str, int], at: float) -> None:
        """Note versions read from the shared cache at monotonic time `at` (when the read
        started): a version noted later, such as this process's own bump, is kept."""
        with self.lock:
            for tag, version in found.items():
                known = self.seen.get(tag)
                if known is None or known[1] <= at:
                    self.seen[tag] = (version, at)

    def clear(self) -> None:
        self.pages.clear()
        with self.lock:
            self.seen.clear()


_local = _Local()


def clear_local() -> None:
    """Forget this process's pages and versions (tests, after clearing the shared cache)."""
    _local.clear()


def _current(tags: dict[str, int]) -> bool:
    """Whether the tags still have the versions a page was stored with. A version this
    process saw less than PADDOCK_PAGE_CACHE_LOCAL_SECONDS ago is trusted; the others, and any
    older than the page's own (another process changed it), are read again in one round trip."""
    now = time.monotonic()
    ttl = settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS
    seen = _local.seen
    reread = []
    for tag, version in tags.items():
        known = seen.get(tag)
        if known is None or known[0] < version or now - known[1] > ttl:
            reread.append(tag)
        elif known[0] != version:
            return False  # changed since the page was rendered
    if not reread:
        return True
    found = versions(reread)
    _local.saw(found, now)
    return all(found[tag] == tags[tag] for tag in reread)


def lookup(key: str) -> dict | None:
    """The page stored under `key` if it is still fresh: from this process's memory, else
    from the shared cache (then kept in memory too). Raises when the shared cache is down."""
    page = _local.get(key)
    if page is not None:
        if page["expires"] > time.time() and _current(page["tags"]):
            return page
        _local.drop(key, page)
    page = _cache().get(key)
    if page is None or not _current(page["tags"]):
        return None
    _local.put(key, page)
    return page


def _lookup_or_none(key: str) -> dict | None:
    """`lookup`, with a cache that is down taken as a miss: the page is rendered instead."""
    try:
        return lookup(key)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None


def _shared_seconds(shared: tuple[int, int] | list[int] | None = None) -> tuple[int, int]:
    """s-maxage and stale-while-revalidate: a page's own (`cacheable(shared=...)`), else the
    settings'."""
    if shared:
        return int(shared[0]), int(shared[1])
    return settings.PADDOCK_PAGE_CACHE_SHARED_SECONDS, settings.PADDOCK_PAGE_CACHE_STALE_SECONDS


def _patch_cache_control(response: HttpResponse, shared=None) -> None:
    shared_seconds, stale_seconds = _shared_seconds(shared)
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=shared_seconds,
        stale_while_revalidate=stale_seconds,
    )


def _cache_control(shared=None) -> str:
    """Cache-Control of a page answered from the cache, as `_patch_cache_control` makes it."""
    return _cache_control_for(*_shared_seconds(shared))


@functools.cache
def _cache_control_for(shared_seconds: int, stale_seconds: int) -> str:
    # Made once for each pair of seconds (the arguments), as a Django response gets it.
    response = HttpResponse()
    _patch_cache_control(response, (shared_seconds, stale_seconds))
    return response["Cache-Control"]


def _not_modified(environ: dict, page: dict) -> bool:
    return environ.get("HTTP_IF_NONE_MATCH") == page["etag"]


def _answer_headers(page: dict, state: str, not_modified: bool) -> list[tuple[str, str]]:
    """The headers of a page answered from the cache: those it was stored with (less its
    Content-Type on a 304, as Django's HttpResponseNotModified), then the cache's own."""
    headers = [
        (name, value)
        for name, value in page["headers"]
        if not (not_modified and name.lower() == "content-type")
    ]
    headers += [
        ("ETag", page["etag"]),
        ("X-Page-Cache", state),
        ("Cache-Control", _cache_control(page.get("shared"))),
    ]
    return headers


class PageCacheApp:
    """WSGI middleware around Django's application: answers an anonymous reader's cache hit
    itself, without Django's handler and middleware, and hands everything else to Django."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and enabled()
            and not _unshared_path(environ.get("PATH_INFO", ""))
            and not _personal_environ(environ)
        ):
            key = page_key(environ)
            page = _lookup_or_none(key)
            if page is not None:
                return self._answer(environ, start_response, page)
            environ[MISSED] = True
            environ[KEY] = key
        return self.application(environ, start_response)

    @staticmethod
    def _answer(environ: dict, start_response, page: dict) -> list[bytes]:
        if _not_modified(environ, page):
            start_response("304 Not Modified", _answer_headers(page, "HIT", not_modified=True))
            return []
        content = page["content"]
        headers = _answer_headers(page, "HIT", not_modified=False)
        headers.append(("Content-Length", str(len(content))))
        status = page["status"]
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [content]


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; store what views marked cacheable. First in
    MIDDLEWARE, so that a page is stored with the headers every other middleware gave it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _unshared_path(request.path_info):
            return self.get_response(request)
        if _personal(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        if not enabled():
            return self.get_response(request)
        meta = request.META
        key = meta.get(KEY) or page_key(meta)
        if not meta.get(MISSED):  # PageCacheApp has not looked yet (e.g. the test client)
            page = _lookup_or_none(key)
            if page is not None:
                return self._respond(request, page, "HIT")
        request._page_cache_tags = {}
        response = self.get_response(request)
        tags = request._page_cache_tags
        if not tags or served_stale() or not self._storable(request, response):
            return response
        page = {
            "content": response.content,
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ],
            "tags": tags,
            "etag": quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest()),
            "expires": time.time() + settings.PADDOCK_PAGE_CACHE_SECONDS,
        }
        shared = getattr(request, "_page_cache_shared", None)
        if shared is not None:
            page["shared"] = shared
        try:
            _cache().set(key, page, timeout=settings.PADDOCK_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not store a page in the cache", exc_info=True)
        _local.put(key, page)
        return self._respond(request, page, "MISS", response=response)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        return storable(request, response)

    @staticmethod
    def _respond(
        request: HttpRequest, page: dict, state: str, response: HttpResponse | None = None
    ) -> HttpResponse:
        not_modified = _not_modified(request.META, page)
        if not_modified or response is None:
            if not_modified:
                response = HttpResponseNotModified()
            else:
                response = HttpResponse(page["content"], status=page["status"])
            for name, value in _answer_headers(page, state, not_modified):
                response[name] = value
            return response
        response["ETag"] = page["etag"]
        response["X-Page-Cache"] = state
        _patch_cache_control(response, page.get("shared"))
        return response


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a response to a shareable request may be kept for every anonymous reader: a
    whole page (200), with nothing of this visitor in it."""
    # A page that used a CSRF token holds a form tied to this visitor: never shared.
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return False
    try:
        request.get_host()  # only pages for hosts in ALLOWED_HOSTS: the key names the host
    except DisallowedHost:
        return False
    return True


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
