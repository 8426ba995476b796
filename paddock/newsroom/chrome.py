"""The newsroom's parts of the site chrome (paddock/core/chrome.py): the sections in the menu
and the masthead's writers and moderators, each kept under the `site` tag."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction

from paddock.core import chrome

from .models import ArticleAuthor, Contributor, SectionPage
from .selectors import moderators

SECTIONS = "newsroom.sections"
CONTRIBUTORS = "newsroom.contributors"
MODERATORS = "newsroom.moderators"
PEOPLE_FIELDS = ("pk", "display_name", "slug", "country")


def _sections_query():
    return (
        SectionPage.objects.live()
        .in_menu()
        .order_by("path")
        .values_list("pk", "title", "url_path", "slug", "path", "depth")
    )


def _sections(rows) -> tuple[SectionPage, ...]:
    # Enough of each section for its link ({% pageurl %}) and title; nothing is read again.
    return tuple(
        SectionPage(
            id=pk, page_ptr_id=pk, title=title, url_path=url_path, slug=slug, path=path, depth=depth
        )
        for pk, title, url_path, slug, path, depth in rows
    )


def _contributors_query():
    """selectors.contributors_with_articles, with private subtrees left out in the query itself
    (a byline counts only outside every restricted page's subtree), so that its SQL is the
    same whatever pages are restricted."""
    private = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("article__path"), F("page__path"))
    )
    bylines = ArticleAuthor.objects.filter(
        contributor=OuterRef("pk"), article__live=True, article__published_at__isnull=False
    ).exclude(Exists(private))
    first = Subquery(bylines.order_by().values("article_id")[:1])
    return (
        Contributor.objects.alias(first_article=first)
        .filter(first_article__isnull=False)
        .order_by("display_name")
        .values_list(*PEOPLE_FIELDS)
    )


def _people(rows) -> tuple[Contributor, ...]:
    return tuple(
        Contributor(id=pk, display_name=name, slug=slug, country=country)
        for pk, name, slug, country in rows
    )


def register() -> None:
    chrome.register(SECTIONS, ("site",), _sections_query, _sections)
    chrome.register(CONTRIBUTORS, ("site",), _contributors_query, _people)
    chrome.register(
        MODERATORS, ("site",), lambda: moderators().values_list(*PEOPLE_FIELDS), _people
    )
