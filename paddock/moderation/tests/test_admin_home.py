"""The admin's home page for moderators: the queue and the dashboard's headline figures, shown
by permission, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.core.roles import group_ensure
from paddock.moderation.actions import CommentDecideAction

pytestmark = pytest.mark.django_db
HOME = reverse("wagtailadmin_home")


def hold(comment, *, age: dt.timedelta = dt.timedelta(0)):
    Comment.objects.filter(pk=comment.pk).update(
        status="pending", status_reason="Held.", created_at=timezone.now() - age
    )
    return comment


def test_a_moderators_home_shows_the_queue_and_the_headline_figures(client, moderator, post):
    held = [
        hold(post(ReaderFactory(), f"Held {i}"), age=dt.timedelta(hours=3 - i)) for i in (0, 1, 2)
    ]
    decided = held.pop()  # an hour old when a moderator approves it
    CommentDecideAction([decided.pk], decision="approve", user=moderator).execute()
    reported = post(ReaderFactory(), "Reported")
    comments.report_create(user=ReaderFactory(), comment_id=reported.pk, reason="abuse")

    client.force_login(moderator)
    html = client.get(HOME).content.decode()
    assert "Moderation queue" in html
    figures = html[html.index("mod-home-figures") :]
    assert '<strong style="font-size:1.6rem;display:block">3</strong> waiting now' in figures
    assert ">2</strong> held for review" in figures
    assert ">1</strong> reported, still shown" in figures
    assert ">3\xa0hours</strong> oldest waiting" in figures
    assert ">1</strong> decisions in 30 days" in figures
    assert ">1.0 h</strong> median time to a decision" in figures
    assert reverse("moderation_admin:queue") in figures


def test_the_home_panel_costs_the_same_queries_whatever_the_queue(client, moderator, post):
    client.force_login(moderator)
    hold(post(ReaderFactory(), "One"))
    first = hold(post(ReaderFactory(), "Decided"))
    CommentDecideAction([first.pk], decision="approve", user=moderator).execute()
    client.get(HOME)  # warm the per-process caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(10):
        comment = hold(post(ReaderFactory(), f"Held {i}"))
        CommentDecideAction([comment.pk], decision="reject", reason="No", user=moderator).execute()
        hold(post(ReaderFactory(), f"Waiting {i}"))
    assert queries() == few


def test_the_panel_follows_permissions(client, role_user, post):
    hold(post(ReaderFactory(), "Waiting"))
    editor = role_user("editor")
    client.force_login(editor)
    assert "Moderation queue" not in client.get(HOME).content.decode()

    # Working the queue without the dashboard: the queue's figures, not the dashboard's.
    from django.contrib.auth.models import Permission

    group = group_ensure("Queue only")
    group.permissions.set(
        Permission.objects.filter(codename__in=["access_admin", "moderate_comments"])
    )
    queue_only = ReaderFactory(groups=["Queue only"])
    client.force_login(queue_only)
    html = client.get(HOME).content.decode()
    assert ">1</strong> waiting now" in html
    assert "decisions in 30 days" not in html and "Dashboard</a>" not in html
