"""sitemap.xml: every live page from Wagtail's own sitemap, plus author and tag pages, all on
the Wagtail site's address (paddock/core/sites.py), as every page's own link is."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max
from django.http import HttpRequest
from taggit.models import Tag
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.models import Site

from .models import ArticlePage, Contributor
from .selectors import contributors_with_articles


class OnSiteAddress(Sitemap):
    """Locations on the request's Wagtail site's address rather than the request's own host,
    like the pages Wagtail lists: one host throughout the sitemap."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        site = Site.find_for_request(request)
        self.root = urlsplit(site.root_url) if site else None

    def get_protocol(self, protocol=None):
        return self.root.scheme if self.root else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return self.root.netloc if self.root else super().get_domain(site)


class AuthorSitemap(OnSiteAddress):
    changefreq = "weekly"

    def items(self):
        return contributors_with_articles()

    def location(self, item: Contributor) -> str:
        return item.get_absolute_url()


class TagSitemap(OnSiteAddress):
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
    sitemaps = {
        "pages": PageSitemap(request),
        "authors": AuthorSitemap(request),
        "tags": TagSitemap(request),
    }
    return sitemap_view(request, sitemaps=sitemaps)
