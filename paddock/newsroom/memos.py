"""Site-wide facts that every page reads and that change only when the site does: the Wagtail
site of a request, the sections, and which subtrees are private.

Each is kept in the cache under the version of the "site" tag (`fragments.memo`), so a page
reads it with a cache lookup instead of queries, and the first page rendered after a change
(a page published, moved or deleted, a site, section or view restriction edited) reads it
afresh. The receivers that bump "site" are in signals.py. Their queries are written once per
process (`core.shapes`): a page rendered with nothing kept runs them without writing them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site
from wagtail.models.sites import SiteRootPath
from wagtail.views import serve as wagtail_serve

from paddock.core import fragments
from paddock.core.shapes import QueryShape

from .models import ArticlePage, HomePage, SectionPage

SITE_TAGS = ["site"]

# Wagtail's order of preference for the site of a request (wagtail.models.sites).
_HOSTNAME_PORT, _HOSTNAME_DEFAULT, _DEFAULT, _HOSTNAME = range(4)


# Every site with its root page as the home page it is (one query; a root page of another
# type is made specific apart) and the root page's locale, for the site root paths.
_SITES = QueryShape(
    Site,
    lambda: Site.objects.select_related("root_page__homepage", "root_page__locale").order_by("pk"),
)


def _all_sites() -> list[Site]:
    sites = _SITES.all()
    for site in sites:
        # Resolved now, so that what is remembered routes without a query of its own.
        try:
            home = site.root_page.homepage
        except HomePage.DoesNotExist:
            site.root_page = site.root_page.specific
        else:
            home._state.fields_cache["locale"] = site.root_page.locale
            site.root_page = home
    return sites


def site_for_hostname(hostname: str, port: int) -> Site | None:
    """The site answering for hostname:port, chosen by Wagtail's rules (an exact hostname and
    port, then the hostname on the default site, then the default site unless exactly one
    other site has the hostname) among the remembered sites."""

    def rank(site: Site) -> int:
        if site.hostname == hostname:
            if site.port == port:
                return _HOSTNAME_PORT
            return _HOSTNAME_DEFAULT if site.is_default_site else _HOSTNAME
        return _DEFAULT

    sites = [
        s
        for s in fragments.memo("wagtail-sites", SITE_TAGS, _all_sites)
        if s.hostname == hostname or s.is_default_site
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
    """Give each request its Wagtail site from the remembered list, before anything asks
    `Site.find_for_request` (which would query the database on every request). With nothing
    kept, only pages Wagtail serves get theirs here, from one reading of the sites that also
    gives the site root paths their links are built from; other views, such as the health
    check, read nothing they do not use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if fragments.enabled():
            self._attach(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and not hasattr(request, "_wagtail_site"):
            self._attach(request)

    @staticmethod
    def _attach(request: HttpRequest) -> None:
        hostname = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = site_for_hostname(hostname, request.get_port())
        # What Page.get_url reads for every link (Wagtail keeps it in the shared cache: a
        # round trip per request).
        request._wagtail_cached_site_root_paths = site_root_paths()


def site_root_paths() -> list:
    """Wagtail's site root paths, which every page URL is built from (Wagtail keeps them in the
    shared cache: a round trip each time a page without a request is asked for its URL)."""
    return fragments.memo("site-root-paths", SITE_TAGS, _fresh_site_root_paths)


def _fresh_site_root_paths() -> list:
    # Read from the database, not from Wagtail's copy in the default cache: without Redis that
    # cache is each process's own memory, which a Site saved by another process (`migrate`
    # giving it BASE_URL, the admin on another worker) never clears. The memo above is told.
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):  # a root path per translation
        Site.clear_site_root_paths_cache()
        return Site.get_site_root_paths()
    # Wagtail's list, from the sites routing read: the most specific root path first.
    sites = list(fragments.memo("wagtail-sites", SITE_TAGS, _all_sites))
    sites.sort(key=lambda site: site.hostname)
    sites.sort(key=lambda site: (site.root_page.url_path, site.is_default_site), reverse=True)
    return [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in sites
    ]


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


# The slug (indexed) finds the few candidates, the path the one; with its lead image, which
# the page shows.
_ARTICLE_AT = QueryShape(
    ArticlePage,
    lambda slug, url_path: (
        ArticlePage.objects.filter(slug=slug, url_path=url_path)
        .select_related("lead_image")
        .order_by("pk")[:1]
    ),
    slug=str,
    url_path=str,
)
_SECTIONS = QueryShape(SectionPage, lambda: SectionPage.objects.all())
_RESTRICTED_PATHS = QueryShape(
    PageViewRestriction,
    lambda: PageViewRestriction.objects.order_by("page__path").values_list("page__path", flat=True),
)


_SECTION_AT = QueryShape(SectionPage, lambda path: SectionPage.objects.filter(path=path), path=str)


def section_at(path: str) -> SectionPage | None:
    """The section at this tree path: one of the kept sections, else (nothing kept, or a
    section newer than what is kept) read on its own."""
    if fragments.enabled():
        section = sections_by_path().get(path)
        if section is not None:
            return section
    return _SECTION_AT.first(path=path)


def sections_by_path() -> dict:
    """Every section page, by its tree path."""

    return fragments.memo(
        "sections-by-path",
        SITE_TAGS,
        lambda: {section.path: section for section in _SECTIONS.all()},
    )


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction (their subtrees are private); most
    sites have none, and then nothing has to be checked."""
    return fragments.memo(
        "view-restrictions",
        SITE_TAGS,
        lambda: tuple(_RESTRICTED_PATHS.all()),
    )


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
