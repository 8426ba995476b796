"""Articles and what they are made of: sections, contributors, sources, vehicles and tags.

The page tree is Home → Section → Article, so that a section is where its articles live and
Wagtail's page permissions (contributors add, editors publish) apply per section.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import models
from django.db.models import DEFERRED, Q
from django.http import Http404
from django.utils.text import slugify
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from paddock.core import rows, shells
from paddock.core.countries import country_name
from paddock.core.pagecache import PAGE_TAGS, cacheable
from paddock.core.urls import reverse_slug, site_page_parts

# The Wagtail hook an app registers on to add to an article page's template context:
# `fn(article, request) -> dict`. Its queries must not grow with the page's content.
ARTICLE_CONTEXT_HOOK = "paddock_article_context"
# And the one it registers on to send, with nothing kept, what its context hook will read,
# before the page is routed to: `fn(article_id, request) -> None`, calling
# core.shapes.read_ahead (newsroom.memos reads the site chrome with them).
ARTICLE_AHEAD_HOOK = "paddock_article_read_ahead"
# What an article page's shell shows besides its holes (the discussion, the recent comments:
# core/shells.py) depends on: a publish, a person, a section ("site").
SHELL_TAGS = ("site",)

BODY_FEATURES = [
    "h2",
    "h3",
    "bold",
    "italic",
    "link",
    "ol",
    "ul",
    "blockquote",
    "hr",
    "image",
    "embed",
]


class Contributor(index.Indexed, models.Model):
    """A person on the masthead: a writer, a moderator or both, with a public profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text="The account this person signs in with.",
    )
    display_name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    country = CountryField(blank=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("display_name"),
        FieldPanel("slug"),
        FieldPanel("user"),
        FieldPanel("country"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("display_name"), index.AutocompleteField("display_name")]

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = _unique_slug(Contributor, self.display_name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_slug("newsroom:author", "slug", self.slug)

    @property
    def country_name(self) -> str:
        """The country's name as pages show it, "" for none (looked up once a process)."""
        return country_name(self.country_code)

    @property
    def country_code(self) -> str:
        """The code the field stores, without the Country object its attribute makes each time
        (the masthead asks for every contributor and moderator on every page)."""
        code = self.__dict__.get("country")
        return code if isinstance(code, str) else self.country.code


class Make(models.Model):
    """A vehicle manufacturer articles can be filed under."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = _unique_slug(Make, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_slug("newsroom:make", "slug", self.slug)


class VehicleModel(models.Model):
    """A model line of a make, such as a particular sedan or pickup."""

    make = models.ForeignKey(Make, on_delete=models.CASCADE, related_name="vehicle_models")
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, blank=True)

    panels = [FieldPanel("make"), FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["make__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["make", "slug"], name="vehicle_model_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.make.name} {self.name}"

    def save(self, *args, **kwargs):
        if not self.slug:
            # Unique within the make, and never empty (a name in another script slugifies to "").
            siblings = VehicleModel.objects.filter(make_id=self.make_id)
            self.slug = _unique_slug(VehicleModel, self.name, exclude_pk=self.pk, within=siblings)
        super().save(*args, **kwargs)


# A page model → where its primary key is among its concrete fields (CachedPageMixin.from_db).
_PK_AT: dict[type, int] = {}


class CachedPageMixin:
    """Anonymous readers get these pages from the full-page cache (paddock/core/pagecache.py),
    invalidated by the tags the page shows."""

    def page_cache_tags(self) -> tuple[str, ...]:
        return PAGE_TAGS

    @property
    def specific(self):
        """The page in its most specific form, as Wagtail's `specific` gives it. A page of its
        own specific class is that form: Wagtail's cached property keeps it in the page's own
        attributes, a cycle (the page routed to from, every request) that only the garbage
        collector frees (core.memory)."""
        if type(self) is self.specific_class:
            return self
        found = self.__dict__.get("_paddock_specific")
        if found is None:
            found = self.__dict__["_paddock_specific"] = self.get_specific()
        return found

    @classmethod
    def from_db(cls, db, field_names, values):
        """A page read from the database, made as Django's model constructor makes it, its row
        copied into it when nothing listens to its making (core.rows), else by that
        constructor alone. The page classes' own constructors above it act only on what a row
        never brings: modelcluster's looks through every relation for child objects given by
        keyword, Wagtail's fill in a page being created (no id yet). A list of cards makes
        dozens."""
        if rows.fillable(cls):
            page = rows.from_row(cls, db, field_names, values)
            if page.__dict__.get(cls._meta.pk.attname) is not None:
                return page
        concrete = cls._meta.concrete_fields
        if len(values) != len(concrete):  # deferred fields, as Model.from_db fills them
            given = iter(values)
            values = [next(given) if f.attname in field_names else DEFERRED for f in concrete]
        at = _PK_AT.get(cls)
        if at is None:
            at = _PK_AT[cls] = [f.attname for f in concrete].index(cls._meta.pk.attname)
        if values[at] is None or values[at] is DEFERRED:
            return super().from_db(db, field_names, values)
        page = cls.__new__(cls)
        models.Model.__init__(page, *values)
        page._state.adding = False
        page._state.db = db
        return page

    def serve(self, request, *args, **kwargs):
        self._serving(request)
        return super().serve(request, *args, **kwargs)

    def _serving(self, request) -> None:
        cacheable(request, *self.page_cache_tags())
        # The page served asks for its own URL without the request (`page.url` in templates):
        # it shares the request's site root paths (newsroom.memos.SiteMiddleware) rather
        # than read Wagtail's copy from the shared cache for itself.
        if hasattr(request, "_wagtail_cached_site_root_paths"):
            self._wagtail_cached_site_root_paths = request._wagtail_cached_site_root_paths

    def get_url_parts(self, request=None):
        """Wagtail's, with the path below the site's root made into a URL without reverse()
        (paddock.core.urls.site_page_parts): a list of cards builds dozens of page URLs.
        Wagtail's own for what the shortcut does not cover (no site or several claiming the
        page, a path its pattern does not take, localised URLs)."""
        parts = site_page_parts(self.url_path, self._get_site_root_paths(request))
        return parts if parts is not None else super().get_url_parts(request)

    def get_view_restrictions(self):
        """Wagtail's check of this page's and its ancestors' restrictions, skipped (with its
        two queries) when the site has no private pages at all."""
        from wagtail.models import PageViewRestriction

        from .memos import restricted_paths  # they import these models

        if not restricted_paths():
            none = PageViewRestriction.objects.none()
            # Already read, as nothing: Wagtail's check on every page it serves loops over it,
            # and an empty queryset still goes through the ORM's compiler to find it has no
            # rows. A queryset still, for the admin's views, which order and filter it.
            none._result_cache, none._prefetch_done = [], True
            return none
        return super().get_view_restrictions()


class HomePage(CachedPageMixin, Page):
    """The front page: the latest articles from every section."""

    tagline = models.CharField(max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("tagline")]
    subpage_types = ["newsroom.SectionPage", "pages.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .selectors import listed_page  # they import these models

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listed_page(request, self, children=False)
        return context

    def route(self, request, path_components):
        """/<section>/ and /<section>/<article>/ from the kept sections and the kept article at
        that path (memos.article_at) instead of a query per level of the tree; anything else
        is routed by Wagtail as usual."""
        from .memos import article_at, section_at, sections_by_path  # they import these models

        if len(path_components) == 1:
            url_path = f"{self.url_path}{path_components[0]}/"
            for section in sections_by_path().values():
                if section.url_path == url_path:
                    if not section.live:
                        raise Http404
                    # A copy: the kept section is shared by this process's requests.
                    return RouteResult(copy.copy(section))
        if len(path_components) == 2:
            url_path = f"{self.url_path}{path_components[0]}/{path_components[1]}/"
            article = article_at(url_path, path_components[1])
            if article is not None:
                if not article.live:
                    raise Http404
                section = section_at(article.path[: -article.steplen])
                article._section = article._cached_parent_obj = section
                if hasattr(request, "_wagtail_cached_site_root_paths"):
                    # For article.url, which asks the page, not the request, for them.
                    article._wagtail_cached_site_root_paths = (
                        request._wagtail_cached_site_root_paths
                    )
                return RouteResult(article)
        return super().route(request, path_components)


class SectionPage(CachedPageMixin, Page):
    """A section of the site (News, Reviews, Electric...) holding its articles."""

    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["newsroom.ArticlePage"]
    parent_page_types = ["newsroom.HomePage"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import listed_page  # they import these models

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listed_page(request, self, children=True)
        return context


class ArticleQuerySet(PageQuerySet):
    def public(self, private_paths: tuple[str, ...] | None = None) -> ArticleQuerySet:
        """Articles outside private subtrees, from the remembered list of restrictions
        (Wagtail's own version queries them every time), or outside these paths' subtrees."""
        from .memos import private_q  # they import these models

        q = private_q(paths=private_paths)
        return self if q is None else self.exclude(q)

    def published(self, private_paths: tuple[str, ...] | None = None) -> ArticleQuerySet:
        """Articles a reader may see: live, public and dated."""
        return self.live().public(private_paths).filter(published_at__isnull=False)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(CachedPageMixin, Page):
    """A news story: headline, standfirst, body, authors, sources and what it is about."""

    standfirst = models.TextField(
        blank=True, help_text="One or two sentences under the headline, also used as summary."
    )
    # Blank is allowed: a WordPress post with no content is still a post (a title and its
    # discussion), and an editor may write the body later.
    body = RichTextField(features=BODY_FEATURES, blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(max_length=250, blank=True)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Shown in the byline; left blank, it is set when the article first goes live.",
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    makes = ParentalManyToManyField(Make, blank=True, related_name="articles")
    vehicle_models = ParentalManyToManyField(VehicleModel, blank=True, related_name="articles")
    comments_closed = models.BooleanField(
        default=False, help_text="Readers can no longer comment; existing comments stay."
    )

    objects = PageManager.from_queryset(ArticleQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading="Lead image"
        ),
        FieldPanel("body"),
        InlinePanel("authors", label="Author", min_num=1),
        InlinePanel("sources", label="Cited source"),
    ]
    promote_panels = Page.promote_panels + [
        FieldPanel("published_at"),
        FieldPanel("tags"),
        FieldPanel("makes"),
        FieldPanel("vehicle_models"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("comments_closed")]
    # The title (boost 2, from Page), the standfirst and the tags weigh more than the body;
    # paddock/newsroom/search.py ranks the same way on databases whose index ignores boosts.
    search_fields = Page.search_fields + [
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
        index.FilterField("published_at"),
        index.RelatedFields("tags", [index.SearchField("name", boost=1.5)]),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        indexes = [
            models.Index(fields=["-published_at"], name="article_published_desc"),
            # The published articles' ids alone, which the lists count (with the live pages'
            # index of migration 0004), so that counting reads two small indexes in id
            # order, not the articles' and pages' rows.
            models.Index(
                fields=["page_ptr"], condition=Q(published_at__isnull=False), name="article_dated"
            ),
        ]

    def page_cache_tags(self) -> tuple[str, ...]:
        return (*PAGE_TAGS, f"article:{self.pk}")

    def get_context(self, request, *args, **kwargs):
        from .selectors import article_detail_context, read_details_ahead  # they import these

        context = super().get_context(request, *args, **kwargs)
        layers = {}
        if request is not None and hasattr(request, "GET"):
            # The layers' context first: with nothing kept, the details' statements go with
            # the discussion's, in one round trip.
            read_details_ahead(self, request)
            layers = self._layers_context(request)
        context.update(article_detail_context(self, request))
        context.update(layers)
        return context

    def _layers_context(self, request) -> dict:
        # What the layers above add to an article's page (the discussion registers in
        # paddock/comments/wagtail_hooks.py): each hook returns a dict for the template.
        context: dict = {}
        for hook in hooks.get_hooks(ARTICLE_CONTEXT_HOOK):
            context.update(hook(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        """The page, from this process's shell of it when it has a current one (its
        discussion and the sidebar's recent comments rendered again, the rest as kept: a new
        comment leaves the story, byline, related articles and chrome as they were; see
        paddock/core/shells.py), else rendered whole, and its shell kept for the next reader."""
        key = shells.key_for(request, f"article:{self.pk}")
        shell = shells.get(request, key, SHELL_TAGS)
        if shell is not None:
            self._serving(request)
            # Wagtail's own context of a page, and what the layers above add: what the holes
            # read (not the article's details, which only the shell shows).
            context = Page.get_context(self, request)
            context.update(self._layers_context(request))
            return shells.fill(shell, request, context)
        with shells.recording(request) as recorded:
            response = super().serve(request, *args, **kwargs)
            if recorded is not None:
                response.render()
        return shells.keep(recorded, request, response, key, SHELL_TAGS)

    @property
    def section(self) -> SectionPage | None:
        if not hasattr(self, "_section"):
            parent = self.get_parent()
            self._section = parent.specific if parent else None
        return self._section

    @property
    def author_profiles(self) -> list[Contributor]:
        """The article's contributors in byline order: those a list read for its cards
        (selectors.attach_cards), else from a prefetch when there is one, else a query."""
        listed = self.__dict__.get("listed_authors")
        if listed is not None:
            return listed
        links = sorted(self.authors.all(), key=lambda link: link.sort_order or 0)
        return [link.contributor for link in links]


class ArticleAuthor(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="authors")
    contributor = models.ForeignKey(
        Contributor, on_delete=models.PROTECT, related_name="article_links"
    )

    panels = [FieldPanel("contributor")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["article", "contributor"], name="article_author_unique")
        ]

    def __str__(self) -> str:
        return str(self.contributor)


class ArticleSource(Orderable):
    """A source the article cites; subscription-only ones are marked "[sub]"."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    subscription_required = models.BooleanField(
        default=False, help_text="Readers need a subscription to read it: shown as [sub]."
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("subscription_required")]

    def __str__(self) -> str:
        return self.name


def _unique_slug(model, text: str, *, exclude_pk=None, max_length: int = 60, within=None) -> str:
    base = slugify(text)[: max_length - 5] or "item"
    slug, n = base, 2
    others = within if within is not None else model.objects.all()
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    while others.filter(Q(slug=slug)).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
