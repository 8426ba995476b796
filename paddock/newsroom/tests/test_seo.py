"""What search engines and link previews read: sitemap, robots.txt, canonical, Open Graph,
Twitter cards and schema.org JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from .factories import ContributorFactory, make_article, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://testserver"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def make_image(title: str = "Lead"):
    buffer = BytesIO()
    PILImage.new("RGB", (320, 180), (180, 40, 40)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower()}.png")
    )


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(page: BeautifulSoup) -> dict:
    blocks = page.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


# --- sitemap.xml and robots.txt ------------------------------------------------------------


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [urlsplit(loc.text).path for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_live_articles_authors_and_tags_but_not_drafts(client):
    news = make_section("News")
    ana = ContributorFactory(display_name="Ana Ruiz")
    shy = ContributorFactory(display_name="Shy Writer")
    live = make_article(news, title="Live story", authors=[ana], tags=["hybrids"])
    draft = make_article(news, title="Draft story", authors=[shy], tags=["secret"], publish=False)
    gone = make_article(news, title="Withdrawn story", authors=[shy], tags=["secret"])
    gone.unpublish()

    paths = sitemap_paths(client)

    assert "/" in paths and "/news/" in paths
    assert live.url in paths
    assert "/authors/ana-ruiz/" in paths
    assert "/tags/hybrids/" in paths
    assert draft.url not in paths and gone.url not in paths
    assert "/authors/shy-writer/" not in paths
    assert "/tags/secret/" not in paths


def test_sitemap_gives_tags_the_date_of_their_latest_article(client):
    news = make_section("News")
    make_article(news, tags=["hybrids"], published_at=at(2025, 1, 2))
    make_article(news, tags=["hybrids"], published_at=at(2025, 4, 9))

    root = ET.fromstring(client.get("/sitemap.xml").content)
    entry = next(
        url
        for url in root.iter(f"{SITEMAP}url")
        if url.findtext(f"{SITEMAP}loc").endswith("/tags/hybrids/")
    )

    assert entry.findtext(f"{SITEMAP}lastmod") == "2025-04-09"


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


# --- Article head --------------------------------------------------------------------------


def test_article_head_has_canonical_open_graph_and_twitter_tags(client):
    news = make_section("News")
    article = make_article(news, title="Plant moves south", published_at=at(2026, 3, 5, 9))
    url = f"{BASE}/news/plant-moves-south/"

    page = soup_of(client.get(article.url))

    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "Plant moves south"
    assert meta(page, "og:url") == url
    assert meta(page, "og:description") == article.standfirst
    assert meta(page, "og:image") is None
    assert meta(page, "article:published_time").startswith("2026-03-05T09:00:00")
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "twitter:title") == "Plant moves south"


def test_article_with_lead_image_announces_it_to_open_graph_and_twitter(client):
    news = make_section("News")
    article = make_article(news, lead_image=make_image())

    page = soup_of(client.get(article.url))

    image_url = meta(page, "og:image")
    assert image_url.startswith(f"{BASE}/media/images/")
    assert client.get(urlsplit(image_url).path).status_code == 200
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == image_url
    assert json_ld(page)["image"] == [image_url]
    assert page.select_one(".story__lead img")["src"] == urlsplit(image_url).path


def test_article_json_ld_describes_a_news_article(client):
    news = make_section("News")
    people = [
        ContributorFactory(display_name="Ana Ruiz"),
        ContributorFactory(display_name="Ben Ode"),
    ]
    article = make_article(
        news,
        title="Plant moves south",
        authors=people,
        tags=["plants"],
        published_at=at(2026, 3, 5),
    )

    data = json_ld(soup_of(client.get(article.url)))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Plant moves south"
    assert dt.datetime.fromisoformat(data["datePublished"]) == at(2026, 3, 5)
    assert [a["name"] for a in data["author"]] == ["Ana Ruiz", "Ben Ode"]
    assert [a["url"] for a in data["author"]] == [
        f"{BASE}/authors/ana-ruiz/",
        f"{BASE}/authors/ben-ode/",
    ]
    assert data["mainEntityOfPage"]["@id"] == f"{BASE}/news/plant-moves-south/"
    assert data["publisher"]["name"] == "Paddock"
    assert data["articleSection"] == "News"
    assert data["keywords"] == ["plants"]


def test_headline_cannot_break_out_of_the_json_ld_block(client):
    news = make_section("News")
    headline = 'Boss says </script><script>alert(1)</script> & "more"'
    article = make_article(news, title=headline, slug="boss-says")

    response = client.get(article.url)
    html = response.content.decode()
    page = soup_of(response)

    assert "<script>alert(1)" not in html
    inline = [script for script in page.find_all("script") if not script.get("src")]
    assert [script.get("type") for script in inline] == ["application/ld+json"]
    assert json_ld(page)["headline"] == headline
    assert page.title.string.startswith(headline)
    assert meta(page, "og:title") == headline


def test_long_headline_is_cut_to_110_characters_for_json_ld(client):
    news = make_section("News")
    article = make_article(news, title="Word " * 40, slug="long")

    assert len(json_ld(soup_of(client.get(article.url)))["headline"]) <= 110


# --- List pages ----------------------------------------------------------------------------


def test_list_pages_have_their_own_canonical_url(client):
    news = make_section("News")
    make_article(news, tags=["ev"], authors=[ContributorFactory(display_name="Ana Ruiz")])

    for path in ("/", "/news/", "/tags/ev/", "/authors/ana-ruiz/"):
        page = soup_of(client.get(path))
        assert page.find("link", rel="canonical")["href"] == f"{BASE}{path}", path
        assert meta(page, "og:url") == f"{BASE}{path}", path
        assert meta(page, "og:type") == "website", path
        assert meta(page, "twitter:card") == "summary", path


def test_later_pages_of_a_list_are_their_own_canonical_page(client, settings):
    settings.PADDOCK_ARTICLES_PER_PAGE = 1
    news = make_section("News")
    make_article(news)
    make_article(news)

    page = soup_of(client.get("/news/?page=2&utm_source=mail"))

    assert page.find("link", rel="canonical")["href"] == f"{BASE}/news/?page=2"
    assert meta(page, "og:url") == f"{BASE}/news/?page=2"
    first = soup_of(client.get("/news/?page=1"))
    assert first.find("link", rel="canonical")["href"] == f"{BASE}/news/"


def test_section_page_advertises_its_own_feeds(client):
    make_section("News")

    page = soup_of(client.get("/news/"))

    feeds = {link["href"] for link in page.find_all("link", rel="alternate")}
    assert {"/feeds/sections/news/rss/", "/feeds/sections/news/atom/"} <= feeds
