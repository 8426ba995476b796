"""An article page kept around its holes (paddock/core/shells.py): with the page cache off or
stale, an anonymous reader's page is filled from the process's shell of it, its discussion and
the sidebar's recent comments rendered again and nothing else; it is the same page, byte for
byte, as a render of the whole template, and every change shows on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core import shells
from paddock.core.tests.pipelines import PLAN_SETTINGS
from paddock.newsroom import services
from paddock.newsroom.tests.factories import ContributorFactory, make_article, make_section

# Kept shells go stale when a change commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def parts_kept(settings):
    settings.PADDOCK_FRAGMENT_CACHE = True
    settings.PADDOCK_PAGE_CACHE = False  # every request renders: from the shell or whole


@pytest.fixture
def site(db):
    section = make_section("Industry")
    writer = ContributorFactory(display_name="Ines Ortega")
    article = make_article(section, title="Plants follow buyers", authors=[writer])
    other = make_article(section, title="Another story")
    return {"section": section, "article": article, "other": other, "writer": writer}


def get(path: str, client: Client | None = None):
    response = (client or Client()).get(path)
    assert response.status_code == 200, path
    return response


def whole(response) -> bool:
    """Whether the response came from rendering the article's template (the test client
    records each template rendered), not from its shell."""
    return "newsroom/article_page.html" in [t.name for t in response.templates]


def test_the_second_reader_gets_the_same_page_from_its_shell(site):
    url = site["article"].url
    comments.comment_create(user=ReaderFactory(), article_id=site["article"].pk, body="Agreed.")
    first, second = get(url), get(url)
    assert whole(first) and not whole(second)
    assert second.content == first.content
    assert b"<!--hole:" not in second.content
    # Served from the shell, the page read the discussion and nothing else.
    with CaptureQueriesContext(connection) as read:
        third = get(url)
    assert third.content == first.content
    assert len(read.captured_queries) == 1 + PLAN_SETTINGS, [
        q["sql"][:80] for q in read.captured_queries
    ]


def test_a_new_comment_shows_in_the_discussion_and_the_sidebar_without_a_whole_render(site):
    article, reader = site["article"], ReaderFactory()
    get(article.url)
    comments.comment_create(user=reader, article_id=article.pk, body="Tariffs decide it.")
    page = get(article.url)
    assert not whole(page)
    text = page.content.decode()
    assert text.count("Tariffs decide it.") == 2  # in the discussion and in Recent Comments
    # A comment on another article changes this page's sidebar alone.
    comments.comment_create(user=reader, article_id=site["other"].pk, body="Elsewhere too.")
    page = get(article.url)
    assert not whole(page) and page.content.decode().count("Elsewhere too.") == 1
    # What the shell fills in is what a whole render gives.
    shells.clear()
    again = get(article.url)
    assert whole(again) and again.content == page.content


def test_a_change_to_what_the_shell_shows_renders_the_page_whole_again(site):
    article, writer = site["article"], site["writer"]
    get(article.url)
    assert not whole(get(article.url))
    services.contributor_rename(contributor=writer, display_name="Ines Ortega-Lind")
    page = get(article.url)
    assert whole(page) and "Ines Ortega-Lind" in page.content.decode()
    article.title = "Plants now follow buyers"
    article.save_revision().publish()
    page = get(article.url)
    assert whole(page) and "Plants now follow buyers" in page.content.decode()
    assert not whole(get(article.url))


def test_each_address_has_its_own_shell_and_a_bad_page_of_comments_is_still_a_404(site):
    article, reader = site["article"], ReaderFactory()
    for n in range(3):
        comments.comment_create(user=reader, article_id=article.pk, body=f"Point {n}.")
    newest = f"{article.url}?csort=newest"
    get(article.url)
    first = get(newest)
    assert whole(first)  # not the plain address's shell
    second = get(newest)
    assert not whole(second) and second.content == first.content
    assert Client().get(f"{article.url}?cpage=9").status_code == 404
    assert Client().get(f"{article.url}?cpage=9").status_code == 404


def test_signed_in_readers_never_get_a_shell_nor_leave_one(site):
    article = site["article"]
    reader = ReaderFactory(display_name="Mara Quist")
    signed_in = Client()
    signed_in.force_login(reader)
    get(article.url)  # an anonymous reader's shell is kept
    page = get(article.url, signed_in)
    assert whole(page) and "Mara Quist" in page.content.decode()
    assert "Sign out" in page.content.decode()
    shells.clear()
    get(article.url, signed_in)
    assert whole(get(article.url))  # nothing was kept from the signed-in render
    assert "Mara Quist" not in get(article.url).content.decode()


def test_with_nothing_kept_every_request_renders_the_whole_page(site, settings):
    settings.PADDOCK_FRAGMENT_CACHE = False
    url = site["article"].url
    assert whole(get(url)) and whole(get(url))
