"""A burst of comments through the real HTTP stack: 50 readers post 200 comments at once, one
in five spam-like. Afterwards every comment is in exactly one state, none is lost, and the
article page's counts agree with the database."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.comments.selectors import visible_count
from paddock.moderation.models import ModerationPolicy

READERS = 50
COMMENTS = 200
SPAM_EVERY = 5  # one comment in five is spam-like


def body(i: int) -> str:
    if i % SPAM_EVERY == 0:
        return (
            f"WIN BIG {i}!!! casino bonus https://spam{i}.example/a https://spam{i}.example/b "
            f"https://spam{i}.example/c https://spam{i}.example/d click now"
        )
    return f"Comment {i}: the new plant should shorten delivery times for buyers in the region."


class Session:
    """One signed-in reader speaking HTTP to the live server, from its own address."""

    def __init__(self, base: str, user, address: str):
        client = Client()
        client.force_login(user)
        self.base = base
        self.address = address
        self.cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        self.opener = urllib.request.build_opener(_NoRedirect())
        self.csrf = ""

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        encoded = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=encoded)  # noqa: S310
        request.add_header("X-Forwarded-For", self.address)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                self._keep(response.headers)
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def _keep(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def prepare(self, article_url: str) -> None:
        _, html = self.open(article_url)
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_readers_post_two_hundred_comments_at_once(live_server, article, settings):
    settings.PADDOCK_PREMODERATE_FIRST = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # each reader posts from an address of their own
    settings.PADDOCK_COMMENTS_PER_PAGE = 500
    policy = ModerationPolicy.load()
    policy.max_links = 2
    policy.save()
    readers = [ReaderFactory(display_name=f"Burst {n}") for n in range(READERS)]
    # Half of them are known: a moderator approved a comment of theirs before.
    known = readers[::2]
    for reader in known:
        Comment.objects.create(
            article=article,
            author=reader,
            body="Earlier",
            body_html="<p>Earlier</p>",
            body_text="Earlier",
            moderated_at=timezone.now(),
        )
    sessions = [
        Session(live_server.url, reader, f"198.51.100.{n + 1}") for n, reader in enumerate(readers)
    ]
    for session in sessions:
        session.prepare(article.url)
    post_path = reverse("comments:post", args=[article.pk])
    start = threading.Barrier(16)
    local = threading.local()

    def send(i: int) -> tuple[int, int]:
        if not getattr(local, "started", False):
            local.started = True
            start.wait(timeout=30)
        session = sessions[i % READERS]
        status, _ = session.open(post_path, {"body": body(i), "csrfmiddlewaretoken": session.csrf})
        return i, status

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(send, range(COMMENTS)))

    statuses = [status for _, status in results]
    assert statuses.count(302) == COMMENTS, sorted(set(statuses))

    rows = list(
        Comment.objects.filter(article=article)
        .exclude(body="Earlier")
        .values_list("body", "status", "author_id")
    )
    # None lost, none doubled.
    assert len(rows) == COMMENTS
    assert sorted(b for b, _, _ in rows) == sorted(body(i) for i in range(COMMENTS))
    # Exactly one state each, from the known set.
    assert {status for _, status, _ in rows} <= set(Comment.Status.values)
    spam_like = {body(i) for i in range(COMMENTS) if i % SPAM_EVERY == 0}
    known_ids = {r.pk for r in known}
    for text, status, author_id in rows:
        if text in spam_like:
            assert status in ("pending", "spam"), text
        elif author_id in known_ids:
            assert status == "published", text
        else:  # a new reader's comments wait until a moderator lets one through
            assert status == "pending", text
    # The article page agrees with the database.
    viewer = known[0]
    _, html = Session(live_server.url, viewer, "198.51.100.200").open(article.url)
    count = visible_count(article)
    published = sum(1 for _, status, _ in rows if status == "published")
    assert count == published + len(known)  # the burst's, and the known readers' earlier ones
    assert f'<span id="comment-count">{count}</span>' in html
    assert f'<meta itemprop="commentCount" content="{count}">' in html
    shown = {int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)}
    visible_ids = set(
        Comment.objects.visible().filter(article=article).values_list("pk", flat=True)
    )
    own_held = set(
        Comment.objects.filter(article=article, author=viewer, status="pending").values_list(
            "pk", flat=True
        )
    )
    assert shown == visible_ids | own_held
