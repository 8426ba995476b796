"""Rate limits on what readers can fire at the discussion: posting, replying, voting and
reporting, per reader and per address; over a limit, 429 with Retry-After and nothing done."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import views
from paddock.comments.models import Comment, Report, Vote
from paddock.core import ratelimit
from paddock.core.ratelimit import Limit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Keep the clock inside one rate-limit window: these tests take seconds, and a window
    that turned over between two requests would let one through."""
    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))


def assert_429(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many" in response.content.decode() or "too many" in response.content.decode()


def test_replies_count_against_the_posting_limit(client, post, reader):
    parent = post(ReaderFactory(), "Start of a thread")
    client.force_login(reader)
    url = reverse("comments:post", args=[parent.article_id])
    for i in range(5):
        assert client.post(url, {"body": f"Reply {i}", "parent": parent.pk}).status_code == 302
    assert_429(client.post(url, {"body": "One more", "parent": parent.pk}))
    assert Comment.objects.filter(parent=parent).count() == 5


def test_votes_are_limited_per_reader(client, post, reader):
    targets = [post(ReaderFactory(), f"Comment {i}") for i in range(61)]
    client.force_login(reader)
    for comment in targets[:60]:
        url = reverse("comments:vote", args=[comment.pk])
        assert client.post(url, {"value": "up"}).status_code == 302
    assert_429(client.post(reverse("comments:vote", args=[targets[60].pk]), {"value": "up"}))
    assert Vote.objects.filter(user=reader).count() == 60


def test_reports_are_limited_per_reader(client, post, reader):
    targets = [post(ReaderFactory(), f"Comment {i}") for i in range(11)]
    client.force_login(reader)
    for comment in targets[:10]:
        url = reverse("comments:report", args=[comment.pk])
        assert client.post(url, {"reason": "spam"}).status_code == 200
    assert_429(client.post(reverse("comments:report", args=[targets[10].pk]), {"reason": "spam"}))
    assert Report.objects.filter(reporter=reader).count() == 10


def test_one_address_is_limited_whoever_signs_in_from_it(client, post, settings):
    assert views.POST_LIMITS["per_ip"] == Limit(20, 60)
    url = reverse("comments:post", args=[post(ReaderFactory(), "Seed").article_id])
    sent = 0
    for _ in range(5):
        client.force_login(ReaderFactory())
        for _ in range(4):
            assert client.post(url, {"body": f"From one address {sent}"}).status_code == 302
            sent += 1
    client.force_login(ReaderFactory())
    assert_429(client.post(url, {"body": "The twenty-first from this address"}))
    assert Comment.objects.filter(body__startswith="From one address").count() == 20
