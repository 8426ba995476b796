"""Two app processes on one PostgreSQL and one Redis behave as one site.

Two gunicorn servers (as `make run` starts them) on two ports share the test database and Redis
database 7, like two machines behind a load balancer. A reader signs in through A and is signed
in through B; posts a comment through A that B shows within a second; and posts partly through
A, partly through B until the combined count trips the per-reader rate limit.
"""

from __future__ import annotations

import http.client
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model

from paddock.newsroom.tests.factories import make_article, make_section
from tests import redis_dbs

from .conftest import REPO_ROOT, child_env, free_port, suite_database_url

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "paddock.core.postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://…): two servers sharing one database "
    "is what this shows, which the embedded SQLite file does not stand for.",
)

START_TIMEOUT = 60  # seconds for a server to answer /healthz
REQUEST_TIMEOUT = 15
# The per-reader limit on posting comments (paddock/comments/views.py): 5 a minute.
POST_LIMIT, POST_WINDOW = 5, 60


@dataclass
class Browser:
    """A reader's cookies, sent to whichever server answers: both are on 127.0.0.1, as two
    app servers behind one load balancer are on one host name."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, port: int, method: str, path: str, form: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path


def _start(env: dict[str, str], log: Path) -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "60",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Server(port=port, process=process, log=log)


def _wait_healthy(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn on {server.port} exited:\n{server.log.read_text()[-3000:]}")
        try:
            status, _, _ = Browser().request(server.port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn on {server.port} gave no healthy answer within {START_TIMEOUT} s")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)


@pytest.fixture
def two_servers(transactional_db, shared_redis, tmp_path) -> Iterator[tuple[Server, Server, dict]]:
    """Servers A and B on the test database and one Redis, with a published article and a
    verified reader (ann@example.com) in it."""
    article = make_article(make_section("Industry"), title="Two servers, one site")
    user = get_user_model().objects.create_user(
        username="ann", email="ann@example.com", password="pw-correct-horse-9"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    data = {"article_id": article.pk, "article_url": article.url}
    env = child_env(
        tmp_path / "data",
        DATABASE_URL=suite_database_url(),
        REDIS_URL=redis_dbs.url(redis_dbs.TWO_SERVERS),
        CACHE_KEY_PREFIX=f"scaleout-{secrets.token_hex(4)}",
        # Sent at once and published at once: the limits under test are the shared ones.
        PADDOCK_FORM_MIN_SECONDS="0",
        PADDOCK_PREMODERATE_FIRST="0",
    )
    servers: list[Server] = []
    try:
        servers = [_start(env, tmp_path / f"gunicorn-{n}.log") for n in "ab"]
        deadline = time.monotonic() + START_TIMEOUT
        for server in servers:
            _wait_healthy(server, deadline)
        yield servers[0], servers[1], data
    finally:
        for server in servers:
            _stop(server)


def _sign_in(browser: Browser, port: int) -> None:
    status, _, page = browser.request(port, "GET", "/accounts/login/")
    assert status == 200
    form = BeautifulSoup(page, "html.parser").find("form", attrs={"method": "post"})
    fields = {
        i["name"]: i.get("value", "")
        for i in form.find_all("input")
        if i.get("name") and i.get("type") not in {"checkbox", "submit"}
    }
    fields.update(login="ann@example.com", password="pw-correct-horse-9")
    status, headers, page = browser.request(port, "POST", "/accounts/login/", fields)
    assert status == 302, f"sign-in through {port} answered {status}:\n{page[:2000]}"


def _post_comment(browser: Browser, port: int, article_id: int, body: str) -> int:
    status, _, _ = browser.request(
        port,
        "POST",
        f"/comments/articles/{article_id}/post/",
        {"body": body, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    )
    return status


# The servers check ann's password with the site's own hashers.
@pytest.mark.real_password_hashers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_share_sessions_comments_and_rate_limits(two_servers):
    a, b, data = two_servers
    reader = Browser()

    # Sessions: signed in through A, the reader is signed in through B.
    _sign_in(reader, a.port)
    status, _, page = reader.request(b.port, "GET", "/accounts/profile/")
    assert status == 200, f"B did not know A's session (status {status})"
    assert "ann@example.com" in page

    # Comments: B has shown the article (and may have cached it); A takes a comment; B shows
    # it to a stranger within one second.
    anonymous = Browser()
    status, _, page = anonymous.request(b.port, "GET", data["article_url"])
    assert status == 200
    body = f"Posted through A, read through B {secrets.token_hex(4)}"
    assert body not in page
    window = int(time.time() // POST_WINDOW)
    assert _post_comment(reader, a.port, data["article_id"], body) == 302
    first_window = window if int(time.time() // POST_WINDOW) == window else None
    posted = time.monotonic()
    while True:
        status, _, page = anonymous.request(b.port, "GET", data["article_url"])
        if status == 200 and body in page:
            break
        assert time.monotonic() - posted < 1.0, "B did not show A's new comment within 1 s"
        time.sleep(0.05)

    # Rate limits: the per-reader limit counts posts through A and B together. It counts in
    # fixed windows, so start well inside one, and in a window the first post is surely in or
    # surely out of: when the window turned while it was posted, the server counted it in one
    # of the two, and only the next is clear of it.
    if first_window is None or POST_WINDOW - time.time() % POST_WINDOW < 15:
        time.sleep(POST_WINDOW - time.time() % POST_WINDOW + 0.1)
    window = int(time.time() // POST_WINDOW)
    seen = {a.port: 1 if first_window == window else 0, b.port: 0}
    n = 0
    while sum(seen.values()) < POST_LIMIT:
        port = (a.port, b.port)[n % 2]
        status = _post_comment(reader, port, data["article_id"], f"Comment number {n} here")
        assert status == 302, f"post {n + 1} through {'AB'[n % 2]} answered {status}"
        seen[port] += 1
        n += 1
    over = (a.port, b.port)[n % 2]
    # That server alone has counted fewer than the limit: only the shared count says no.
    assert seen[over] < POST_LIMIT
    assert _post_comment(reader, over, data["article_id"], "One too many") == 429
    assert int(time.time() // POST_WINDOW) == window, "the rate-limit window turned mid-test"
