"""The site chrome cold (paddock/core/chrome.py) and the home page around it: with nothing
kept, the chrome is one round trip to the database whatever the site holds; after a publish,
each process reads it once for every page; a page made while another process was making one
of its parts again is served with the previous part but never stored, and never with a part
made before a change that removed something (docs/caching.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core import fragments, pagecache
from paddock.core.roles import MODERATORS
from paddock.core.tests.pipelines import noting_pipelines
from paddock.newsroom.models import HomePage
from paddock.newsroom.tests.factories import (
    ContributorFactory,
    UserFactory,
    make_article,
    make_section,
)
from paddock.newsroom.tests.test_pages import soup_of, text_of
from paddock.pages.services import MenuLink, footer_menu_set

# Parts go stale when a change commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Tables only the chrome reads on these pages (the footer menu), and what it reads with them.
FOOTER_TABLES = ("pages_footerlink", "pages_footermenu")
CHROME_TABLES = (*FOOTER_TABLES, "comments_comment", "newsroom_contributor", "auth_group")


class Newsroom:
    def __init__(self) -> None:
        self.news, self.reviews = make_section("News"), make_section("Reviews")
        self.writer = ContributorFactory(display_name="Ana Ruiz")
        self.count = 0
        moderators = Group.objects.get(name=MODERATORS)
        for n in range(2):
            user = UserFactory(username=f"moderator{n}")
            user.groups.add(moderators)
            ContributorFactory(display_name=f"Moderator {n}", user=user)
        footer_menu_set(
            site=Site.objects.get(is_default_site=True),
            links=[MenuLink(label="About", url="/about/"), MenuLink(page=self.reviews)],
        )
        self.reader = ReaderFactory()

    def add(self, how_many: int) -> None:
        for _ in range(how_many):
            n = self.count = self.count + 1
            article = make_article(
                self.news if n % 3 else self.reviews,
                title=f"Story {n}",
                authors=[self.writer, ContributorFactory(display_name=f"Writer {n}")],
            )
            comments.comment_create(
                user=self.reader, article_id=article.pk, body=f"Comment on {n}.", screen=False
            )


def chrome_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in FOOTER_TABLES)]


def home(client: Client):
    with CaptureQueriesContext(connection) as queries, noting_pipelines() as pipelined:
        response = client.get("/")
    assert response.status_code == 200
    for query, sent_together in zip(queries.captured_queries, pipelined, strict=True):
        query["pipelined"] = sent_together
    return response, queries.captured_queries


def test_home_page_cold_reads_the_chrome_in_one_round_trip_whatever_the_site_holds(settings):
    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False
    site = Newsroom()
    client = Client()
    counts = []
    for how_many in (2, 18):
        site.add(how_many)
        home(client)  # makes what a live site has made already (image renditions)
        response, queries = home(client)
        counts.append(len(queries))
        page = response.content.decode()
        assert "Moderator 1" in page and "Writer 2" in page and "About" in page
        assert f"Comment on {site.count}." in page  # the latest comment, in the sidebar
        chrome = chrome_statements(queries)
        assert len(chrome) == 1, chrome  # the footer's menus with their links, once
        if connection.vendor == "postgresql":  # every part in one pipeline: one round trip
            flags = [q["pipelined"] for q in queries]
            first = next(flag for flag in flags if flag)  # the chrome's pipeline
            together = [q["sql"] for q in queries if q["pipelined"] == first]
            # The chrome's eight parts, and the home page's list of articles (not counted),
            # read ahead with them (memos._page_ahead).
            assert len(together) == 9, flags
            assert all(any(t in sql for sql in together) for t in CHROME_TABLES), together
            assert 'FROM "newsroom_articlepage"' in together[-1], together
            # Then only the cards' bylines (selectors.attach_cards; these articles have no
            # image), on their own.
            rest = [q["sql"] for q in queries if q["pipelined"] != first]
            assert [q["pipelined"] for q in queries if q["pipelined"] != first] == [False]
            assert "newsroom_contributor" in rest[0], rest
            assert not [q for q in queries if "COUNT(" in q["sql"]]
    assert counts[0] == counts[1], counts
    # The chrome (8 parts), Wagtail's site, the list of articles, sections, bylines and
    # images; no statement per article.
    assert counts[1] <= 16, counts


def test_a_home_page_read_ahead_under_a_wrong_guess_is_read_again(settings, monkeypatch):
    """The home page's articles are read with the chrome under the private subtrees this
    process last saw (memos._page_ahead); when those changed, the page reads its own."""
    from paddock.newsroom import memos

    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False
    settings.PADDOCK_ARTICLES_PER_PAGE = 2
    site = Newsroom()
    site.add(5)
    client = Client()
    client.get("/?page=2")
    found = {}
    for guess in ("right", "wrong"):
        if guess == "wrong":
            home_path, _private = memos._seen["testserver"]
            monkeypatch.setitem(memos._seen, "testserver", (home_path, ("00019999",)))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/?page=2")
        assert response.status_code == 200
        titles = [text_of(a) for a in soup_of(response).select(".card__title a")]
        found[guess] = (titles, len(queries.captured_queries))
    assert len(found["right"][0]) == 2 and found["wrong"][0] == found["right"][0], found
    # On PostgreSQL the wrong guess cost one statement more; elsewhere nothing is read ahead.
    extra = 1 if connection.vendor == "postgresql" else 0
    assert found["wrong"][1] == found["right"][1] + extra, found


def test_the_hosts_remembered_to_read_ahead_are_few(settings, monkeypatch):
    from paddock.newsroom import memos

    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False
    settings.ALLOWED_HOSTS = ["*"]
    monkeypatch.setattr(memos, "_seen", {})
    monkeypatch.setattr(memos, "SEEN_HOSTS", 3)
    Newsroom().add(1)
    client = Client()
    for n in range(6):
        assert client.get("/", HTTP_HOST=f"h{n}.example").status_code == 200
    assert list(memos._seen) == ["h0.example", "h1.example", "h2.example"]


def test_after_a_publish_each_process_reads_the_chrome_once(settings):
    settings.PADDOCK_PAGE_CACHE = False
    site = Newsroom()
    site.add(3)
    client = Client()
    for url in ("/", "/news/", "/reviews/"):
        assert client.get(url).status_code == 200
    make_article(site.news, title="Just published", authors=[site.writer])  # bumps "site"
    response, queries = home(client)
    assert "Just published" in response.content.decode()
    assert chrome_statements(queries)
    for url in ("/news/", "/reviews/"):
        with CaptureQueriesContext(connection) as later:
            assert "Just published" in client.get(url).content.decode() or url == "/reviews/"
        assert chrome_statements(later.captured_queries) == [], url


def list_lock() -> str:
    """The lock another process holds while it makes the home page's list again."""
    home_page = HomePage.objects.get()
    name = f"list:home:{home_page.pk}:{settings_per_page()}:1"
    stamp = str(pagecache.versions(["site"])["site"])
    return f"{fragments.LOCK_PREFIX}{name}:{stamp}"


def settings_per_page() -> int:
    from django.conf import settings

    return settings.PADDOCK_ARTICLES_PER_PAGE


def test_while_another_process_makes_the_list_again_the_last_one_is_served_not_stored():
    site = Newsroom()
    site.add(2)
    client = Client()
    assert client.get("/")["X-Page-Cache"] == "MISS"
    assert client.get("/")["X-Page-Cache"] == "HIT"

    make_article(site.news, title="Just published", authors=[site.writer])
    cache.add(list_lock(), 1, timeout=fragments.LOCK_SECONDS)  # another process makes it
    for _ in range(2):
        response = client.get("/")
        assert "X-Page-Cache" not in response  # rendered, and not stored
        assert "Just published" not in response.content.decode()  # the list made before
        assert "Story 2" in response.content.decode()
    cache.delete(list_lock())  # made

    response = client.get("/")
    assert response["X-Page-Cache"] == "MISS"
    assert "Just published" in response.content.decode()
    assert client.get("/")["X-Page-Cache"] == "HIT"


def test_an_unpublished_article_is_never_served_from_a_stale_list():
    site = Newsroom()
    site.add(2)
    client = Client()
    assert "Story 2" in client.get("/").content.decode()
    from paddock.newsroom.models import ArticlePage

    ArticlePage.objects.get(title="Story 2").unpublish()  # says it must show at once
    cache.add(list_lock(), 1, timeout=fragments.LOCK_SECONDS)
    response = client.get("/")
    assert "Story 2" not in response.content.decode()
    assert "Story 1" in response.content.decode()


def test_the_health_check_reads_nothing_for_the_chrome(settings):
    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False
    Newsroom()
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/healthz").status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]


def test_with_nothing_kept_page_urls_ask_the_shared_cache_nothing(settings, monkeypatch):
    """Every page URL (the article's own `page.url`, the footer's links, the cards) is made
    from the site root paths the chrome's snapshot gives, not from Wagtail's copy in the shared
    cache: with nothing kept, that was a round trip or two a page."""
    from django.core.cache import caches

    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False
    site = Newsroom()
    site.add(2)
    client = Client()
    path = "/news/story-1/"
    assert client.get(path).status_code == 200
    default = caches["default"]
    real_get, asked = default.get, []

    def get(key, *args, **kwargs):
        asked.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(default, "get", get)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="http://testserver/news/story-1/"' in page or "/news/story-1/" in page
    assert '<a href="/reviews/">Reviews</a>' in page  # the footer's link to a page
    assert not [key for key in asked if "site_root_paths" in str(key)], asked
