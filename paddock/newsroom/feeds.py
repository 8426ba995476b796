"""RSS 2.0 and Atom feeds for the whole site, each section and each author."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from . import selectors
from .memos import site_root_paths
from .models import ArticlePage, Contributor, SectionPage

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    description = "The latest articles."

    def title(self, obj=None) -> str:
        return settings.WAGTAIL_SITE_NAME

    def link(self, obj=None) -> str:
        return "/"

    def articles(self, obj):
        return selectors.article_list().prefetch_related("tags")

    def items(self, obj=None):

        items = list(self.articles(obj)[:FEED_SIZE])
        paths = site_root_paths()
        for item in items:  # item.url without a trip to the cache apiece
            item._wagtail_cached_site_root_paths = paths
        return items

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst or item.search_description

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_pubdate(self, item: ArticlePage):
        return item.published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at or item.published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return ", ".join(link.contributor.display_name for link in item.authors.all())

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> SectionPage:
        return get_object_or_404(SectionPage.objects.live().public(), slug=slug)

    def title(self, obj: SectionPage) -> str:
        return f"{settings.WAGTAIL_SITE_NAME}: {obj.title}"

    def link(self, obj: SectionPage) -> str:
        return obj.url

    def description(self, obj: SectionPage) -> str:
        return obj.introduction or f"The latest articles in {obj.title}."

    def articles(self, obj: SectionPage):
        return super().articles(obj).child_of(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: SectionPage) -> str:
        return self.description(obj)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Contributor:
        return get_object_or_404(Contributor, slug=slug)

    def title(self, obj: Contributor) -> str:
        return f"{settings.WAGTAIL_SITE_NAME}: articles by {obj.display_name}"

    def link(self, obj: Contributor) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Contributor) -> str:
        return f"The latest articles by {obj.display_name}."

    def articles(self, obj: Contributor):
        return super().articles(obj).filter(authors__contributor=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Contributor) -> str:
        return self.description(obj)
