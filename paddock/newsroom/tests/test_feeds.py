"""RSS 2.0 and Atom feeds for the site, each section and each author, read as XML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from paddock.newsroom.models import SectionPage

from .factories import ContributorFactory, make_article, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end; each test runs in a
    savepoint within it, as with Django's TestCase.setUpTestData."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            with disable_reference_index_auto_update():
                data = _newsroom()
            yield data
        finally:
            transaction.set_rollback(True)


def _newsroom() -> dict:
    """Two sections, two authors, and one article of each combination plus a draft."""
    news, reviews = make_section("News"), make_section("Reviews")
    ana = ContributorFactory(display_name="Ana Ruiz")
    ben = ContributorFactory(display_name="Ben Ode")
    make_article(news, title="News by Ana", authors=[ana], published_at=at(2026, 3, 4))
    make_article(news, title="News by Ben", authors=[ben], published_at=at(2026, 3, 3))
    make_article(
        reviews,
        title="Review by both",
        authors=[ana, ben],
        tags=["suv"],
        published_at=at(2026, 3, 2),
    )
    make_article(reviews, title="Draft review", authors=[ana], publish=False)
    return {"news": news, "reviews": reviews, "ana": ana, "ben": ben}


def rss(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def atom(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def rss_items(channel: ET.Element) -> list[tuple[str, str]]:
    return [(i.findtext("title"), i.findtext("link")) for i in channel.findall("item")]


def atom_entries(feed: ET.Element) -> list[tuple[str, str]]:
    return [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"))
        for e in feed.findall(f"{ATOM}entry")
    ]


def test_site_rss_lists_every_published_article_newest_first(client, newsroom):
    channel = rss(client, "/feeds/rss/")

    assert channel.findtext("title") == "Paddock"
    assert channel.findtext("link") == f"{BASE}/"
    assert rss_items(channel) == [
        ("News by Ana", f"{BASE}/news/news-by-ana/"),
        ("News by Ben", f"{BASE}/news/news-by-ben/"),
        ("Review by both", f"{BASE}/reviews/review-by-both/"),
    ]


def test_site_rss_items_carry_date_authors_summary_and_tags(client, newsroom):
    item = rss(client, "/feeds/rss/").findall("item")[2]

    assert item.findtext("pubDate") == "Mon, 02 Mar 2026 00:00:00 +0000"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ana Ruiz, Ben Ode"
    assert item.findtext("description").startswith("Standfirst")
    assert [c.text for c in item.findall("category")] == ["suv"]


def test_site_atom_lists_every_published_article_newest_first(client, newsroom):
    feed = atom(client, "/feeds/atom/")

    assert feed.findtext(f"{ATOM}title") == "Paddock"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}/"
    assert atom_entries(feed) == [
        ("News by Ana", f"{BASE}/news/news-by-ana/"),
        ("News by Ben", f"{BASE}/news/news-by-ben/"),
        ("Review by both", f"{BASE}/reviews/review-by-both/"),
    ]
    authors = feed.findall(f"{ATOM}entry")[2].findall(f"{ATOM}author/{ATOM}name")
    assert [a.text for a in authors] == ["Ana Ruiz, Ben Ode"]


def test_section_rss_lists_only_that_sections_articles(client, newsroom):
    channel = rss(client, "/feeds/sections/news/rss/")

    assert channel.findtext("title") == "Paddock: News"
    assert channel.findtext("link") == f"{BASE}/news/"
    assert [title for title, _ in rss_items(channel)] == ["News by Ana", "News by Ben"]


def test_section_atom_lists_only_that_sections_articles(client, newsroom):
    feed = atom(client, "/feeds/sections/reviews/atom/")

    assert feed.findtext(f"{ATOM}title") == "Paddock: Reviews"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}/reviews/"
    assert atom_entries(feed) == [("Review by both", f"{BASE}/reviews/review-by-both/")]


def test_author_rss_lists_only_that_authors_articles(client, newsroom):
    channel = rss(client, "/feeds/authors/ben-ode/rss/")

    assert channel.findtext("title") == "Paddock: articles by Ben Ode"
    assert channel.findtext("link") == f"{BASE}/authors/ben-ode/"
    assert [title for title, _ in rss_items(channel)] == ["News by Ben", "Review by both"]


def test_author_atom_lists_only_that_authors_articles_and_no_drafts(client, newsroom):
    feed = atom(client, "/feeds/authors/ana-ruiz/atom/")

    assert feed.findtext(f"{ATOM}title") == "Paddock: articles by Ana Ruiz"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}/authors/ana-ruiz/"
    assert [title for title, _ in atom_entries(feed)] == ["News by Ana", "Review by both"]


def test_feed_of_an_empty_section_is_valid_and_empty(client, newsroom):
    make_section("Classics")

    assert rss(client, "/feeds/sections/classics/rss/").findall("item") == []
    assert atom(client, "/feeds/sections/classics/atom/").findall(f"{ATOM}entry") == []


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/sections/no-such-section/rss/",
        "/feeds/sections/no-such-section/atom/",
        "/feeds/authors/no-such-author/rss/",
        "/feeds/authors/no-such-author/atom/",
    ],
)
def test_feed_of_an_unknown_section_or_author_is_404(client, newsroom, url):
    assert client.get(url).status_code == 404


def test_feed_of_an_unpublished_section_is_404(client, newsroom):
    SectionPage.objects.get(pk=newsroom["reviews"].pk).unpublish()

    assert client.get("/feeds/sections/reviews/rss/").status_code == 404
    assert client.get("/feeds/sections/reviews/atom/").status_code == 404


def test_feed_escapes_markup_in_titles(client, newsroom):
    news = SectionPage.objects.get(pk=newsroom["news"].pk)  # fresh: the tree changed in memory
    make_article(news, title="Fast & <b>loud</b>", published_at=at(2026, 3, 5))

    assert rss(client, "/feeds/rss/").findall("item")[0].findtext("title") == "Fast & <b>loud</b>"
