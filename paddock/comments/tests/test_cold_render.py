"""An article page rendered with nothing kept (PADDOCK_PAGE_CACHE and PADDOCK_FRAGMENT_CACHE
off), as the first render after a publish: a fixed number of queries whatever the article and
its discussion hold, each written once per process (paddock/core/shapes.py), and every render
reads afresh what it shows."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.comments.tests.test_queries import bulk_comments
from paddock.core.tests.pipelines import PLAN_SETTINGS, noting_pipelines, round_trips
from paddock.newsroom import selectors
from paddock.newsroom.models import ArticlePage, ArticleSource, Contributor
from paddock.newsroom.tests.factories import (
    ContributorFactory,
    MakeFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

pytestmark = pytest.mark.django_db

# The article at its address; its authors, sources, tags, makes, models and the articles
# sharing a tag (six statements sent together on PostgreSQL: one round trip), with fewer than
# four of those the newest others of its section; the page of threads with its counts and the
# featured comments (sent together: one round trip): 10. Then the site chrome's snapshot
# (paddock/core/chrome.py: the sites and their home pages, sections, private subtrees,
# contributors, moderators, recent comments, the accounts with a newsroom badge, footer menus
# with their links): a statement a part, sent together in one round trip on PostgreSQL
# (tests/test_site_chrome.py). The authors' badges come from those two.
ARTICLE_QUERIES = 18 + PLAN_SETTINGS
# On PostgreSQL, once the process has rendered the article: the chrome with the article at the
# address, its details, its threads and its featured comments (read ahead: core.shapes,
# newsroom.memos), then the related list's top-up.
ARTICLE_ROUND_TRIPS = 2


@pytest.fixture(autouse=True)
def nothing_kept(settings):
    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False


def render(path: str) -> tuple[str, list[str]]:
    html, statements, _ = render_counting_trips(path)
    return html, statements


def render_counting_trips(path: str) -> tuple[str, list[str], int]:
    """The page, its statements, and the round trips they took (statements sent together in
    PostgreSQL's pipeline mode take one)."""
    with CaptureQueriesContext(connection) as ctx, noting_pipelines() as pipelined:
        response = Client().get(path)
    assert response.status_code == 200, path
    statements = [q["sql"] for q in ctx.captured_queries]
    return response.content.decode(), statements, round_trips(pipelined)


def show(statements: list[str]) -> str:
    return "\n".join(sql[:160] for sql in statements)


@pytest.fixture
def stories(db):
    section = make_section("Industry")
    writers = [ContributorFactory(display_name=f"Writer {n}") for n in range(3)]
    make = MakeFactory(name="Halvorsen")
    lean = make_article(section, title="Lean story", authors=writers[:1])
    full = make_article(
        section,
        title="Full story",
        authors=writers,
        tags=["factories", "batteries", "trade"],
        sources=[(f"Source {n}", f"https://example.com/{n}", n % 2 == 0) for n in range(4)],
        makes=[make],
        vehicle_models=[VehicleModelFactory(make=make, name=f"H{n}") for n in range(3)],
    )
    for n in range(6):
        make_article(section, title=f"Neighbour {n}", tags=["factories"] if n < 2 else [])
    return {"section": section, "lean": lean, "full": full, "writers": writers}


def test_the_article_costs_the_same_queries_whatever_it_holds(stories, reader_factory):
    readers = [reader_factory() for _ in range(5)]
    counts = {}
    for name in ("lean", "full"):
        article = stories[name]
        bulk_comments(article, readers, 10 if name == "lean" else 600)
        Client().get(article.url)  # what a process reads once (content types, templates)
        _, statements, trips = render_counting_trips(article.url)
        counts[name] = len(statements)
        if connection.vendor == "postgresql":
            assert trips == ARTICLE_ROUND_TRIPS, show(statements)
    assert counts == {"lean": ARTICLE_QUERIES, "full": ARTICLE_QUERIES}, show(statements)


def test_a_fully_related_article_skips_the_section_top_up(stories, reader_factory):
    section = stories["section"]
    make_article(section, title="Fourth sharer", tags=["factories"])
    tagged = make_article(section, title="Tagged story", tags=["factories"])
    bulk_comments(tagged, [reader_factory()], 3)
    Client().get(tagged.url)  # what a process reads once (content types, templates)
    # Four other articles share "factories": the related list is full without its section
    # (whose query would pass over every article sharing the tag, tens of thousands on a
    # large site's popular tag).
    html, statements, trips = render_counting_trips(tagged.url)
    assert len(statements) == ARTICLE_QUERIES - 1, show(statements)
    if connection.vendor == "postgresql":
        assert trips == ARTICLE_ROUND_TRIPS - 1, show(statements)
    related = html.split('class="related__list"', 1)[1].split("</ul>", 1)[0]
    assert related.count("<li>") == 4 and "Full story" in related
    assert "Neighbour 5" not in related  # the newest of the section, sharing no tag


def test_an_article_read_ahead_wrongly_or_not_at_all_is_read_by_routing(
    stories, reader_factory, monkeypatch
):
    """The article at an address is read with the chrome under the home page this process
    last saw for the host (memos._page_ahead): with none seen yet, or one that has moved
    since, routing reads it on its own, then its details with its discussion, and the page
    is the same."""
    from paddock.newsroom import memos

    article = stories["full"]
    bulk_comments(article, [reader_factory()], 3)
    Client().get(article.url)
    expected, statements, trips = render_counting_trips(article.url)
    hints = {"testserver": ("/elsewhere/", ())}, {}
    for hint in hints:
        monkeypatch.setattr(memos, "_seen", dict(hint))
        html, found, more_trips = render_counting_trips(article.url)
        assert _without_tokens(html) == _without_tokens(expected)
        if connection.vendor == "postgresql":
            assert more_trips == trips + 2, show(found)
        # An article looked for at the address guessed (on PostgreSQL: elsewhere nothing is
        # read ahead), found at the one routing reads.
        guessed = 1 if hint and connection.vendor == "postgresql" else 0
        assert len(found) == len(statements) + guessed, show(found)


def test_an_article_remembered_wrongly_reads_its_own_details(stories, reader_factory):
    """What this process remembers of the article at an address (memos._articles: its id and
    lead image) only guesses what to read with the chrome: an article that another took the
    place of, or whose image changed, is read as it is now, and the page is the same."""
    from paddock.newsroom import memos

    article, other = stories["full"], stories["lean"]
    bulk_comments(article, [reader_factory()], 3)
    Client().get(article.url)
    expected, statements, trips = render_counting_trips(article.url)
    assert memos._articles[article.url_path] == (article.pk, article.lead_image_id)
    # Another article's id: its details and discussion are read for nothing, then this
    # one's in a round trip of their own. A lead image it no longer has (this one has none):
    # only that image's renditions are read for nothing.
    for guess, trips_more in (((other.pk, None), 1), ((article.pk, 999_999), 0)):
        memos._articles[article.url_path] = guess
        html, found, more_trips = render_counting_trips(article.url)
        assert _without_tokens(html) == _without_tokens(expected)
        assert memos._articles[article.url_path] == (article.pk, article.lead_image_id)
        if connection.vendor == "postgresql":
            assert more_trips == trips + trips_more, show(found)
            assert len(found) > len(statements), show(found)


def test_articles_remembered_are_capped(monkeypatch):
    from paddock.newsroom import memos

    monkeypatch.setattr(memos, "_articles", {})
    monkeypatch.setattr(memos, "SEEN_ARTICLES", 3)
    pages = [ArticlePage(pk=n, url_path=f"/home/s/a{n}/", lead_image_id=None) for n in range(5)]
    for page in pages:
        memos.remember_article(page)
    assert list(memos._articles) == ["/home/s/a2/", "/home/s/a3/", "/home/s/a4/"]
    memos.remember_article(pages[2])  # known as it is: left where it is
    memos.remember_article(ArticlePage(pk=9, url_path="/home/s/a3/", lead_image_id=None))
    assert memos._articles == {
        "/home/s/a2/": (2, None),
        "/home/s/a4/": (4, None),
        "/home/s/a3/": (9, None),
    }


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]{20,}"', 'value=""', html)


def test_every_render_reads_what_it_shows(stories, reader_factory):
    """Nothing is kept between requests: a change made behind the services' back (no
    invalidation at all) shows on the next render."""
    article = stories["full"]
    reader = reader_factory()
    bulk_comments(article, [reader], 3)
    render(article.url)
    Contributor.objects.filter(pk=stories["writers"][1].pk).update(display_name="Renamed Writer")
    ArticleSource.objects.filter(article=article, sort_order=0).update(name="Renamed Source")
    Tag.objects.filter(name="batteries").update(name="cells")
    ArticlePage.objects.filter(title="Neighbour 0").update(title="Renamed Neighbour")
    Comment.objects.filter(article=article).update(body_html="<p>Rewritten comment</p>")
    html, _ = render(article.url)
    for shown in ("Renamed Writer", "Renamed Source", "cells", "Renamed Neighbour"):
        assert shown in html
    assert "Rewritten comment" in html


def test_badges_need_no_query_of_their_own_and_follow_the_groups(stories, reader_factory):
    article = stories["lean"]
    reader = reader_factory()
    moderator = ReaderFactory()
    writer = stories["writers"][0]
    writer.user = ReaderFactory()
    writer.save()
    bulk_comments(article, [reader, moderator, writer.user], 12)
    html, _ = render(article.url)
    assert "comment__badge--author" in html and "comment__badge--moderator" not in html
    Group.objects.get(name="Moderators").user_set.add(moderator)
    html, _ = render(article.url)
    assert "comment__badge--moderator" in html


@pytest.mark.parametrize("sharing", [0, 2, 6])
def test_related_articles_read_as_a_preview_reads_them(sharing, stories):
    """The published article's related list (query shapes) is the one related_articles
    gives for it, with none, a few or many articles sharing a tag."""
    section = stories["section"]
    other = make_section("Electric")
    for n in range(sharing):
        make_article(section if n % 2 else other, title=f"Sharer {n}", tags=["rare"])
    article = make_article(section, title="The story", tags=["rare"])
    expected = selectors.related_articles(article, list(article.tags.all()))
    found = selectors._published_related(article)
    assert [a.pk for a in found] == [a.pk for a in expected]


def test_private_subtrees_stay_out_of_the_related_list(stories):
    from wagtail.models import PageViewRestriction

    private = make_section("Members")
    hidden = make_article(private, title="Members only", tags=["factories"])
    article = stories["full"]
    assert hidden.pk in [a.pk for a in selectors._published_related(article)]
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert hidden.pk not in [a.pk for a in selectors._published_related(article)]
