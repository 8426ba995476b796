"""Notification emails through the database task queue and a real SMTP server: at once with
their unsubscribe headers, batched for followed discussions, digested daily, never twice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paddock.comments import services as comments
from paddock.comments.tests.conftest import create_reader
from paddock.newsroom.tests.factories import make_article, make_section
from paddock.notifications import delivery, preferences
from paddock.notifications.models import Notification
from paddock.notifications.services import notify

# The worker closes its database connections when it stops, which would end the per-test
# transaction: these tests commit for real instead.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BASE = "https://news.example.com"


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


def _unsubscribe_url(message) -> str:
    header = re.sub(r"\s+", "", message["List-Unsubscribe"])  # a long header comes folded
    found = re.fullmatch(r"<(https://[^>]+)>", header)
    assert found, header
    return found.group(1)


def test_a_reply_is_emailed_at_once_with_its_link_and_one_click_unsubscribe(
    drain_background_tasks, article, smtp_server, django_capture_on_commit_callbacks
):
    ann, bob = create_reader("Ann"), create_reader("Bob")
    top = comments.comment_create(user=ann, article_id=article.pk, body="Where to build?")
    reply = comments.comment_create(
        user=bob, article_id=article.pk, body="Where they sell.", parent_id=top.pk
    )
    # Posting the reply told Ann (notifications' receiver of comment_posted).
    notification = Notification.objects.get(recipient=ann, kind="reply", comment=reply)
    assert DBTaskResult.objects.count() == 1  # queued, not sent inline
    assert smtp_server.messages == []
    drain_background_tasks()

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == ann.email
    assert message["Subject"].strip() == "Bob replied to your comment on “Plants follow buyers”"
    body = message.get_content()
    assert "Where they sell." in body
    assert f"{BASE}/comments/{reply.pk}/" in body
    url = _unsubscribe_url(message)
    assert url.startswith(f"{BASE}/notifications/unsubscribe/")
    assert url in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notification.refresh_from_db()
    assert notification.emailed_at is not None

    # A retried task finds the row claimed: nothing goes twice.
    assert delivery.email_one(notification.pk) is False
    assert delivery.pending_send(timezone.now() + dt.timedelta(days=1))["lost"] == 0
    assert len(smtp_server.messages) == 1


def test_unverified_and_inactive_readers_get_no_email(drain_background_tasks, article, smtp_server):
    ann, bob = create_reader("Ann"), create_reader("Bob")
    newcomer = create_reader("Newcomer", verified=False)
    top = comments.comment_create(
        user=ann, article_id=article.pk, body="Where to build?", notify=False
    )
    reply = comments.comment_create(
        user=bob, article_id=article.pk, body="Where they sell.", parent_id=top.pk, notify=False
    )
    for_newcomer = notify(recipient=newcomer, kind="mention", comment=reply, actor=bob)
    for_ann = notify(recipient=ann, kind="reply", comment=reply, actor=bob)
    ann.is_active = False
    ann.save(update_fields=["is_active"])
    drain_background_tasks()
    delivery.pending_send(timezone.now() + dt.timedelta(days=1))
    assert smtp_server.messages == []
    assert (
        Notification.objects.filter(
            pk__in=[for_newcomer.pk, for_ann.pk], emailed_at__isnull=True
        ).count()
        == 2
    )


def test_one_click_unsubscribe_stops_that_kind_only(drain_background_tasks, article, smtp_server):
    ann, bob = create_reader("Ann"), create_reader("Bob")
    top = comments.comment_create(
        user=ann, article_id=article.pk, body="Where to build?", notify=False
    )
    first = comments.comment_create(
        user=bob, article_id=article.pk, body="Where they sell.", parent_id=top.pk, notify=False
    )
    notify(recipient=ann, kind="reply", comment=first, actor=bob)
    drain_background_tasks()
    url = _unsubscribe_url(smtp_server.messages[0])
    path = url.removeprefix(BASE)
    browser = Client(enforce_csrf_checks=True)

    # Opening the link (or a scanner following it) asks, and changes nothing.
    page = browser.get(path)
    assert page.status_code == 200
    assert "Stop emails when someone replies to one of your comments?" in page.content.decode()
    assert preferences.frequencies(ann)["reply"] == "immediate"

    # The mail client's one-click POST (RFC 8058): no cookie, no CSRF token, no sign-in.
    done = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert preferences.frequencies(ann) == {
        "reply": "none",
        "mention": "immediate",
        "featured": "immediate",
        "follow": "daily",
    }

    # The next reply is on the notifications page, not in the inbox; a mention still is.
    second = comments.comment_create(
        user=bob,
        article_id=article.pk,
        body="@Ann or where they build.",
        parent_id=top.pk,
        notify=False,
    )
    notify(recipient=ann, kind="reply", comment=second, actor=bob)
    notify(recipient=ann, kind="mention", comment=second, actor=bob)
    drain_background_tasks()
    assert len(smtp_server.messages) == 2
    assert "mentioned you" in smtp_server.messages[1]["Subject"]


def test_a_tampered_unsubscribe_link_is_refused_clearly(article, client):
    ann = create_reader("Ann")
    url = delivery.unsubscribe_url(ann.pk, "reply").removeprefix(BASE)
    tampered = url.replace("/unsubscribe/", "/unsubscribe/x")
    for response in (client.get(tampered), client.post(tampered)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert client.post(reverse("notifications:unsubscribe", args=["nonsense"])).status_code == 400
    assert preferences.frequencies(ann)["reply"] == "immediate"


def test_the_daily_digest_groups_notifications_in_one_email_and_sends_them_once(
    article, smtp_server, settings
):
    # The digest hour half a day away: the test never straddles it.
    settings.PADDOCK_NOTIFICATIONS_DIGEST_HOUR = (timezone.localtime().hour + 12) % 24
    other = make_article(article.get_parent().specific, title="Batteries get cheaper")
    ann, bob, cid = create_reader("Ann"), create_reader("Bob"), create_reader("Cid")
    preferences.preferences_set(user=ann, choices={"reply": "daily", "mention": "none"})
    top = comments.comment_create(
        user=ann, article_id=article.pk, body="Where to build?", notify=False
    )
    mine = comments.comment_create(
        user=ann, article_id=other.pk, body="Cheaper when?", notify=False
    )
    replies = [
        comments.comment_create(
            user=bob, article_id=article.pk, body="Where they sell.", parent_id=top.pk, notify=False
        ),
        comments.comment_create(
            user=cid,
            article_id=other.pk,
            body="Next year, they say.",
            parent_id=mine.pk,
            notify=False,
        ),
    ]
    thread = comments.comment_create(
        user=cid, article_id=other.pk, body="A new thread here.", notify=False
    )
    for reply in replies:
        notify(recipient=ann, kind="reply", comment=reply, actor=reply.author)
    notify(recipient=ann, kind="follow", comment=thread, actor=cid)
    notify(recipient=ann, kind="mention", comment=thread, actor=cid)  # never emailed

    # Before the digest time nothing goes; after it, one email with all three.
    now = timezone.now()
    assert delivery.pending_send(now)["digests"] == 0
    later = now + dt.timedelta(days=1)
    assert delivery.pending_send(later) == {"lost": 0, "follow": 0, "digests": 1}
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == ann.email
    assert "3 notifications" in message["Subject"]
    body = message.get_content()
    for text in ("Where they sell.", "Next year, they say.", "A new thread here."):
        assert body.count(text) == 1
    assert body.index("== Plants follow buyers ==") < body.index("Where they sell.")
    assert body.index("== Batteries get cheaper ==") < body.index("Next year, they say.")
    for comment in (*replies, thread):
        assert f"{BASE}/comments/{comment.pk}/" in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Run again (a second worker, the next period): nothing goes twice.
    assert delivery.pending_send(later) == {"lost": 0, "follow": 0, "digests": 0}
    assert delivery.pending_send(later + dt.timedelta(days=1))["digests"] == 0
    assert len(smtp_server.messages) == 1

    # The digest's link stops the digest: every kind that went into it.
    Client().post(_unsubscribe_url(message).removeprefix(BASE))
    assert preferences.frequencies(ann) == {
        "reply": "none",
        "mention": "none",
        "featured": "immediate",
        "follow": "none",
    }


def test_followed_discussions_at_once_come_at_most_hourly_per_discussion(article, smtp_server):
    ann, bob = create_reader("Ann"), create_reader("Bob")
    preferences.preferences_set(user=ann, choices={"follow": "immediate"})
    threads = [
        comments.comment_create(user=bob, article_id=article.pk, body=f"Thread {n}.", notify=False)
        for n in range(3)
    ]
    for thread in threads[:2]:
        notify(recipient=ann, kind="follow", comment=thread, actor=bob)
    now = timezone.now()
    assert delivery.pending_send(now)["follow"] == 1
    body = smtp_server.messages[0].get_content()
    assert "Thread 0." in body and "Thread 1." in body
    assert smtp_server.messages[0]["Subject"].strip() == "2 new comments on “Plants follow buyers”"

    notify(recipient=ann, kind="follow", comment=threads[2], actor=bob)
    assert delivery.pending_send(now + dt.timedelta(minutes=10))["follow"] == 0
    assert delivery.pending_send(now + dt.timedelta(minutes=61))["follow"] == 1
    assert "Thread 2." in smtp_server.messages[1].get_content()
    assert len(smtp_server.messages) == 2


def test_a_failed_send_gives_the_notifications_back(article, smtp_server, settings):
    ann, bob = create_reader("Ann"), create_reader("Bob")
    preferences.preferences_set(user=ann, choices={"follow": "immediate"})
    thread = comments.comment_create(
        user=bob, article_id=article.pk, body="A thread.", notify=False
    )
    notification = notify(recipient=ann, kind="follow", comment=thread, actor=bob)
    settings.EMAIL_PORT = 9  # nothing listens there: the send fails
    assert delivery.pending_send()["follow"] == 0
    notification.refresh_from_db()
    assert notification.emailed_at is None
    settings.EMAIL_PORT = smtp_server.port
    assert delivery.pending_send()["follow"] == 1
    assert len(smtp_server.messages) == 1
