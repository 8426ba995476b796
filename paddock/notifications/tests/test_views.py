"""The notifications page, marking read by POST only, the header's unread count, and the "@"
suggestions endpoint."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def unread_badge(count: int) -> str:
    return f'<span class="badge" aria-label="{count} unread">{count}</span>'


@pytest.fixture
def replied(post, ana, bob):
    """Bob replied to Ana: Ana has one notification."""
    first = post(ana, "The plant closing is the real story.")
    return post(bob, "It moved, it <b>did</b> not close.", parent=first)


def test_the_page_lists_replies_linking_to_the_comment(client, replied, ana):
    client.force_login(ana)
    html = client.get(LIST).content.decode()
    assert "Bob</bdi> replied to your comment on “Plants follow buyers”" in html
    assert f'href="{replied.get_absolute_url()}"' in html  # the comment's permalink
    assert "It moved, it &lt;b&gt;did&lt;/b&gt; not close." in html  # escaped
    assert "New" in html and "Mark read" in html
    response = client.get(replied.get_absolute_url())
    assert response.status_code == 302 and f"#comment-{replied.pk}" in response["Location"]


def test_showing_the_page_marks_nothing_read_a_post_does(client, replied, ana):
    client.force_login(ana)
    notification = Notification.objects.get(recipient=ana)
    client.get(LIST)
    client.get(LIST)
    assert Notification.objects.get(pk=notification.pk).read_at is None
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert (response.status_code, response["Location"]) == (302, LIST)
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert "Mark read" not in client.get(LIST).content.decode()


def test_mark_all_read_up_to_what_the_reader_saw(client, post, replied, ana, bob):
    client.force_login(ana)
    html = client.get(LIST).content.decode()
    assert "Mark all read (1)" in html
    newest = Notification.objects.get(recipient=ana).pk
    post(bob, "Another reply, arrived while Ana read.", parent=replied.parent)
    response = client.post(reverse("notifications:read_all"), {"upto": newest, "next": LIST})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=ana, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=ana, read_at__isnull=True).exists()
    # "next" only leads back into the site.
    response = client.post(reverse("notifications:read_all"), {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_others_can_neither_read_nor_mark_a_readers_notifications(client, replied, ana, bob):
    notification = Notification.objects.get(recipient=ana)
    client.force_login(bob)
    assert "replied to your comment" not in client.get(LIST).content.decode()
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.get(pk=notification.pk).read_at is None
    client.logout()
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_marking_read_needs_the_csrf_token(replied, ana):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    notification = Notification.objects.get(recipient=ana)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 403
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_the_header_counts_unread_for_the_reader_and_visitors_get_the_cached_page(
    client, article, replied, ana
):
    visitor = Client()
    first = visitor.get(article.url)
    assert not first.cookies  # cookie-free, so the page cache may keep it
    again = visitor.get(article.url)
    assert again["X-Page-Cache"] == "HIT"
    assert "Notifications" not in again.content.decode()

    client.force_login(ana)
    page = client.get(article.url)
    assert "private" in page["Cache-Control"]
    assert unread_badge(1) in page.content.decode()
    assert f'href="{LIST}">Notifications' in page.content.decode()
    client.post(reverse("notifications:read_all"))
    assert unread_badge(1) not in client.get(article.url).content.decode()
    # The visitor's cached page still says nothing of anyone's notifications.
    assert "badge" not in visitor.get(article.url).content.decode()


def test_a_notification_about_a_comment_since_removed_is_not_listed(client, replied, ana):
    from paddock.moderation.actions import CommentDecideAction

    moderator = ReaderFactory(groups=["Moderators"])
    CommentDecideAction([replied.pk], decision="reject", reason="Rude", user=moderator).execute()
    client.force_login(ana)
    html = client.get(LIST).content.decode()
    assert "replied to your comment" not in html and "It moved" not in html
    assert unread_badge(1) not in html


def test_the_page_costs_the_same_queries_for_one_or_many(client, post, article, ana):
    first = post(ana, "Ask me anything about the plant.")
    client.force_login(ana)
    counts = {}
    for total in (1, 12):
        while Notification.objects.filter(recipient=ana).count() < total:
            post(ReaderFactory(), "A reply.", parent=first)
        client.get(LIST)  # warm what a process reads once
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        counts[total] = len(ctx.captured_queries)
    assert counts[1] == counts[12], counts


# --- "@" suggestions ------------------------------------------------------------------------


def suggestions(client, article, q=""):
    return client.get(reverse("comments:mentions", args=[article.pk]), {"q": q})


def test_suggestions_list_the_discussions_readers_by_name_only(client, post, article, ana, bob):
    post(ana, "First.")
    post(ReaderFactory(display_name="Anders"), "Second.")
    ReaderFactory(display_name="Ann Elsewhere")  # never commented here
    client.force_login(bob)
    response = suggestions(client, article, "an")
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert response.json() == {"names": ["Ana Berg", "Anders"]}
    assert suggestions(client, article, "ber").json() == {"names": ["Ana Berg"]}  # a later word
    assert "@" not in response.content.decode()  # no addresses
    post(bob, "Me too.")
    assert "Bob" not in suggestions(client, article, "").json()["names"]  # not oneself


def test_suggestions_are_for_signed_in_readers_on_published_articles(client, post, article, ana):
    post(ana, "First.")
    assert suggestions(client, article, "an").status_code == 403
    client.force_login(ReaderFactory())
    assert client.get(reverse("comments:mentions", args=[10**9])).status_code == 404


def test_suggestions_are_rate_limited(client, settings, post, article, ana, monkeypatch):
    from paddock.comments import views
    from paddock.core import ratelimit

    # All in one rate-limit window, even if the test runs across a minute's turn.
    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    post(ana, "First.")
    client.force_login(ReaderFactory())
    limit = views.MENTION_LIMIT.count
    statuses = [suggestions(client, article, "a").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[-1] == 429


def test_the_comment_box_asks_for_suggestions(client, article, ana):
    client.force_login(ana)
    html = client.get(article.url).content.decode()
    assert f'data-mentions="{reverse("comments:mentions", args=[article.pk])}"' in html
    assert "js/mentions" in html
