"""Public list pages that are not Wagtail pages: tags, makes, authors, archives, search."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import unicodedata

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from paddock.core.pagecache import PAGE_TAGS, public

from . import search as search_ranking
from . import selectors
from .models import ArticlePage, Contributor, Make, VehicleModel

logger = logging.getLogger(__name__)


def _listing(request: HttpRequest, queryset, *, title: str, **extra) -> HttpResponse:
    """A list of articles, kept by its address (a tag's, a make's, a month's...)."""
    articles = selectors.paginate(request, queryset, kept_as=request.path)
    context = {"title": title, "articles": articles, **extra}
    return render(request, "newsroom/listing.html", context)


@require_safe
@public(*PAGE_TAGS)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = selectors.article_list().filter(tagged_items__tag=tag)
    return _listing(request, articles, title=f"Tagged “{tag.name}”", kind="tag", tag=tag)


@require_safe
@public(*PAGE_TAGS)
def make_detail(request: HttpRequest, slug: str) -> HttpResponse:
    make = get_object_or_404(Make, slug=slug)
    articles = selectors.article_list().filter(makes=make)
    models = VehicleModel.objects.filter(make=make, articles__live=True).distinct()
    return _listing(
        request, articles, title=make.name, kind="make", make=make, vehicle_models=models
    )


@require_safe
@public(*PAGE_TAGS)
def vehicle_model_detail(request: HttpRequest, make_slug: str, slug: str) -> HttpResponse:
    model = get_object_or_404(
        VehicleModel.objects.select_related("make"), make__slug=make_slug, slug=slug
    )
    articles = selectors.article_list().filter(vehicle_models=model)
    return _listing(request, articles, title=str(model), kind="make", make=model.make)


@require_safe
@public(*PAGE_TAGS)
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Contributor.objects.select_related("photo"), slug=slug)
    articles = selectors.article_list().filter(authors__contributor=author)
    return _listing(request, articles, title=author.display_name, kind="author", author=author)


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


@require_safe
@public(*PAGE_TAGS)
def archive(request: HttpRequest, year: int, month: int | None = None) -> HttpResponse:
    if not 1 <= year <= 9998 or (month is not None and not 1 <= month <= 12):
        raise Http404("There is no archive for that date.")
    if month is None:
        start, end = _month_start(year, 1), _month_start(year + 1, 1)
        title = f"Archive: {year}"
    else:
        start = _month_start(year, month)
        end = _month_start(year + (month == 12), month % 12 + 1)
        title = f"Archive: {calendar.month_name[month]} {year}"
    articles = selectors.article_list().filter(published_at__gte=start, published_at__lt=end)
    if not articles.exists():
        raise Http404("Nothing was published then.")
    months = (
        ArticlePage.objects.published()
        .filter(published_at__year=year)
        .dates("published_at", "month", order="DESC")
    )
    return _listing(request, articles, title=title, kind="archive", year=year, months=months)


@require_safe
@public(*PAGE_TAGS)
def contributors(request: HttpRequest) -> HttpResponse:
    people = selectors.with_photos(selectors.contributors_with_articles())
    return render(request, "newsroom/people.html", {"title": "Contributors", "people": people})


@require_safe
def moderators(request: HttpRequest) -> HttpResponse:
    people = selectors.with_photos(selectors.moderators())
    return render(request, "newsroom/people.html", {"title": "Moderators", "people": people})


def clean_query(raw: str) -> str:
    """Drop control and format characters a search box never needs; fold runs of space.

    The text is composed (NFC) first, so "e" plus a combining accent finds "é" too.
    """
    kept = "".join(
        ch if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"} else " "
        for ch in unicodedata.normalize("NFC", raw)
    )
    return " ".join(kept.split())


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    limit = settings.PADDOCK_SEARCH_MAX_LENGTH
    context: dict = {"title": "Search", "query": query, "results": None, "message": ""}
    if len(query) > limit:
        context["message"] = (
            f"That search is {len(query):,} characters long; please shorten it to at most "
            f"{limit} characters."
        )
        context["query"] = query[:limit]
    elif query:
        # Plain-text search has no phrase syntax, and a stray double quote breaks SQLite's FTS5
        # parser ("unterminated string"), so the engine gets the words without them.
        terms = " ".join(query.replace('"', " ").split())
        try:
            ids = search_ranking.ranked_ids(ArticlePage.objects.published(), terms) if terms else []
            page = selectors.paginate_ids(request, ids)
        except DatabaseError:
            # The engine's query parser can still refuse an odd string; say so instead of a 500.
            logger.warning("search failed for %r", query, exc_info=True)
            context["message"] = "That search could not be run. Try plain words."
        else:
            context["results"] = page
            for article in page.object_list:
                article.search_excerpt = search_ranking.excerpt(article, terms)
            if not page.paginator.count:
                context["message"] = f"No articles match “{query}”."
    elif raw.strip():
        # Only control or format characters: nothing left to search for.
        context["message"] = "Type a word or two to search for."
    return render(request, "newsroom/search.html", context)
