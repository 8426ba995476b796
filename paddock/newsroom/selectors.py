"""Read-side queries of the newsroom, shaped so that a page's query count never grows with its
content: every list reads what its template shows in a fixed number of queries (a page of
cards: attach_cards)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest
from taggit.models import Tag
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_rendition_or_not_found

from paddock.core import chrome as core_chrome
from paddock.core import fragments
from paddock.core.pagination import OpenPage, page_number, page_or_404
from paddock.core.shapes import QueryShape, read_ahead, together

from . import memos
from .chrome import MODERATORS as MODERATORS_PART
from .memos import private_q, restricted_paths, sections_by_path
from .models import (
    ARTICLE_AHEAD_HOOK,
    ArticleAuthor,
    ArticlePage,
    ArticleSource,
    ArticleTag,
    Contributor,
    Make,
    SectionPage,
    VehicleModel,
)

LIST_RENDITION = "fill-640x360"
LEAD_RENDITION = "width-1200"
PHOTO_RENDITION = "fill-96x96"
# Each made once a process: Wagtail parses a spec, asking every image-operation hook, for each
# Filter it makes (90 µs), and its {% image %} tag makes one for every image it shows.
LIST_FILTER = Filter(spec=LIST_RENDITION)
LEAD_FILTER = Filter(spec=LEAD_RENDITION)
RELATED_COUNT = 4
# How far back a list pages (older articles are in the archive pages, by month).
MAX_LIST_PAGES = 200


def _authors_prefetch() -> Prefetch:
    return Prefetch(
        "authors",
        queryset=ArticleAuthor.objects.select_related("contributor").order_by("sort_order"),
    )


def _image_prefetch(*specs: str) -> Prefetch:
    return Prefetch("lead_image", queryset=get_image_model().objects.prefetch_renditions(*specs))


def article_list() -> QuerySet[ArticlePage]:
    """Published articles, newest first, with what a list of them shows (a feed, say). A page
    of cards reads that itself (paginate, attach_cards), its statements written once."""
    return (
        ArticlePage.objects.published()
        .order_by("-published_at", "-pk")
        .prefetch_related(_authors_prefetch(), _image_prefetch(LIST_RENDITION))
    )


# What a page of cards shows of its articles' bylines and lead images, for all of them at once:
# written once a process for each number of cards (core.shapes), where prefetching wrote three
# queries for every page (a third of a cold home page's time).
# (Contributors, each with the article it is read for: no link object made for each.)
_CARD_BYLINES = QueryShape(
    Contributor,
    lambda ids: (
        Contributor.objects.filter(article_links__article_id__in=ids)
        .only("display_name", "slug")  # what a byline shows and links to
        .annotate(byline_article_id=F("article_links__article_id"))
        .order_by("article_links__article_id", "article_links__sort_order", "article_links__pk")
    ),
    ids=list,
)


_FOCAL_FIELDS = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")


@dataclass(frozen=True, slots=True)
class CardImage:
    """What a card shows of its lead image's rendition: its file's URL and its size (a card's
    image has no alternative text: its title, beside it, says what it links to)."""

    url: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class LeadImage:
    """What an article page shows of its lead image's rendition: its file's URL, its size and
    the image's alternative text (Wagtail's: the image's description, else its title)."""

    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class _FocalPoint:
    """An image's focal point, all Wagtail's filters ask of an image for a rendition's key."""

    focal_point_x: int | None
    focal_point_y: int | None
    focal_point_width: int | None
    focal_point_height: int | None


def _renditions_of(spec: str, *image_fields: str) -> QueryShape:
    """The renditions made to `spec` of a list of images, as values: per image, each rendition's
    file, size and focal-point key with the focal point of the image it was made for (and the
    image's `image_fields`); _current_renditions keeps the current one. Made as models, the
    rendition and its image were two objects apiece, and Django's ImageField looked at each
    rendition's file as it was made."""
    return QueryShape(
        "wagtailimages.Rendition",
        lambda ids: (
            get_image_model()
            .get_rendition_model()
            .objects.filter(image_id__in=ids, filter_spec=spec)
            .order_by("pk")
            .values_list(
                "image_id",
                "file",
                "width",
                "height",
                "focal_point_key",
                *(f"image__{name}" for name in (*_FOCAL_FIELDS, *image_fields)),
            )
        ),
        ids=list,
    )


@cache
def _rendition_storage():
    """Where renditions' files are (their field's storage, fixed with the model)."""
    return get_image_model().get_rendition_model()._meta.get_field("file").storage


def _current_renditions(found, image_filter: Filter) -> dict[int, tuple]:
    """Each image's current rendition (the last one when several are), from the rows of a
    _renditions_of statement: (file's URL, width, height, the image's other fields read)."""
    storage = _rendition_storage()
    focal_count = len(_FOCAL_FIELDS)
    current = {}
    for image_id, name, width, height, key, *image in found:
        if key == image_filter.get_cache_key(_FocalPoint(*image[:focal_count])):
            current[image_id] = (storage.url(name), width, height, *image[focal_count:])
    return current


# The image's fields Wagtail's alternative text is made of (AbstractImage.default_alt_text).
_ALT_FIELDS = tuple(name for name in ("description", "title") if hasattr(get_image_model(), name))
_CARD_RENDITIONS = _renditions_of(LIST_RENDITION)
_LEAD_RENDITIONS = _renditions_of(LEAD_RENDITION, *_ALT_FIELDS)


def _card_images(found) -> dict[int, CardImage]:
    """Each image's current card rendition, from the rows of _CARD_RENDITIONS."""
    return {
        image_id: CardImage(*current)
        for image_id, current in _current_renditions(found, LIST_FILTER).items()
    }


def attach_cards(articles) -> list[ArticlePage]:
    """Give each article what its card shows: its section (from the sections kept), its
    contributors in byline order and its lead image's rendition, in two statements for the
    whole list instead of a get_parent(), a byline query and an image query apiece."""

    articles = list(articles)
    parent_paths = {a.path[: -ArticlePage.steplen] for a in articles}
    sections = sections_by_path()
    if not parent_paths <= sections.keys():  # a section newer than what is remembered
        sections = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    bylines: dict[int, list[Contributor]] = {a.pk: [] for a in articles}
    images = sorted({a.lead_image_id for a in articles if a.lead_image_id})
    links, found = together(
        _CARD_BYLINES.bind(ids=list(bylines)), _CARD_RENDITIONS.bind(ids=images)
    )
    for contributor in links:
        bylines[contributor.byline_article_id].append(contributor)
    renditions = _card_images(found)
    for article in articles:
        article._section = sections.get(article.path[: -ArticlePage.steplen])
        article.listed_authors = bylines[article.pk]
        article.listed_rendition = renditions.get(article.lead_image_id)
    return articles


def card_rendition(article: ArticlePage):
    """The rendition an article's card shows: the one attach_cards read, else made (or read)
    by Wagtail, as for an image added since."""
    found = getattr(article, "listed_rendition", None)
    if found is not None:
        return found
    return list_rendition(article.lead_image) if article.lead_image_id else None


def _latest(private: tuple[str, ...]) -> QuerySet[ArticlePage]:
    return ArticlePage.objects.published(private).order_by("-published_at", "-pk")


# What a card (rendering.article_card) and the list around it read of an article, and what the
# related list under a story shows: a Wagtail page has some forty columns, and a page of twelve
# cards read and made every one of them.
CARD_FIELDS = (
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "content_type_id",
    "live",
    "standfirst",
    "lead_image_id",
    "published_at",
)


def _cards(private: tuple[str, ...]) -> QuerySet[ArticlePage]:
    return _latest(private).only(*CARD_FIELDS)


# The home page's and each section's page of articles: each query written once per process
# (core.shapes) for each set of private subtrees, page and page size (the variant), where the
# ORM wrote it for every first render after a publish.
_HOME_PAGE = QueryShape(
    ArticlePage, lambda variant: _cards(variant[0])[variant[1] : variant[1] + variant[2]]
)
_SECTION_PAGE = QueryShape(
    ArticlePage,
    lambda parent, variant: _cards(variant[0]).filter(path__startswith=parent, depth=variant[3])[
        variant[1] : variant[1] + variant[2]
    ],
    parent=str,
)


def read_home_page_ahead(request: HttpRequest, private: tuple[str, ...]) -> None:
    """The home page's page of articles as listed_page reads it with these private subtrees,
    read ahead (core.shapes.read_ahead)."""
    number = page_number(request)
    if number is None or number > MAX_LIST_PAGES:
        return
    per_page = settings.PADDOCK_ARTICLES_PER_PAGE
    read_ahead(_HOME_PAGE.bind(variant=(private, (number - 1) * per_page, per_page + 1)))


def listed_page(request: HttpRequest, page, *, children: bool) -> OpenPage:
    """The requested page of the home page's list (every article) or, with `children`, of a
    section's (its own articles), with what its cards show; a bad number is a 404. As
    `paginate` gives it for article_list() (or the section's children of it), kept the same
    way, with its query written once per process."""
    private = restricted_paths()

    def rows(offset: int, limit: int) -> list:
        if not children:
            listed = _HOME_PAGE.bind(variant=(private, offset, limit))
        else:
            depth = page.depth + 1
            listed = _SECTION_PAGE.bind(parent=page.path, variant=(private, offset, limit, depth))
        (articles,) = together(listed)
        return articles

    kept_as = f"{'section' if children else 'home'}:{page.pk}"
    return _paginated(request, settings.PADDOCK_ARTICLES_PER_PAGE, kept_as, rows)


def paginate(
    request: HttpRequest, queryset, per_page: int | None = None, *, kept_as: str = ""
) -> OpenPage:
    """The requested page of a list, with what its cards show (attach_cards); a bad number is
    a 404.

    Lists go back MAX_LIST_PAGES pages (the archive pages, by month, reach further), and are
    not counted: a page is read with the first article of the next, which says whether there
    is one. (Counting even a capped list was half the database's time for a cold home page on
    a site of 100,000 articles: 0.49 ms a render, against 0.06 ms for the page itself.)
    A list named by `kept_as` is kept, page by page, until the site changes ("site" tag): a
    page made stale by a comment (the sidebar) reads no article again.
    """

    def rows(offset: int, limit: int) -> list:
        # What the cards show is read for the page by attach_cards, not prefetched.
        return list(queryset.prefetch_related(None)[offset : offset + limit])

    return _paginated(request, per_page or settings.PADDOCK_ARTICLES_PER_PAGE, kept_as, rows)


def _paginated(request: HttpRequest, per_page: int, kept_as: str, rows) -> OpenPage:
    """Page `page` (of the query string) of a list whose `rows(offset, limit)` gives those of
    its articles: a 404 past the last page, past MAX_LIST_PAGES or for a number that is not
    one (page 1 of an empty list is a page)."""
    number = page_number(request)
    if number is None:
        raise Http404("That page number is not valid.")
    if number > MAX_LIST_PAGES:
        raise Http404("That page does not exist.")

    def read() -> dict:
        # One more than the page holds: whether an older page follows.
        articles = rows((number - 1) * per_page, per_page + 1)
        if number > 1 and not articles:
            raise Http404("That page does not exist.")
        more = len(articles) > per_page and number < MAX_LIST_PAGES
        return {"more": more, "articles": attach_cards(articles[:per_page])}

    if kept_as and not getattr(request, "is_preview", False):
        kept = fragments.memo(f"list:{kept_as}:{per_page}:{number}", ["site"], read, stale_ok=True)
    else:
        kept = read()
    return OpenPage(kept["articles"], number, kept["more"])


def paginate_ids(
    request: HttpRequest, ids: list[int], per_page: int | None = None
) -> PaginatorPage:
    """The requested page of articles given by id, in that order (a ranked search), each with
    what a list shows; a bad number is a 404."""
    per_page = per_page or settings.PADDOCK_ARTICLES_PER_PAGE
    number = page_number(request)
    if number is None:
        raise Http404("That page number is not valid.")
    page = page_or_404(Paginator(ids, per_page), number)
    wanted = list(page.object_list)
    found = {a.pk: a for a in article_list().prefetch_related(None).filter(pk__in=wanted)}
    articles = attach_cards(found[pk] for pk in wanted if pk in found)
    return PaginatorPage(articles, number, page.paginator)


def article_detail_context(article: ArticlePage, request: HttpRequest) -> dict:
    """Everything the article page shows beyond the article's own fields. What comes from the
    article's published relations is remembered until the site changes (a publish bumps the
    "site" tag); a preview always reads the draft."""
    if getattr(request, "is_preview", False) or article.pk is None:
        details = _article_details(article)
    else:
        details = _kept_details(article)
    return {
        **details,
        # Made when the template asks for it: the page's head is kept like its story.
        "structured_data": partial(
            article_structured_data,
            article,
            request,
            details["authors"],
            details["lead_rendition"],
            details["tags"],
        ),
    }


def article_writers(article: ArticlePage) -> frozenset[int]:
    """The accounts of the published article's writers (its bylines' contributors that have
    one), from its details as the article page reads them: no query of their own where the
    page read them already, kept with them until the site changes. A page that is not an
    article (a standard page imported with its comments) has no writers."""
    if article.pk is None or not isinstance(article, ArticlePage):
        return frozenset()
    # Kept on their own too: a page served from its shell (core/shells.py) reads the
    # discussion's badges and not the details, whose copy costs far more to take out.
    return fragments.memo(
        f"article-writers:{article.pk}",
        ["site"],
        lambda: frozenset(
            person.user_id for person in _kept_details(article)["authors"] if person.user_id
        ),
    )


def _kept_details(article: ArticlePage) -> dict:
    """The published article's details, kept until the site changes (a publish bumps "site")."""
    return fragments.memo(
        f"article-details:{article.pk}", ["site"], lambda: _published_details(article)
    )


def _article_details(article: ArticlePage) -> dict:
    """The details of an article as it is in memory (a draft's unsaved relations too)."""
    authors = list(article.authors.select_related("contributor").order_by("sort_order"))
    tags = list(article.tags.order_by("name"))
    return {
        "authors": [link.contributor for link in authors],
        "lead_rendition": _lead_rendition(article),
        "sources": list(article.sources.order_by("sort_order")),
        "tags": tags,
        "makes": list(article.makes.all()),
        "vehicle_models": list(article.vehicle_models.select_related("make")),
        "related_articles": related_articles(article, tags),
    }


def _lead_rendition(article: ArticlePage) -> LeadImage | None:
    """The article's lead image as Wagtail makes (or finds) its rendition: a new image, a moved
    focal point, a preview."""
    if not article.lead_image_id:
        return None
    rendition = article.lead_image.get_rendition(LEAD_FILTER)
    return LeadImage(rendition.url, rendition.width, rendition.height, rendition.alt)


def _lead_image(found) -> LeadImage | None:
    """The lead image's current rendition, from the rows of _LEAD_RENDITIONS (one image's)."""
    for url, width, height, *alt in _current_renditions(found, LEAD_FILTER).values():
        # AbstractImage.default_alt_text: the description, else the title.
        return LeadImage(url, width, height, next((text for text in alt if text), ""))
    return None


def list_rendition(image):
    """The rendition a list's card shows of an image (from its prefetched renditions), or
    Wagtail's stand-in when the original file is missing, as its {% image %} tag gives."""
    return get_rendition_or_not_found(image, LIST_FILTER)


# The published article's details as _article_details reads them, each query written once
# per process (core.shapes): on the first render after a publish, writing them cost more
# than running them.
# (The contributors themselves, in byline order: no link object made for each.)
_AUTHORS = QueryShape(
    Contributor,
    lambda article: Contributor.objects.filter(article_links__article_id=article).order_by(
        "article_links__sort_order", "article_links__pk"
    ),
    article=int,
)
_TAGS = QueryShape(
    Tag,
    lambda article: Tag.objects.filter(
        pk__in=ArticleTag.objects.filter(content_object_id=article).values("tag_id")
    ).order_by("name"),
    article=int,
)
_SOURCES = QueryShape(
    ArticleSource,
    lambda article: ArticleSource.objects.filter(article_id=article).order_by("sort_order"),
    article=int,
)
_MAKES = QueryShape(Make, lambda article: Make.objects.filter(articles=article), article=int)
_VEHICLE_MODELS = QueryShape(
    VehicleModel,
    lambda article: VehicleModel.objects.filter(articles=article).select_related("make"),
    article=int,
)


def _detail_statements(pk: int, image: int | None, private: tuple[str, ...]) -> tuple:
    """The statements of an article's details: the article `pk`, its lead image `image`."""
    return (
        _AUTHORS.bind(article=pk),
        _SOURCES.bind(article=pk),
        _TAGS.bind(article=pk),
        _MAKES.bind(article=pk),
        _VEHICLE_MODELS.bind(article=pk),
        _RELATED_TAGGED.bind(article=pk, variant=private),
        _LEAD_RENDITIONS.bind(ids=[image] if image else []),
    )


def read_details_ahead(article: ArticlePage, request: HttpRequest) -> None:
    """With nothing kept (every render reads the article's details), send the details'
    statements with the next ones the request sends (the discussion's: one round trip for
    both; core.shapes.read_ahead)."""
    if fragments.enabled() or getattr(request, "is_preview", False) or article.pk is None:
        return
    private = restricted_paths()
    # Already sent with the site chrome, unless the guess then was not this article.
    if getattr(request, "_paddock_article_ahead", None) != (
        article.pk,
        article.lead_image_id,
        private,
    ):
        read_ahead(*_detail_statements(article.pk, article.lead_image_id, private))
    memos.remember_article(article)


def read_article_ahead(request: HttpRequest, pk: int, image: int | None, private) -> None:
    """With nothing kept, before the page is routed to (memos._page_ahead): what the article
    `pk` (lead image `image`, under the private subtrees `private`) will read, its details and
    what the layers above read for it (ARTICLE_AHEAD_HOOK: the discussion), sent with the site
    chrome. Each statement is the one the page will run only if the guess holds (the article
    still at that address, the same image, the same private subtrees); one that does not is
    read for nothing, and the page reads its own."""
    read_ahead(*_detail_statements(pk, image, private))
    request._paddock_article_ahead = (pk, image, private)
    for hook in hooks.get_hooks(ARTICLE_AHEAD_HOOK):
        hook(pk, request)


def _published_details(article: ArticlePage) -> dict:
    """The details of a published article, read from the database (what `_article_details`
    gives for it, in the same order): one round trip on PostgreSQL (core.shapes.together),
    and one more for the related list's top-up when fewer than four articles share a tag."""
    private = restricted_paths()
    authors, sources, tags, makes, vehicle_models, tagged, renditions = together(
        *_detail_statements(article.pk, article.lead_image_id, private)
    )
    # The lead image's rendition as read, else made (or found) by Wagtail: a new image, a
    # moved focal point.
    lead = _lead_image(renditions)
    return {
        "authors": authors,
        "lead_rendition": lead or _lead_rendition(article),
        "sources": sources,
        "tags": tags,
        "makes": makes,
        "vehicle_models": vehicle_models,
        "related_articles": _topped_up(article, tagged, private),
    }


def related_articles(article: ArticlePage, tags) -> list[ArticlePage]:
    """Articles sharing a tag, newest first, topped up with the newest of the same section, so
    that a lightly-tagged article still offers something. Two short indexed queries, whatever
    the number of articles: never a sort of them all."""
    candidates = ArticlePage.objects.published().exclude(pk=article.pk)
    newest = ("-published_at", "-pk")
    tag_ids = [tag.pk for tag in tags]
    sharing = ArticleTag.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    tagged = list(candidates.filter(pk__in=sharing).order_by(*newest)[:RELATED_COUNT])
    section_path = article.path[: -ArticlePage.steplen]
    same_section = candidates.filter(path__startswith=section_path).order_by(*newest)
    return _top_up(tagged, same_section[: RELATED_COUNT * 2])


def _top_up(tagged: list[ArticlePage], same_section) -> list[ArticlePage]:
    seen = {a.pk for a in tagged}
    extra = [a for a in same_section if a.pk not in seen]
    return (tagged + extra)[:RELATED_COUNT]


# related_articles as written once per process, for a published article (its tags as stored)
# and each set of private subtrees (the variant). The articles of the same section that top
# the list up are those sharing no tag (the others are all in the first list already, or it
# is full), as many as are missing: none to read when four articles share a tag (and then
# the tag may be shared by tens of thousands, which the top-up would have to pass over).
_RELATED_TAGGED = QueryShape(
    ArticlePage,
    lambda article, variant: (
        ArticlePage.objects.published(variant)
        .exclude(pk=article)
        .filter(pk__in=_sharing_a_tag(article))
        .order_by("-published_at", "-pk")
        .only(*CARD_FIELDS)[:RELATED_COUNT]
    ),
    article=int,
)
_RELATED_SECTION = QueryShape(
    ArticlePage,
    lambda article, section_path, variant: (
        ArticlePage.objects.published(variant[0])
        .exclude(pk=article)
        .filter(path__startswith=section_path)
        .exclude(pk__in=_sharing_a_tag(article))
        .order_by("-published_at", "-pk")
        .only(*CARD_FIELDS)[: variant[1]]
    ),
    article=int,
    section_path=str,
)


def _sharing_a_tag(article):
    """The ids of the articles sharing a tag with this one (itself included)."""
    tags = ArticleTag.objects.filter(content_object_id=article).values("tag_id")
    return ArticleTag.objects.filter(tag_id__in=tags).values("content_object_id")


def _published_related(article: ArticlePage) -> list[ArticlePage]:
    private = restricted_paths()
    return _topped_up(article, _RELATED_TAGGED.all(article=article.pk, variant=private), private)


def _topped_up(article: ArticlePage, tagged: list[ArticlePage], private) -> list[ArticlePage]:
    missing = RELATED_COUNT - len(tagged)
    if not missing:
        return tagged
    return tagged + _RELATED_SECTION.all(
        article=article.pk,
        section_path=article.path[: -ArticlePage.steplen],
        variant=(private, missing),
    )


def with_photos(people: QuerySet[Contributor]) -> QuerySet[Contributor]:
    """People with the rendition of their photo that the people pages show, in two queries."""
    images = get_image_model().objects.prefetch_renditions(PHOTO_RENDITION)
    return people.prefetch_related(Prefetch("photo", queryset=images))


def contributors_with_articles() -> QuerySet[Contributor]:
    """The writers on the masthead: contributors with at least one published article. Asked of
    each contributor with a byline at all (their first published byline, a subquery
    PostgreSQL runs per row and stops at one match), not by joining every article: under a
    millisecond with a hundred thousand articles instead of a scan of them all. The
    subquery is in the SELECT list, so that it runs after the join on the contributor's
    index: in the WHERE clause it ran first, and cost a contributor without a byline (a
    moderator) a scan of every byline (chrome.py's masthead part asks the same way)."""

    bylines = ArticleAuthor.objects.filter(
        contributor=OuterRef("pk"), article__live=True, article__published_at__isnull=False
    )
    private = private_q("article__")
    if private is not None:
        bylines = bylines.exclude(private)
    first = Subquery(bylines.order_by().values("article_id")[:1])
    writers = (
        Contributor.objects.filter(Exists(ArticleAuthor.objects.filter(contributor=OuterRef("pk"))))
        .annotate(first_article=first)
        .values_list("pk", "first_article")
    )
    ids = [pk for pk, first_article in writers if first_article is not None]
    return Contributor.objects.filter(pk__in=ids).order_by("display_name")


def moderators() -> QuerySet[Contributor]:
    """Profiles of the active members of the Moderators group: those of the site chrome's part
    (chrome.py, which finds them without reading every reader's membership)."""
    people = core_chrome.get(MODERATORS_PART)
    return Contributor.objects.filter(pk__in=[person.pk for person in people]).order_by(
        "display_name"
    )


def article_structured_data(
    article: ArticlePage, request: HttpRequest, authors, lead, tags=None
) -> dict:
    """schema.org NewsArticle, as search engines read it from JSON-LD."""
    url = request.build_absolute_uri(article.get_url(request) or request.path)
    published = article.published_at or article.first_published_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title[:110],
        "description": article.standfirst or article.search_description,
        "datePublished": published.isoformat() if published else None,
        "dateModified": (article.last_published_at or published).isoformat()
        if (article.last_published_at or published)
        else None,
        "author": [
            {
                "@type": "Person",
                "name": person.display_name,
                "url": request.build_absolute_uri(person.get_absolute_url()),
            }
            for person in authors
        ],
        "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        "keywords": [tag.name for tag in (article.tags.all() if tags is None else tags)],
    }
    if lead is not None:
        data["image"] = [request.build_absolute_uri(lead.url)]
    section = article.section
    if section is not None:
        data["articleSection"] = section.title
    return data
