"""Moderators' decisions, edits, reports that hide a comment, and what authors are told."""

from __future__ import annotations

import pytest

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import selectors
from paddock.comments import services as comments
from paddock.comments.models import Comment, Report
from paddock.moderation.actions import (
    CommentDecideAction,
    CommentEditAction,
    ModerationError,
    ModerationPermissionError,
    ReaderSanctionAction,
    SpamPurgeAction,
)
from paddock.moderation.models import AuditEntry, Notice

Status = Comment.Status


def held(post, user, body="Held for a look."):
    comment = post(user, body)
    Comment.objects.filter(pk=comment.pk).update(status=Status.PENDING, status_reason="Held.")
    comment.refresh_from_db()
    return comment


@pytest.mark.django_db
def test_approving_publishes_logs_and_tells_the_author(post, reader, moderator):
    comment = held(post, reader)
    assert CommentDecideAction([comment.pk], decision="approve", user=moderator).execute() == 1
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert comment.moderated_by == moderator and comment.moderated_at
    entry = AuditEntry.objects.get(action="approve")
    assert entry.actor == moderator and entry.actor_name == "Mo Derator"
    assert entry.before["status"] == "pending" and entry.after["status"] == "published"
    assert entry.comment == comment and entry.reader == reader
    assert Notice.objects.get(user=reader).message == "Your comment is now published."


@pytest.mark.django_db
def test_rejecting_needs_a_reason_which_the_author_sees(post, reader, moderator, article):
    comment = held(post, reader)
    with pytest.raises(ModerationError, match="reason"):
        CommentDecideAction([comment.pk], decision="reject", user=moderator).execute()
    assert not AuditEntry.objects.exists()
    CommentDecideAction(
        [comment.pk], decision="reject", reason="Personal attack.", user=moderator
    ).execute()
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED
    assert comment.status_reason == "Personal attack."
    assert "Personal attack." in Notice.objects.get(user=reader).message
    # Rejected comments are gone from the thread, for everyone and for the author.
    for viewer in (None, reader):
        page = selectors.thread_page(article, viewer=viewer)
        assert comment.pk not in [t.comment.pk for t in page.tokens if t.comment]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_author_is_emailed_about_a_hold_and_a_rejection(
    post, reader, moderator, policy, smtp_server, drain_background_tasks
):
    policy.max_links = 0
    policy.save()
    comment = post(reader, "A link: https://example.com/deal")
    CommentDecideAction(
        [comment.pk], decision="reject", reason="Advertising.", user=moderator
    ).execute()
    drain_background_tasks()
    subjects = [m["Subject"].strip() for m in smtp_server.messages]
    assert subjects == ["About your comment on “Plants follow buyers”"] * 2
    bodies = [m.get_content() for m in smtp_server.messages]
    assert "more than 0 links" in bodies[0]
    assert "Advertising." in bodies[1] and "https://example.com/deal" in bodies[1]
    assert all(m["To"] == reader.email for m in smtp_server.messages)


@pytest.mark.django_db
def test_spam_and_bulk_decisions_are_all_or_nothing(post, moderator):
    authors = [ReaderFactory() for _ in range(3)]
    pending = [held(post, a, f"Comment {i}") for i, a in enumerate(authors)]
    ids = [c.pk for c in pending]
    with pytest.raises(ModerationError, match="no longer exist"):
        CommentDecideAction([*ids, 999_999], decision="spam", user=moderator).execute()
    assert Comment.objects.filter(pk__in=ids, status=Status.PENDING).count() == 3
    assert CommentDecideAction(ids, decision="spam", user=moderator).execute() == 3
    assert Comment.objects.filter(pk__in=ids, status=Status.SPAM).count() == 3
    assert AuditEntry.objects.filter(action="spam").count() == 3


@pytest.mark.django_db
def test_a_moderator_edit_is_marked_and_keeps_the_old_text_in_the_log(
    client, post, reader, moderator, article
):
    comment = post(reader, "Original words, with a slur in them.")
    CommentEditAction(
        comment.pk, body="Original words.", reason="Slur removed", user=moderator
    ).execute()
    comment.refresh_from_db()
    assert comment.body == "Original words." and comment.edited_by_moderator
    entry = AuditEntry.objects.get(action="edit")
    assert entry.before["body"] == "Original words, with a slur in them."
    assert entry.after["body"] == "Original words."
    html = client.get(article.url).content.decode()
    assert "edited by a moderator" in html
    assert "slur" not in html


@pytest.mark.django_db
def test_reports_from_enough_distinct_readers_hide_a_comment(post, reader, policy, article):
    policy.report_threshold = 3
    policy.save()
    comment = post(reader, "A heated take.")
    reporters = [ReaderFactory() for _ in range(3)]
    comments.report_create(user=reporters[0], comment_id=comment.pk, reason="abuse")
    comments.report_create(user=reporters[1], comment_id=comment.pk, reason="off_topic")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED and comment.open_reports == 2
    # The same reader twice counts once.
    with pytest.raises(comments.CommentError):
        comments.report_create(user=reporters[1], comment_id=comment.pk, reason="abuse")
    comments.report_create(
        user=reporters[2], comment_id=comment.pk, reason="other", details="Doxxing"
    )
    comment.refresh_from_db()
    assert comment.status == Status.PENDING and comment.open_reports == 3
    assert "reports from 3 readers" in comment.status_reason
    assert AuditEntry.objects.get(action="hide").actor is None
    assert Notice.objects.filter(user=reader, comment=comment).exists()
    assert comment.pk not in [
        t.comment.pk for t in selectors.thread_page(article).tokens if t.comment
    ]


@pytest.mark.django_db
def test_approving_a_reported_comment_clears_its_reports(post, reader, moderator, policy):
    policy.report_threshold = 1
    policy.save()
    comment = post(reader, "Contentious but fine.")
    comments.report_create(user=ReaderFactory(), comment_id=comment.pk, reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    CommentDecideAction([comment.pk], decision="approve", user=moderator).execute()
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED and comment.open_reports == 0
    assert not Report.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    assert not Comment.objects.awaiting_review().exists()


@pytest.mark.django_db
def test_dismissing_reports_keeps_the_comment_and_empties_the_queue(post, reader, moderator):
    comment = post(reader, "Mildly annoying.")
    comments.report_create(user=ReaderFactory(), comment_id=comment.pk, reason="off_topic")
    assert list(Comment.objects.awaiting_review()) == [comment]
    CommentDecideAction([comment.pk], decision="dismiss", user=moderator).execute()
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED and comment.open_reports == 0
    assert not Comment.objects.awaiting_review().exists()
    assert AuditEntry.objects.filter(action="dismiss").count() == 1


@pytest.mark.django_db
def test_the_author_sees_a_held_comment_with_its_reason_and_nobody_else_does(
    client, post, reader, policy, article
):
    policy.max_links = 0
    policy.save()
    comment = post(reader, "Look at https://example.com/offer")
    anonymous = client.get(article.url).content.decode()
    assert f'id="c-{comment.pk}"' not in anonymous
    client.force_login(reader)
    mine = client.get(article.url).content.decode()
    assert f'id="c-{comment.pk}"' in mine
    assert "Only you can see this comment." in mine
    assert "more than 0 links" in mine
    other = ReaderFactory()
    client.force_login(other)
    assert f'id="c-{comment.pk}"' not in client.get(article.url).content.decode()


@pytest.mark.django_db
def test_a_shadow_banned_readers_comments_are_seen_by_them_alone(
    client, post, reader, moderator, article
):
    ReaderSanctionAction(reader.pk, sanction="shadow_ban", reason="Troll", user=moderator).execute()
    comment = post(reader, "Nobody will notice this.")
    assert comment.status == Status.PUBLISHED and comment.shadowed
    assert selectors.visible_count(article) == 0
    assert f'id="c-{comment.pk}"' not in client.get(article.url).content.decode()
    assert comment not in selectors.recent_comments()
    client.force_login(reader)
    html = client.get(article.url).content.decode()
    assert f'id="c-{comment.pk}"' in html
    assert "Only you can see" not in html  # the whole point: it looks published to them
    ReaderSanctionAction(reader.pk, sanction="reinstate", user=moderator).execute()
    assert not post(reader, "Back in good standing.").shadowed


@pytest.mark.django_db
def test_suspension_ends_by_itself(post, reader, moderator):
    import datetime as dt

    from django.utils import timezone

    until = timezone.now() + dt.timedelta(hours=1)
    ReaderSanctionAction(
        reader.pk, sanction="suspend", until=until, reason="Cool off", user=moderator
    ).execute()
    with pytest.raises(comments.CommentError, match="suspended"):
        post(reader, "Too soon.")
    other = post(ReaderFactory(), "Someone else's comment.")
    with pytest.raises(comments.CommentError, match="suspended"):
        comments.vote_cast(user=reader, comment_id=other.pk, value=1)
    with pytest.raises(comments.CommentError, match="suspended"):
        comments.report_create(user=reader, comment_id=other.pk, reason="spam")
    reader.standing.suspended_until = timezone.now() - dt.timedelta(seconds=1)
    reader.standing.save()
    assert post(reader, "Back again.").status == Status.PUBLISHED


@pytest.mark.django_db
def test_sanctions_need_reasons_and_future_dates_and_spare_staff(reader, moderator, role_user):
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(ModerationError, match="reason"):
        ReaderSanctionAction(reader.pk, sanction="ban", user=moderator).execute()
    past = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ModerationError, match="future"):
        ReaderSanctionAction(
            reader.pk, sanction="suspend", until=past, reason="x", user=moderator
        ).execute()
    with pytest.raises(ModerationError, match="yourself"):
        ReaderSanctionAction(moderator.pk, sanction="ban", reason="x", user=moderator).execute()
    other_moderator = role_user("moderator")
    with pytest.raises(ModerationError, match="Staff"):
        ReaderSanctionAction(
            other_moderator.pk, sanction="ban", reason="x", user=moderator
        ).execute()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_actions_refuse_people_without_the_permission(post, reader, role_user):
    comment = held(post, reader)
    for role in ("reader", "contributor", "editor"):
        user = role_user(role)
        with pytest.raises(ModerationPermissionError):
            CommentDecideAction([comment.pk], decision="approve", user=user).execute()
        with pytest.raises(ModerationPermissionError):
            ReaderSanctionAction(reader.pk, sanction="ban", reason="x", user=user).execute()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


@pytest.mark.django_db
def test_purge_deletes_only_old_spam_and_logs_it(post, reader, moderator, policy):
    import datetime as dt

    from django.utils import timezone

    policy.purge_spam_after_days = 30
    policy.save()
    old_spam, new_spam, old_rejected = (held(post, reader, f"Spam {i}") for i in range(3))
    CommentDecideAction([old_spam.pk, new_spam.pk], decision="spam", user=moderator).execute()
    CommentDecideAction(
        [old_rejected.pk], decision="reject", reason="Rude", user=moderator
    ).execute()
    long_ago = timezone.now() - dt.timedelta(days=31)
    Comment.objects.filter(pk__in=[old_spam.pk, old_rejected.pk]).update(moderated_at=long_ago)
    assert SpamPurgeAction().execute() == 1
    assert not Comment.objects.filter(pk=old_spam.pk).exists()
    assert Comment.objects.filter(pk__in=[new_spam.pk, old_rejected.pk]).count() == 2
    assert AuditEntry.objects.get(action="purge").after == {"deleted": 1}
    assert SpamPurgeAction().execute() == 0
