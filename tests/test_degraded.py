"""The site with its shared cache gone: pages, sign-in, posting and /healthz go on from the
database, and the health check says the cache is degraded. The same journeys run against the
machine's Redis, so a test passing here is not a test that never reached a cache."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from paddock.accounts.tests.factories import READER_PASSWORD, ReaderFactory
from paddock.comments.models import Comment
from paddock.core import pagecache
from paddock.core.cache import TolerantRedisCache
from paddock.newsroom.tests.factories import make_article, make_section
from tests import redis_dbs

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once.
DEAD = "redis://127.0.0.1:1/0"


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def redis_caches(url: str, prefix: str) -> dict:
    """The caches settings.py sets up when REDIS_URL is `url`."""
    default = {
        "BACKEND": "paddock.core.cache.TolerantRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
    store = {**default, "BACKEND": "paddock.core.cache.RedisCache", "KEY_PREFIX": prefix + ":rl"}
    return {
        "default": default,
        "pages": {**default, "KEY_PREFIX": prefix + ":p"},
        "limits": {"BACKEND": "paddock.core.limitstore.LimitCache", "OPTIONS": {"STORE": store}},
    }


@pytest.fixture(params=["redis", "dead"])
def cache_state(request, settings, tmp_path):
    if request.param == "redis":
        if not redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        url = redis_dbs.url(redis_dbs.PAGE_CACHE)
    else:
        url = DEAD
    settings.CACHES = {**settings.CACHES, **redis_caches(url, f"t-{tmp_path.name}")}
    settings.REDIS_URL = url
    settings.PADDOCK_PAGE_CACHE = True
    settings.PADDOCK_FRAGMENT_CACHE = True
    pagecache.clear_local()
    yield request.param
    caches["default"].clear()
    caches["pages"].clear()
    pagecache.clear_local()


def test_pages_sign_in_and_posting(cache_state, client, django_capture_on_commit_callbacks):
    article = make_article(make_section("News"), title="Rally report")
    assert client.get("/").status_code == 200
    first = client.get(article.url)
    assert first.status_code == 200 and "Rally report" in first.content.decode()
    assert client.get(article.url).status_code == 200  # from the cache when there is one

    reader = ReaderFactory()
    signed_in = client.post(
        reverse("account_login"), {"login": reader.email, "password": READER_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("account_login")).status_code == 302  # the session holds
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            reverse("comments:post", kwargs={"article_id": article.pk}), {"body": "Still here"}
        )
    assert posted.status_code == 302
    assert Comment.objects.get().body == "Still here"
    client.logout()
    assert "Still here" in client.get(article.url).content.decode()


def test_health_says_what_answers(cache_state, client):
    health = client.get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["database"] == "ok"
    assert body["cache"] == ("ok" if cache_state == "redis" else "degraded")
    assert body["status"] == body["cache"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - a fixed command
        [REDIS_SERVER, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


REDIS_SERVER = shutil.which("redis-server")


@pytest.mark.skipif(REDIS_SERVER is None, reason="no redis-server to start and stop")
def test_redis_coming_back_is_picked_up_and_missed_writes_are_undone():
    port = free_port()
    options = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
    cache = TolerantRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})
    server = start_redis(port)
    try:
        cache.set("tag", 1, timeout=None)
        server.send_signal(signal.SIGSTOP)  # Redis stops answering, its data intact
        started = time.monotonic()
        assert cache.get("tag") is None  # a miss, not an error
        cache.set("tag", 2, timeout=None)  # an invalidation that cannot reach Redis
        assert cache.get("tag") is None
        assert time.monotonic() - started < 1  # one timeout, then no more attempts meanwhile
        server.send_signal(signal.SIGCONT)
        time.sleep(TolerantRedisCache.RETRY_SECONDS)
        # Back without a restart; the dropped write's key is gone rather than left at 1.
        assert cache.get("tag") is None
        cache.set("tag", 3, timeout=None)
        assert cache.get("tag") == 3
        assert cache.reachable()
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait()


def test_what_changes_while_the_cache_is_down_shows_at_once(
    cache_state, client, settings, django_capture_on_commit_callbacks
):
    """With no shared cache to hold versions, nothing a process kept may pass for current: a
    comment posted meanwhile shows in the discussion and in every page's Recent Comments,
    also once this process no longer trusts the versions it bumped itself (as another
    process, which never saw the change, would not)."""
    settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS = 0.05
    article = make_article(make_section("News"), title="Rally report")
    other = make_article(make_section("Tests"), title="Long-term test")
    for url in (article.url, other.url, "/"):  # each page rendered (and kept, where it can be)
        assert client.get(url).status_code == 200
    reader = ReaderFactory()
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            reverse("comments:post", kwargs={"article_id": article.pk}), {"body": "Mid-outage"}
        )
    assert posted.status_code == 302
    client.logout()
    time.sleep(0.1)
    for url in (article.url, other.url, "/"):
        assert "Mid-outage" in client.get(url).content.decode(), url
