"""Reply emails go through the database task queue and a real SMTP server."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from paddock.comments import services

# The worker closes its database connections when it stops, which would end the per-test
# transaction: these tests commit for real instead.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reply_emails_the_parent_author(
    drain_background_tasks, article, reader_factory, smtp_server, django_capture_on_commit_callbacks
):
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    top = services.comment_create(user=ann, article_id=article.pk, body="Where to build?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_create(
            user=bob, article_id=article.pk, body="Where they sell.", parent_id=top.pk
        )
    assert DBTaskResult.objects.count() == 1  # queued, not sent inline
    assert smtp_server.messages == []
    drain_background_tasks()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == ann.email
    assert "Bob replied to your comment" in message["Subject"]
    body = message.get_content()
    assert "Where they sell." in body
    assert f"/comments/{reply.pk}/" in body


def test_no_email_when_opted_out_or_replying_to_self(
    drain_background_tasks, article, reader_factory, smtp_server, django_capture_on_commit_callbacks
):
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    ann.profile.notify_replies = False
    ann.profile.save()
    top = services.comment_create(user=ann, article_id=article.pk, body="Quiet please")
    own = services.comment_create(user=bob, article_id=article.pk, body="Mine")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(user=bob, article_id=article.pk, body="Re", parent_id=top.pk)
        services.comment_create(user=bob, article_id=article.pk, body="Me", parent_id=own.pk)
    drain_background_tasks()
    assert smtp_server.messages == []
