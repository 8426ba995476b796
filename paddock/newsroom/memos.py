"""Site-wide facts that every page reads and that change only when the site does: the Wagtail
site of a request, the sections, and which subtrees are private.

Each is kept in the cache under the version of the "site" tag (`fragments.memo`), so a page
reads it with a cache lookup instead of queries, and the first page rendered after a change
(a page published, moved or deleted, a site, section or view restriction edited) reads it
afresh. The receivers that bump "site" are in signals.py.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import SiteRootPath
from wagtail.views import serve as wagtail_serve

from paddock.core import chrome, fragments, shapes
from paddock.core.shapes import QueryShape

from .chrome import RESTRICTED, SECTIONS, SITES
from .models import ArticlePage, SectionPage

SITE_TAGS = ["site"]

# Wagtail's order of preference for the site of a request (wagtail.models.sites).
_HOSTNAME_PORT, _HOSTNAME_DEFAULT, _DEFAULT, _HOSTNAME = range(4)


def _copy(kept: Site) -> Site:
    """A copy of a kept site of its own for this request, as Wagtail's lookup gives (its home
    page too: it is served)."""
    site = copy.copy(kept)
    if Site.root_page.is_cached(kept):
        site.root_page = copy.copy(kept.root_page)
    return site


def site_for_hostname(hostname: str, port: int) -> Site | None:
    """The site answering for hostname:port, chosen by Wagtail's rules (an exact hostname and
    port, then the hostname on the default site, then the default site unless exactly one
    other site has the hostname) among the sites of the site chrome's snapshot (home pages
    included: routing needs no query); a copy of the one chosen."""
    found = _site_for_hostname(hostname, port)
    return _copy(found) if found is not None else None


def _site_for_hostname(hostname: str, port: int) -> Site | None:
    """The kept site itself (not a copy): see site_for_hostname."""

    def rank(site: Site) -> int:
        if site.hostname == hostname:
            if site.port == port:
                return _HOSTNAME_PORT
            return _HOSTNAME_DEFAULT if site.is_default_site else _HOSTNAME
        return _DEFAULT

    sites = [
        site
        for site, _url_path, _language in chrome.get(SITES)
        if site.hostname == hostname or site.is_default_site
    ]
    sites.sort(key=rank)
    if not sites:
        return None
    if len(sites) == 1 or rank(sites[0]) in (_HOSTNAME_PORT, _HOSTNAME_DEFAULT):
        return sites[0]
    if rank(sites[0]) == _DEFAULT:
        return sites[len(sites) == 2]
    return None


class SiteMiddleware:
    """Give each request its Wagtail site from the site chrome's snapshot, before anything asks
    `Site.find_for_request` (which would query the database on every request). Done once the
    view is known: a view that shows no page of the site (`shows_no_site`, such as the health
    check) reads nothing for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if getattr(view_func, "shows_no_site", False):
            return None
        hostname = split_domain_port(request._get_raw_host())[0]
        ahead = view_func is wagtail_serve and not fragments.enabled()
        if ahead:
            _page_ahead(request, hostname)
        site = request._wagtail_site = site_for_hostname(hostname, request.get_port())
        known = hostname in _seen or len(_seen) < SEEN_HOSTS
        if ahead and known and site is not None and Site.root_page.is_cached(site):
            _seen[hostname] = (site.root_page.url_path, restricted_paths())
        if fragments.enabled() or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            # What Page.get_url reads for every link (Wagtail keeps it in the shared cache: a
            # round trip per request), made from the snapshot just read; with nothing kept
            # and localised sites, Wagtail's own copy (made again, it would be a query).
            request._wagtail_cached_site_root_paths = site_root_paths()
        return None


# For each host, its home page's url_path and the site's private subtrees, as this process
# last found them with nothing kept: what a page's address would read, to read it ahead (a
# guess: what routing and the page find decide).
_seen: dict[str, tuple[str, tuple[str, ...]]] = {}
# Hosts remembered at most (with ALLOWED_HOSTS open, anyone may name any host).
SEEN_HOSTS = 64

# For each article's url_path, its id and lead image as this process last rendered it with
# nothing kept: what its page will read (its details, its discussion), to read it ahead too.
# The oldest is forgotten past SEEN_ARTICLES.
_articles: dict[str, tuple[int, int | None]] = {}
SEEN_ARTICLES = 2048
_remembering = threading.Lock()  # threaded workers (THREADS) share the dict


def remember_article(article: ArticlePage) -> None:
    """Note the id and lead image that `article`'s page reads its details and discussion by
    (selectors.read_details_ahead, nothing kept)."""
    known = (article.pk, article.lead_image_id)
    if _articles.get(article.url_path) == known:
        return
    with _remembering:
        _articles.pop(article.url_path, None)
        while len(_articles) >= SEEN_ARTICLES:
            del _articles[next(iter(_articles))]
        _articles[article.url_path] = known


def _page_ahead(request: HttpRequest, hostname: str) -> None:
    """With nothing kept, the site chrome is read at every request: what the page at this
    address would read is sent with it, in one round trip (core.shapes.read_ahead): at
    <section>/<article>/, the article (as HomePage.route reads it), and when this process
    rendered that article before, its details and discussion too; at the home page, its page
    of articles (selectors.listed_page)."""
    seen = _seen.get(hostname)
    if seen is None or request.method not in ("GET", "HEAD"):
        return
    home, private = seen
    parts = [part for part in request.path_info.split("/") if part]
    if len(parts) == 2:
        section, slug = parts
        url_path = f"{home}{section}/{slug}/"
        shapes.read_ahead(_ARTICLE_AT.bind(slug=slug, url_path=url_path))
        known = _articles.get(url_path)
        if known is not None:
            from .selectors import read_article_ahead  # it imports this module

            read_article_ahead(request, *known, private)
    elif not parts:
        from .selectors import read_home_page_ahead  # it imports this module

        read_home_page_ahead(request, private)


def site_root_paths() -> list:
    """Wagtail's site root paths, which every page URL is built from (Wagtail keeps them in the
    shared cache: a round trip each time a page without a request is asked for its URL)."""
    # Each process's own (made from the snapshot, it costs less than a round trip to share).
    return fragments.here("site-root-paths", SITE_TAGS, _fresh_site_root_paths)


def _fresh_site_root_paths() -> list:
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # As Site.get_site_root_paths makes them, from the snapshot: most specific path first.
        found = sorted(chrome.get(SITES), key=lambda s: s[0].hostname)
        found = sorted(found, key=lambda s: (s[1], s[0].is_default_site), reverse=True)
        return [
            SiteRootPath(site.id, url_path, site.root_url, language)
            for site, url_path, language in found
        ]
    # Read from the database, not from Wagtail's copy in the default cache: without Redis that
    # cache is each process's own memory, which a Site saved by another process (`migrate`
    # giving it BASE_URL, the admin on another worker) never clears. The memo above is told.
    Site.clear_site_root_paths_cache()
    return Site.get_site_root_paths()


def article_at(url_path: str, slug: str):
    """The article (live or not) whose Wagtail url_path this is, or None. Kept under "site",
    like everything an article page shows of the article itself: publishing, unpublishing,
    moving or deleting a page bumps it, and so does an editor closing a discussion
    (services.article_comments_closed_set), the one change made to a live article outside a
    publish. What is not found is not kept."""

    digest = hashlib.blake2b(url_path.encode(), digest_size=16).hexdigest()
    return fragments.memo(
        f"article-at:{digest}", SITE_TAGS, lambda: _ARTICLE_AT.first(slug=slug, url_path=url_path)
    )


# The slug (indexed) finds the few candidates, the path the one. (Its lead image is read with
# the image's rendition, selectors.article_detail_context.)
_ARTICLE_AT = QueryShape(
    ArticlePage,
    lambda slug, url_path: ArticlePage.objects.filter(slug=slug, url_path=url_path).order_by("pk")[
        :1
    ],
    slug=str,
    url_path=str,
)


_SECTION_AT = QueryShape(SectionPage, lambda path: SectionPage.objects.filter(path=path), path=str)


def section_at(path: str) -> SectionPage | None:
    """The section at this tree path: one of the site chrome's snapshot (read once a request
    with nothing kept), else (a section newer than the snapshot) read on its own."""
    section = sections_by_path().get(path)
    if section is not None:
        return section
    return _SECTION_AT.first(path=path)


def sections_by_path() -> Mapping[str, SectionPage]:
    """Every section page, by its tree path: a part of the site chrome's snapshot
    (paddock/core/chrome.py), read with the rest of it, kept by each process under "site".
    Shared by the requests of a process: not to be changed (a page routed to is a copy)."""
    return chrome.get(SECTIONS)


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction (their subtrees are private); most
    sites have none, and then nothing has to be checked. Part of the site chrome's snapshot,
    never served stale (a restriction's change bumps "site" with fresh=True)."""
    return chrome.get(RESTRICTED)


def private_q(page: str = "", paths: tuple[str, ...] | None = None) -> Q | None:
    """A filter matching the private pages (those under `paths`, by default the site's
    restricted ones), or None when there are none; `page` is the lookup to the page from the
    model filtered (e.g. "article__" for bylines)."""
    if paths is None:
        paths = restricted_paths()
    if not paths:
        return None
    q = Q()
    for path in paths:
        q |= Q(**{f"{page}path__startswith": path})
    return q
