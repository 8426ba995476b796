"""The full-page cache: anonymous readers get cached pages, and every change that shows on a
page makes it stale at once (a stale page after a change is a failing test here), with the
file cache of the embedded default and with Redis. Most tests go through Django's test client
(the middleware); those named "in front of Django" call the WSGI application gunicorn serves."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core import signals
from django.core.cache import caches
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.datastructures import CaseInsensitiveMapping

from config.wsgi import application
from paddock.accounts.services import profile_update
from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core import pagecache
from paddock.core.roles import EDITORS, MODERATORS
from paddock.moderation.actions import (
    CommentDecideAction,
    CommentEditAction,
    DiscussionCloseAction,
)
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.tests.factories import make_article, make_section
from tests import redis_dbs

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
            "LOCATION": redis_dbs.url(redis_dbs.PAGE_CACHE),
            "KEY_PREFIX": f"test-pages-{tmp_path.name}",
        }
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        }
    settings.CACHES = {**settings.CACHES, "pages": backend}
    settings.PADDOCK_PAGE_CACHE = True
    settings.PADDOCK_FRAGMENT_CACHE = True  # as on the site: kept parts inside cached pages
    caches["pages"].clear()
    pagecache.clear_local()
    yield request.param
    caches["pages"].clear()
    pagecache.clear_local()


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


@dataclass
class Answer:
    """What config.wsgi.application answered, and whether Django's handler did."""

    status: int
    headers: CaseInsensitiveMapping
    cookies: list[str]
    body: bytes
    by_django: bool

    @property
    def state(self) -> str:
        return self.headers.get("X-Page-Cache", "")

    def shown(self) -> dict[str, str]:
        """The headers that say what the page is, as a browser sees them."""
        skip = {"x-page-cache", "content-length", "date"}
        return {k.lower(): v for k, v in self.headers.items() if k.lower() not in skip}


@pytest.fixture
def wsgi() -> Iterator[Callable[..., Answer]]:
    """Requests to the WSGI application gunicorn serves (config/wsgi.py), as a server makes
    them. Database connections stay open between requests, as with Django's test client."""
    started: list[object] = []

    def seen(sender, **kwargs) -> None:
        started.append(sender)

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.request_started.connect(seen, dispatch_uid="test_pagecache.seen")

    def call(path: str, method: str = "GET", secure: bool = False, **headers: str) -> Answer:
        request = RequestFactory().generic(method, path, secure=secure, headers=headers)
        environ = dict(request.environ)
        answered: dict = {}

        def start_response(status, response_headers, exc_info=None):
            answered["status"], answered["headers"] = status, response_headers

        before = len(started)
        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        pairs = answered["headers"]
        return Answer(
            status=int(answered["status"].split()[0]),
            headers=CaseInsensitiveMapping([p for p in pairs if p[0].lower() != "set-cookie"]),
            cookies=[value for name, value in pairs if name.lower() == "set-cookie"],
            body=body,
            by_django=len(started) > before,
        )

    try:
        yield call
    finally:
        signals.request_started.disconnect(dispatch_uid="test_pagecache.seen")
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


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
    CommentDecideAction(
        [comment.pk], decision="reject", reason="Off topic", user=moderator
    ).execute()
    assert "Second version" not in get(article.url).content.decode()
    CommentDecideAction([comment.pk], decision="approve", user=moderator).execute()
    assert "Second version" in get(article.url).content.decode()
    CommentEditAction(comment.pk, body="Trimmed", user=moderator).execute()
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
    # Through the one writer of profiles, which says what changed.
    profile_update(profile=author.profile, display_name="New Name")
    html = get(article.url).content.decode()
    assert "New Name" in html and "Old Name" not in html
    assert "New Name" in get(site["other"].url).content.decode()  # recent comments
    editor = ReaderFactory(groups=[EDITORS])
    DiscussionCloseAction(article.pk, closed=True, user=editor).execute()
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


def test_a_page_reads_its_tags_in_one_round_trip_after_its_first_render(
    page_cache, site, settings, monkeypatch
):
    """An article page reads the common tags, then its own ("article:<id>") once it knows the
    article; the next request to that address reads them all at once. What it shows is the
    same, and a change to the article still shows at once. Versions this process read within
    PADDOCK_PAGE_CACHE_LOCAL_SECONDS are not read again."""
    settings.PADDOCK_PAGE_CACHE = False  # rendered at each request
    settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS = 0  # every request reads the shared cache
    reads: list[set[str]] = []
    versions = pagecache.versions

    def counted(tags):
        tags = set(tags)
        reads.append(tags)
        return versions(tags)

    monkeypatch.setattr(pagecache, "versions", counted)
    article = site["article"]
    tag = f"article:{article.pk}"
    first = get(article.url)
    assert [tag in read for read in reads] == [False, True]
    reads.clear()
    second = get(article.url)
    assert len(reads) == 1 and {"site", "recent", tag} <= reads[0]
    assert second.content == first.content
    comments.comment_create(user=ReaderFactory(), article_id=article.pk, body="Seen at once")
    assert "Seen at once" in get(article.url).content.decode()
    # Another address reads as before: only what it asked for last time is read early.
    reads.clear()
    get(site["other"].url)
    assert [f"article:{site['other'].pk}" in read for read in reads] == [False, True]
    assert all(tag not in read for read in reads)
    # Read a moment ago: not read again (a change through this process is known at once).
    settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS = 60
    get(article.url)
    reads.clear()
    assert get(article.url).content == get(article.url).content
    assert reads == []
    comments.comment_create(user=ReaderFactory(), article_id=article.pk, body="Also at once")
    assert "Also at once" in get(article.url).content.decode()


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


def test_a_hit_is_answered_in_front_of_django_with_the_headers_of_the_miss(page_cache, site, wsgi):
    url = site["article"].url
    miss = wsgi(url)
    assert miss.status == 200 and miss.state == "MISS" and miss.by_django
    with CaptureQueriesContext(connection) as queries:
        hit = wsgi(url)
    assert hit.status == 200 and hit.state == "HIT"
    assert not hit.by_django and len(queries) == 0
    assert hit.body == miss.body
    assert hit.headers["Content-Length"] == str(len(miss.body))
    assert not hit.cookies and not miss.cookies
    # The headers every other middleware gave the page when it was rendered, hit or miss.
    assert hit.headers["X-Frame-Options"] == "DENY"
    assert hit.headers["X-Content-Type-Options"] == "nosniff"
    assert hit.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert hit.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert hit.shown() == miss.shown()
    control = hit.headers["Cache-Control"]
    assert (
        "public" in control and "s-maxage=10" in control and "stale-while-revalidate=30" in control
    )


def test_revalidation_and_head_are_answered_in_front_of_django(page_cache, site, wsgi):
    url = site["article"].url
    page = wsgi(url)
    not_modified = wsgi(url, **{"If-None-Match": page.headers["ETag"]})
    assert not_modified.status == 304 and not_modified.body == b""
    assert not_modified.state == "HIT" and not not_modified.by_django
    assert not_modified.headers["ETag"] == page.headers["ETag"]
    assert "Content-Type" not in not_modified.headers
    changed = wsgi(url, **{"If-None-Match": '"something-else"'})
    assert changed.status == 200 and changed.body == page.body
    head = wsgi(url, "HEAD")
    assert head.status == 200 and head.body == b"" and head.state == "HIT"
    assert not head.by_django
    assert head.headers["Content-Length"] == str(len(page.body))


def test_personal_cookies_bypass_the_cache_in_front_of_django(page_cache, site, wsgi, settings):
    url = site["article"].url
    wsgi(url)
    assert wsgi(url).state == "HIT"
    session = settings.SESSION_COOKIE_NAME
    for cookie in (f"{session}=abc", "messages=abc", f"csrftoken=abc; {session}=abc"):
        answer = wsgi(url, Cookie=cookie)
        assert answer.by_django and answer.state == "", cookie
        assert "private" in answer.headers["Cache-Control"], cookie
    # Names that merely contain a personal cookie's name are nobody's.
    shared = wsgi(url, Cookie=f"csrftoken=abc; not{session}=1; messages_seen=1")
    assert shared.state == "HIT" and not shared.by_django


def test_pages_are_kept_per_allowed_host_and_scheme(page_cache, site, wsgi, settings):
    url = site["article"].url
    assert wsgi(url, Host="testserver").state == "MISS"
    assert wsgi(url, Host="TestServer").state == "HIT"
    assert wsgi(url, secure=True, Host="testserver").state == "MISS"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert wsgi(url, Host="testserver", **{"X-Forwarded-Proto": "https"}).state == "HIT"
    for _ in range(2):  # a host Django refuses never gets a page stored, nor served
        refused = wsgi(url, Host="elsewhere.example")
        assert refused.status == 400 and refused.by_django


def test_a_change_shows_at_once_in_front_of_django(page_cache, site, wsgi):
    article = site["article"]
    wsgi("/"), wsgi(article.url)
    assert wsgi("/").state == "HIT" and wsgi(article.url).state == "HIT"
    make_article(site["section"], title="Breaking: a new plant")
    home = wsgi("/")
    assert home.state == "MISS" and "Breaking: a new plant" in home.body.decode()
    comments.comment_create(user=ReaderFactory(), article_id=article.pk, body="Straight in")
    page = wsgi(article.url)
    assert page.state == "MISS" and "Straight in" in page.body.decode()


def test_a_change_through_another_process_shows_within_the_local_seconds(
    page_cache, site, wsgi, settings
):
    settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS = 0.5
    article = site["article"]
    wsgi(article.url)
    assert wsgi(article.url).state == "HIT"  # this process has now read the tags' versions
    # Another process renames the article and bumps "site" in the shared cache, not here.
    ArticlePage.objects.filter(pk=article.pk).update(title="Renamed elsewhere")
    caches["pages"].set(pagecache.TAG_PREFIX + "site", time.time_ns(), timeout=None)
    kept = wsgi(article.url)
    assert kept.state == "HIT" and "Renamed elsewhere" not in kept.body.decode()
    time.sleep(0.6)
    fresh = wsgi(article.url)
    assert fresh.state == "MISS" and "Renamed elsewhere" in fresh.body.decode()
    assert wsgi(article.url).state == "HIT"


def test_each_process_keeps_at_most_its_number_of_pages(page_cache, site, wsgi, settings):
    settings.PADDOCK_PAGE_CACHE_LOCAL_ENTRIES = 2
    paths = ["/", site["section"].url, site["article"].url, site["other"].url]
    for path in paths:
        assert wsgi(path).state == "MISS", path
    assert len(pagecache._local.pages) == 2
    # The pages this process let go of are still hits, from the shared cache.
    for path in paths:
        answer = wsgi(path)
        assert answer.state == "HIT" and not answer.by_django, path
        assert len(pagecache._local.pages) == 2
