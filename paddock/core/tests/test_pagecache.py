"""The full-page cache: anonymous readers get cached pages, and every change that shows on a
page makes it stale at once (a stale page after a change is a failing test here), with the
file cache of the embedded default and with Redis."""

from __future__ import annotations

import socket

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.moderation import services as moderation
from paddock.newsroom.roles import EDITORS, MODERATORS
from paddock.newsroom.tests.factories import make_article, make_section

# Invalidation happens when a change commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["files", "redis"])
def page_cache(request, settings, tmp_path):
    """The page cache on, in files (the embedded default) or in Redis (at scale)."""
    if request.param == "redis":
        if not redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/11",
            "KEY_PREFIX": f"test-pages-{tmp_path.name}",
        }
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        }
    settings.CACHES = {**settings.CACHES, "pages": backend}
    settings.PADDOCK_PAGE_CACHE = True
    from django.core.cache import caches

    caches["pages"].clear()
    yield request.param
    caches["pages"].clear()


@pytest.fixture
def site(db):
    section = make_section("Industry")
    article = make_article(section, title="Plants follow buyers")
    other = make_article(section, title="Another story")
    return {"section": section, "article": article, "other": other}


def get(path: str, client: Client | None = None):
    return (client or Client()).get(path)


def state(response) -> str:
    return response.get("X-Page-Cache", "")


def test_anonymous_pages_come_from_the_cache_with_http_caching_headers(page_cache, site):
    url = site["article"].url
    first = get(url)
    assert state(first) == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = get(url)
    assert state(second) == "HIT"
    assert len(queries) == 0
    assert second.content == first.content
    assert not second.cookies and "Set-Cookie" not in second
    control = second["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "stale-while-revalidate=" in control
    assert second["ETag"] == first["ETag"]
    not_modified = Client().get(url, HTTP_IF_NONE_MATCH=second["ETag"])
    assert not_modified.status_code == 304
    for path in ("/", site["section"].url, reverse("newsroom:feed_rss")):
        get(path)
        assert state(get(path)) == "HIT", path


def test_signed_in_readers_get_pages_made_for_them(page_cache, site):
    client = Client()
    client.force_login(ReaderFactory())
    get(site["article"].url)  # cached for anonymous readers
    mine = client.get(site["article"].url)
    assert state(mine) == ""
    assert "private" in mine["Cache-Control"]
    assert 'name="body"' in mine.content.decode()  # the comment form, theirs alone
    assert 'name="body"' not in get(site["article"].url).content.decode()


def test_a_new_comment_shows_at_once_on_its_article_and_in_recent_comments(page_cache, site):
    article, other = site["article"], site["other"]
    get(article.url), get(other.url), get("/")
    comment = comments.comment_create(
        user=ReaderFactory(), article_id=article.pk, body="Fresh off the press"
    )
    assert "Fresh off the press" in get(article.url).content.decode()
    # Every page's sidebar lists recent comments: the other article and the home page too.
    assert f'href="{comment.get_absolute_url()}"' in get(other.url).content.decode()
    assert f'href="{comment.get_absolute_url()}"' in get("/").content.decode()


def test_a_vote_changes_its_article_only(page_cache, site):
    article, other = site["article"], site["other"]
    comment = comments.comment_create(user=ReaderFactory(), article_id=article.pk, body="Vote me")
    get(article.url), get(other.url)
    comments.vote_cast(user=ReaderFactory(), comment_id=comment.pk, value=1)
    fresh = get(article.url)
    assert state(fresh) == "MISS"
    assert 'aria-label="Score">1<' in fresh.content.decode()
    assert state(get(other.url)) == "HIT"  # precise: nothing there changed


def test_edits_deletions_and_moderation_show_at_once(page_cache, site):
    article = site["article"]
    author = ReaderFactory()
    comment = comments.comment_create(user=author, article_id=article.pk, body="First version")
    get(article.url)
    comments.comment_edit(user=author, comment_id=comment.pk, body="Second version")
    html = get(article.url).content.decode()
    assert "Second version" in html and "First version" not in html

    moderator = ReaderFactory(groups=[MODERATORS])
    moderation.decide(
        moderator=moderator, comment_ids=[comment.pk], action="reject", reason="Off topic"
    )
    assert "Second version" not in get(article.url).content.decode()
    moderation.decide(moderator=moderator, comment_ids=[comment.pk], action="approve")
    assert "Second version" in get(article.url).content.decode()
    moderation.moderator_edit(moderator=moderator, comment_id=comment.pk, body="Trimmed")
    assert "edited by a moderator" in get(article.url).content.decode()

    comments.comment_delete(user=author, comment_id=comment.pk)
    assert "Trimmed" not in get(article.url).content.decode()


def test_reports_that_hide_a_comment_hide_it_from_the_cached_page(page_cache, site):
    from paddock.moderation.models import ModerationPolicy

    policy = ModerationPolicy.load()
    policy.report_threshold = 2
    policy.save()
    article = site["article"]
    comment = comments.comment_create(user=ReaderFactory(), article_id=article.pk, body="Hot take")
    assert "Hot take" in get(article.url).content.decode()
    for _ in range(2):
        comments.report_create(user=ReaderFactory(), comment_id=comment.pk, reason="abuse")
    assert "Hot take" not in get(article.url).content.decode()
    assert "Hot take" not in get("/").content.decode()  # nor from recent comments


def test_closing_a_discussion_and_renaming_a_reader_show_at_once(page_cache, site):
    article = site["article"]
    author = ReaderFactory(display_name="Old Name")
    comments.comment_create(user=author, article_id=article.pk, body="Hello")
    assert "Old Name" in get(article.url).content.decode()
    author.profile.display_name = "New Name"
    author.profile.save()
    html = get(article.url).content.decode()
    assert "New Name" in html and "Old Name" not in html
    assert "New Name" in get(site["other"].url).content.decode()  # recent comments
    editor = ReaderFactory(groups=[EDITORS])
    moderation.set_comments_closed(user=editor, article_id=article.pk, closed=True)
    assert "Comments are closed" in get(article.url).content.decode()


def test_publishing_editing_and_unpublishing_articles(page_cache, site):
    section = site["section"]
    feed = reverse("newsroom:feed_rss")
    for path in ("/", section.url, feed, site["article"].url):
        get(path)
    new = make_article(section, title="Breaking: a new plant")
    for path in ("/", section.url, feed):
        assert "Breaking: a new plant" in get(path).content.decode(), path
    # Related articles on the other pages may list it too.
    assert state(get(site["article"].url)) == "MISS"

    new.title = "Breaking: a bigger plant"
    new.save_revision().publish()
    for path in ("/", section.url, feed, new.url):
        html = get(path).content.decode()
        assert "Breaking: a bigger plant" in html and "a new plant" not in html, path

    url = new.url
    new.unpublish()
    assert get(url).status_code == 404
    for path in ("/", section.url, feed):
        assert "Breaking: a bigger plant" not in get(path).content.decode(), path


def test_the_cache_can_be_turned_off(page_cache, site, settings):
    settings.PADDOCK_PAGE_CACHE = False
    get(site["article"].url)
    assert state(get(site["article"].url)) == ""


def test_a_varnish_in_front_is_told_which_pages_changed(page_cache, site, settings):
    """Wagtail's frontend cache purges what changed: the article on a new comment."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    purged: list[str] = []

    class Varnish(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the method Wagtail's HTTP backend sends
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Varnish)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
            }
        }
        comments.comment_create(user=ReaderFactory(), article_id=site["article"].pk, body="Hi")
    finally:
        server.shutdown()
        server.server_close()
    assert site["article"].url in purged
