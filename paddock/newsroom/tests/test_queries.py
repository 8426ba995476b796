"""Query counts of the public pages do not grow with their content (no N+1).

Each page is measured with 2 articles and again with 20, every article carrying several
authors, tags, sources, makes, models and a lead image. Run with -s to see the counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images import get_image_model

from paddock.core.roles import MODERATORS

from .factories import (
    ContributorFactory,
    MakeFactory,
    UserFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

pytestmark = pytest.mark.django_db


_colours = itertools.cycle([(200, 30, 30), (30, 120, 200), (40, 160, 80), (230, 180, 20)])


def make_image(title: str):
    buffer = BytesIO()
    PILImage.new("RGB", (96, 54), next(_colours)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    )


class Newsroom:
    """A growing site in which the measured pages keep their addresses as content is added."""

    def __init__(self) -> None:
        self.news, self.reviews = make_section("News"), make_section("Reviews")
        self.ana = ContributorFactory(display_name="Ana Ruiz", photo=make_image("Ana"))
        self.makes = [MakeFactory(name=name) for name in ("Volvo", "Kia", "Ford")]
        self.models = [VehicleModelFactory(make=make, name="Alpha") for make in self.makes]
        self.count = 0
        for n in range(2):
            user = UserFactory(username=f"moderator{n}")
            user.groups.add(Group.objects.get(name=MODERATORS))
            ContributorFactory(
                display_name=f"Moderator {n}", country="FR", user=user, photo=make_image(f"M{n}")
            )

    def add_articles(self, how_many: int) -> None:
        for _ in range(how_many):
            n = self.count = self.count + 1
            co_authors = [
                ContributorFactory(display_name=f"Writer {n}", photo=make_image(f"Writer {n}")),
                ContributorFactory(display_name=f"Second writer {n}", country="JP"),
            ]
            make_article(
                self.news if n % 4 else self.reviews,
                title=f"Electric story {n}",
                authors=[self.ana, *co_authors],
                tags=["electric", f"topic-{n}", f"theme-{n}"],
                sources=[
                    (f"Daily {n}", f"https://daily.example/{n}", True),
                    (f"Wire {n}", f"https://wire.example/{n}", False),
                    (f"Journal {n}", f"https://journal.example/{n}", n % 2 == 0),
                ],
                makes=self.makes,
                vehicle_models=self.models,
                lead_image=make_image(f"Lead {n}"),
                published_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
            )

    @property
    def first_article_url(self) -> str:
        return "/news/electric-story-1/"


PAGES = {
    "home": "/",
    "section": "/news/",
    "tag": "/tags/electric/",
    "author": "/authors/ana-ruiz/",
    "article": "/news/electric-story-1/",
    "make": "/makes/volvo/",
    "vehicle model": "/makes/volvo/alpha/",
    "archive year": "/archive/2024/",
    "archive month": "/archive/2024/3/",
    "contributors": "/contributors/",
    "moderators": "/moderators/",
    "search": "/search/?q=electric",
    "rss": "/feeds/rss/",
    "atom": "/feeds/atom/",
    "section rss": "/feeds/sections/news/rss/",
    "author atom": "/feeds/authors/ana-ruiz/atom/",
    "sitemap": "/sitemap.xml",
}


def measure(client) -> dict[str, int]:
    counts = {}
    for name, url in PAGES.items():
        # The first visit makes the image renditions, as a live site already has them; the
        # cache is then emptied, so that it cannot hide a query per item.
        assert client.get(url).status_code == 200, url
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def test_public_pages_run_the_same_number_of_queries_with_2_and_20_articles(client, settings):
    settings.PADDOCK_ARTICLES_PER_PAGE = 50
    site = Newsroom()
    site.add_articles(2)
    few = measure(client)
    site.add_articles(18)
    many = measure(client)

    print("\nqueries per page   2 articles   20 articles")
    for name in PAGES:
        print(f"  {name:<16} {few[name]:>10} {many[name]:>13}")
    grown = {name: (few[name], many[name]) for name in PAGES if many[name] != few[name]}
    assert grown == {}


def test_article_page_queries_do_not_grow_with_its_authors_tags_and_sources(client):
    news = make_section("News")
    makes = [MakeFactory(name=f"Make {n}") for n in range(6)]
    models = [VehicleModelFactory(make=make) for make in makes]

    def article(slug: str, size: int) -> str:
        page = make_article(
            news,
            title=slug,
            slug=slug,
            authors=[ContributorFactory(photo=make_image(f"{slug} {n}")) for n in range(size)],
            tags=[f"{slug}-{n}" for n in range(size)],
            sources=[(f"S{n}", f"https://s.example/{n}", n % 2 == 0) for n in range(size)],
            makes=makes[:size],
            vehicle_models=models[:size],
            lead_image=make_image(slug),
        )
        return page.url

    small, large = article("small", 1), article("large", 6)
    counts = {}
    for url in (small, large):
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)

    print(f"\narticle page: 1 of each {counts[small]}, 6 of each {counts[large]}")
    assert counts[small] == counts[large]
