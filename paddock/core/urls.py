"""URLs without the URL resolver's cost where a page builds many of them, and absolute URLs for
places with no request at hand (emails and background tasks)."""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.signals import request_finished, request_started, setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

# What reverse() leaves unquoted in a path (django.urls.resolvers, RFC 3986's sub-delimiters).
_SAFE = "!$&'()*+,;=/~:@"
# Wagtail's page path (wagtail.urls' serve pattern with WAGTAIL_APPEND_SLASH on, as Wagtail
# reads it: once, when it starts).
_PAGE_PATH = re.compile(r"(?:[\w\-]+/)*\Z")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")  # Django's slug path converter
# A value no URL pattern's fixed part contains, and that <int:…>, <slug:…> and <str:…> all take.
_STAND_IN = "987654321"
# The script prefix of the request being answered, read once when it starts (Django sets it
# just before request_started): get_script_prefix() reads an asgiref Local, about 1.3 µs, and a
# page of cards builds a hundred URLs.
_request_prefix: ContextVar[str | None] = ContextVar("paddock_script_prefix", default=None)


@receiver(request_started, dispatch_uid="paddock.core.urls.request_started")
def _request_started(sender, **kwargs) -> None:
    _request_prefix.set(get_script_prefix())


@receiver(request_finished, dispatch_uid="paddock.core.urls.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _request_prefix.set(None)


def current_script_prefix() -> str:
    """get_script_prefix(), as the request being answered had it when it started."""
    prefix = _request_prefix.get()
    return get_script_prefix() if prefix is None else prefix


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def request_absolute(request, url: str) -> str:
    """`url` with the request's scheme and host ({% absolute %}); as it is without a request
    or a URL."""
    return request.build_absolute_uri(url) if request and url else url


@lru_cache(maxsize=256)
def _pattern(name: str, script_prefix: str) -> tuple[str, str]:
    """What reverse() puts before and after the one positional argument of the URL pattern
    `name`, under this script prefix."""
    url = reverse(name, args=[_STAND_IN])
    before, _, after = url.partition(_STAND_IN)
    return before, after


@lru_cache(maxsize=256)
def _plain(name: str, script_prefix: str) -> str:
    return reverse(name)


def reverse_plain(name: str) -> str:
    """reverse(name) for a URL pattern without arguments, worked out once per process for each
    script prefix (markup built in Python, as `{% url %}` keeps it for templates)."""
    return _plain(name, current_script_prefix())


def reverse_one(name: str, value: int | str, script_prefix: str | None = None) -> str:
    """reverse(name, args=[value]) for a URL pattern with one argument that `value` fits (an
    id, a slug, a hex seed), written once per process and filled in by joining strings. Not
    checked against the pattern: for values the caller knows fit (ids and seeds it read).
    `script_prefix`: the current one, when the caller has read it already (a loop)."""
    before, after = _pattern(name, script_prefix or current_script_prefix())
    return f"{before}{value}{after}"


def reverse_slug(name: str, keyword: str, value: str) -> str:
    """reverse(name, kwargs={keyword: value}) for a URL pattern whose one argument is a
    `<slug:…>` (reverse_slugs)."""
    return reverse_slugs(name, **{keyword: value})


def reverse_slugs(name: str, **values: str) -> str:
    """reverse(name, kwargs=values) for a URL pattern whose arguments are all slugs
    (`<slug:…>`, or a pattern that takes at least a slug's characters), written once per
    process and filled in by joining strings (about fifteen times faster; a page of article
    cards builds dozens). A value that is not a slug goes to reverse(), which raises
    NoReverseMatch as before."""
    for value in values.values():
        if not _SLUG.match(value):
            return reverse(name, kwargs=values)
    fixed, keywords = _slug_pattern(name, tuple(values), current_script_prefix())
    parts = [fixed[0]]
    for keyword, after in zip(keywords, fixed[1:], strict=True):
        parts += (values[keyword], after)
    return "".join(parts)


@lru_cache(maxsize=256)
def _slug_pattern(
    name: str, keywords: tuple[str, ...], script_prefix: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fixed parts of reverse(name, kwargs=…) around its arguments, and which argument
    comes after each fixed part but the last, under this script prefix."""
    stand_ins = {f"paddockslug{index}x": keyword for index, keyword in enumerate(keywords)}
    url = reverse(name, kwargs={keyword: s for s, keyword in stand_ins.items()})
    pieces = re.split(f"({'|'.join(stand_ins)})", url)
    return tuple(pieces[0::2]), tuple(stand_ins[s] for s in pieces[1::2])


@lru_cache(maxsize=8)
def _page_prefix(script_prefix: str) -> str | None:
    """What reverse("wagtail_serve") puts before a page's path, or None when Wagtail serves
    pages without a trailing slash (WAGTAIL_APPEND_SLASH as Wagtail read it when it loaded;
    imported here, not at this module's import, when the settings may not be configured yet,
    e.g. for config/wsgi.py)."""
    from wagtail.coreutils import WAGTAIL_APPEND_SLASH

    if not WAGTAIL_APPEND_SLASH:
        return None
    url = reverse("wagtail_serve", args=(f"{_STAND_IN}/",))
    return url[: url.index(_STAND_IN)]


def site_page_parts(url_path: str, root_paths) -> tuple[int, str, str] | None:
    """(site id, root URL, path) as Page.get_url_parts gives them for the page whose Wagtail
    url_path this is, from the site root paths (Wagtail's SiteRootPath tuples, most specific
    first), without making the page. None where Wagtail's own must answer: no site or several
    claim the path, or its pattern does not take it (localised sites are Wagtail's too)."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    possible = [root for root in root_paths if url_path.startswith(root[1])]
    if not possible or len({root[0] for root in possible}) > 1:
        return None
    site_id, root_path, root_url = possible[0][:3]
    path = page_path(url_path[len(root_path) :])
    return None if path is None else (site_id, root_url, path)


def site_page_url(url_path: str, root_paths, current_site_id: int | None) -> str | None:
    """What Page.get_url(request) answers for that page, given the request's site root paths
    and its site's id (site_page_parts; None where Wagtail's own must answer)."""
    parts = site_page_parts(url_path, root_paths)
    if parts is None:
        return None
    site_id, root_url, path = parts
    if site_id == current_site_id or len({root[0] for root in root_paths}) == 1:
        return path
    return root_url + path


def page_path(path: str) -> str | None:
    """reverse("wagtail_serve", args=(path,)) for a page's path below its site's root, or None
    when the path is not one Wagtail's pattern takes (then ask reverse)."""
    prefix = _page_prefix(current_script_prefix())
    if prefix is None or not _PAGE_PATH.match(path):
        return None
    return prefix + quote(path, safe=_SAFE)


def static_url(path: str) -> str:
    """`static(path)`, looked up once a process for each URL prefix (a hashed name from the
    static files' manifest does not change while the process runs)."""
    return _static(path, current_script_prefix())


@lru_cache(maxsize=64)
def _static(path: str, script_prefix: str) -> str:
    return static(path)


@receiver(setting_changed, dispatch_uid="paddock.core.urls.setting_changed")
def _settings_changed(setting: str, **kwargs) -> None:
    if setting in ("STATIC_URL", "STORAGES"):
        _static.cache_clear()
