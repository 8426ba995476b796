"""The newsroom's parts of the site chrome (paddock/core/chrome.py), each kept under the `site`
tag: every section (for the menu, routing and the sections of listed articles), the tree paths
of private subtrees, and the masthead's writers and moderators."""

from __future__ import annotations

from types import MappingProxyType

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction, Site

from paddock.core import chrome, roles
from paddock.core.rows import make as instance_from_row

from .models import ArticleAuthor, Contributor, HomePage, SectionPage

SITES = "newsroom.sites"
SECTIONS = "newsroom.sections"
RESTRICTED = "newsroom.restricted_paths"
CONTRIBUTORS = "newsroom.contributors"
MODERATORS = "newsroom.moderators"
PEOPLE_FIELDS = ("pk", "display_name", "slug", "country")


SECTION_FIELDS = tuple(field.attname for field in SectionPage._meta.concrete_fields)


def _sections_query():
    return SectionPage.objects.order_by("path").values_list(*SECTION_FIELDS)


def _sections(rows) -> MappingProxyType:
    """Every section page, by its tree path, in tree order: whole pages, as the ORM makes
    them (they are routed to and served)."""
    return MappingProxyType(
        {
            row[SECTION_FIELDS.index("path")]: SectionPage.from_db("default", SECTION_FIELDS, row)
            for row in rows
        }
    )


SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")
HOME_FIELDS = tuple(field.attname for field in HomePage._meta.concrete_fields)
_PAGE_FIELDS = {field.attname for field in Page._meta.concrete_fields}


def _sites_query():
    """Every Wagtail site with its home page whole (when it is a HomePage, as Paddock makes
    it), and the home page's language, for routing and links without a query."""
    home = [
        f"root_page__{name}" if name in _PAGE_FIELDS else f"root_page__homepage__{name}"
        for name in HOME_FIELDS
    ]
    return Site.objects.order_by("pk").values_list(
        *SITE_FIELDS, "root_page__url_path", "root_page__locale__language_code", *home
    )


def _sites(rows) -> tuple[tuple[Site, str, str], ...]:
    """(site, its home page's url_path, its language) for each site."""
    sites = []
    width = len(SITE_FIELDS)
    for row in rows:
        # As read from the database (`_state.db` set): giving it its home page then asks the
        # router nothing, which would take a write for it and pin the request to the primary.
        site = instance_from_row(Site, "default", SITE_FIELDS, row[:width])
        url_path, language = row[width], row[width + 1]
        home = row[width + 2 :]
        if home[HOME_FIELDS.index("page_ptr_id")] is not None:
            site.root_page = HomePage.from_db("default", HOME_FIELDS, home)
        sites.append((site, url_path, language))
    return tuple(sites)


def _restricted_query():
    return PageViewRestriction.objects.order_by("page__path").values_list("page__path")


def _restricted(rows) -> tuple[str, ...]:
    return tuple(path for (path,) in rows)


def _contributors_query():
    """selectors.contributors_with_articles, with private subtrees left out in the query itself
    (a byline counts only outside every restricted page's subtree), so that its SQL is the
    same whatever pages are restricted.

    Each contributor's first such byline is looked for in the SELECT list, only for those with
    a byline at all (a join on the contributor's index): in the WHERE clause PostgreSQL looked
    for it before that join, along every byline in article order, and a contributor with none
    (a moderator) cost a scan of all of them, 7 ms each on a site of 100,000 articles. A
    contributor whose bylines are all drafts or private still costs one such scan."""
    private = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("article__path"), F("page__path"))
    )
    bylines = ArticleAuthor.objects.filter(
        contributor=OuterRef("pk"), article__live=True, article__published_at__isnull=False
    ).exclude(Exists(private))
    first = Subquery(bylines.order_by().values("article_id")[:1])
    return (
        Contributor.objects.filter(Exists(ArticleAuthor.objects.filter(contributor=OuterRef("pk"))))
        .annotate(first_article=first)
        .order_by("display_name")
        .values_list(*PEOPLE_FIELDS, "first_article")
    )


def _writers(rows) -> tuple[Contributor, ...]:
    return _people(row[:-1] for row in rows if row[-1] is not None)


_PEOPLE_ATTNAMES = ("id", "display_name", "slug", "country")


def _people(rows) -> tuple[Contributor, ...]:
    """Contributors as read from the database with these four fields only (the others
    deferred): what the masthead shows of its writers and moderators."""
    return tuple(instance_from_row(Contributor, "default", _PEOPLE_ATTNAMES, row) for row in rows)


def _moderators_query() -> tuple[str, tuple]:
    """selectors.moderators (the profiles of the active members of the Moderators group), as
    SQL with the group's id written into it (core.roles.group_ids_sql: PostgreSQL then finds
    the group's few memberships through its index, where it read every reader's), and a last
    row when the group has an id the SQL does not know (deleted and made again since)."""
    User = get_user_model()
    users, groups = User._meta.db_table, Group._meta.db_table
    memberships = User.groups.through._meta.db_table
    people = Contributor._meta.db_table
    ids = roles.group_ids_sql([roles.MODERATORS])
    sql = (
        "SELECT c.id, c.display_name, c.slug, c.country "  # noqa: S608 (tables and ids)
        f'FROM "{memberships}" m INNER JOIN "{groups}" g ON g.id = m.group_id '
        f'INNER JOIN "{users}" u ON u.id = m.user_id '
        f'INNER JOIN "{people}" c ON c.user_id = m.user_id '
        f"WHERE m.group_id IN ({ids}) AND g.name = %s AND u.is_active "
        f'UNION ALL SELECT NULL, NULL, NULL, NULL FROM "{groups}" g '
        f"WHERE g.name = %s AND g.id NOT IN ({ids}) "
        "ORDER BY 2, 1"  # by name, as the selector orders them
    )
    return sql, (roles.MODERATORS, roles.MODERATORS)


def _moderators(rows) -> tuple[Contributor, ...]:
    if any(row[0] is None for row in rows):
        raise chrome.OutOfDate  # the group has an id the SQL does not know
    return _people(rows)


def menu_sections() -> tuple[SectionPage, ...]:
    """The sections in the menu (live, shown in menus), in tree order."""
    return tuple(s for s in chrome.get(SECTIONS).values() if s.live and s.show_in_menus)


def register() -> None:
    chrome.register(SITES, ("site",), _sites_query, _sites)
    chrome.register(SECTIONS, ("site",), _sections_query, _sections)
    chrome.register(RESTRICTED, ("site",), _restricted_query, _restricted)
    chrome.register(CONTRIBUTORS, ("site",), _contributors_query, _writers)
    chrome.register(MODERATORS, ("site",), _moderators_query, _moderators)
