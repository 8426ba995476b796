"""sitemap.xml: every live page from Wagtail's own sitemap, plus author and tag pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max
from taggit.models import Tag
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from .models import ArticlePage, Contributor
from .selectors import contributors_with_articles


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return contributors_with_articles()

    def location(self, item: Contributor) -> str:
        return item.get_absolute_url()


class TagSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        published = ArticlePage.objects.published().values("pk")
        return (
            Tag.objects.filter(newsroom_articletag_items__content_object__in=published)
            .annotate(latest=Max("newsroom_articletag_items__content_object__published_at"))
            .order_by("name")
        )

    def location(self, item: Tag) -> str:
        from django.urls import reverse

        return reverse("newsroom:tag", kwargs={"slug": item.slug})

    def lastmod(self, item: Tag):
        return item.latest


def sitemap(request):
    sitemaps = {"pages": PageSitemap(request), "authors": AuthorSitemap, "tags": TagSitemap}
    return sitemap_view(request, sitemaps=sitemaps)
