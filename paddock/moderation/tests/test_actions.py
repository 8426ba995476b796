"""Each moderation action (paddock/moderation/actions/) refuses people without its permission
and input it cannot act on, changing nothing; writes its audit entry in its own transaction, so
that a failure after the write leaves neither the change nor the entry (nor a notice, nor an
email or a cache invalidation queued); and the policy's and banned terms' Wagtail views save
through it. What the actions show on a cached article page is in test_actions_pagecache.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.core.errors import Refused
from paddock.moderation.actions import (
    BannedTermCreateAction,
    BannedTermDeleteAction,
    BannedTermEditAction,
    CommentDecideAction,
    CommentDecidePermissionError,
    CommentEditAction,
    CommentEditPermissionError,
    CommentHideAction,
    DiscussionCloseAction,
    DiscussionClosePermissionError,
    ModerationError,
    PolicyEditAction,
    ReaderSanctionAction,
    ReaderSanctionPermissionError,
    SpamPurgeAction,
)
from paddock.moderation.models import (
    AuditEntry,
    BannedTerm,
    ModerationPolicy,
    Notice,
    ReaderStanding,
)

pytestmark = pytest.mark.django_db

Status = Comment.Status
NOT_MODERATORS = ["nobody", "anonymous", "reader", "contributor", "editor"]
NOT_EDITORS = ["nobody", "anonymous", "reader", "contributor", "moderator"]
NOT_ADMINISTRATORS = ["anonymous", "reader", "editor", "moderator"]


class Boom(Exception):
    """A failure after an action wrote its change and its audit entry."""


def failing(action_class):
    """The action, failing once its change and its audit entry are written (an action is a
    class: a subclass is how one is extended, and here how one is made to fail)."""

    class Failing(action_class):
        def log(self, *args, **kwargs):
            entry = super().log(*args, **kwargs)
            assert AuditEntry.objects.filter(pk=entry.pk).exists()
            raise Boom

    return Failing


def person(role_user, role: str):
    if role == "nobody":
        return None
    if role == "anonymous":
        return AnonymousUser()
    return role_user(role)


def held(post, user, body="Held for a look."):
    comment = post(user, body)
    Comment.objects.filter(pk=comment.pk).update(status=Status.PENDING, status_reason="Held.")
    comment.refresh_from_db()
    return comment


def snapshot(article=None) -> dict:
    """Everything an action may write."""
    policy = ModerationPolicy.load()
    return {
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "pk", "status", "status_reason", "body", "open_reports", "moderated_by"
            )
        ),
        "standings": list(
            ReaderStanding.objects.values_list("user", "banned", "shadow_banned", "suspended_until")
        ),
        "closed": list(
            type(article).objects.values_list("pk", "comments_closed") if article else []
        ),
        "terms": list(BannedTerm.objects.values_list("phrase", "action")),
        "policy": (policy.report_threshold, policy.max_links, policy.hold_score),
        "notices": Notice.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def no_commit(django_capture_on_commit_callbacks):
    """Runs a failing action and checks that it left nothing to do after a commit: no email,
    no Akismet call, no cache invalidation."""

    def run(action) -> None:
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Boom):
            action.execute()
        assert callbacks == []

    return run


# --- comment_decide ----------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_MODERATORS)
def test_comment_decide_refuses_people_who_do_not_moderate(post, reader, role_user, role):
    comment = held(post, reader)
    before = snapshot()
    action = CommentDecideAction([comment.pk], decision="approve", user=person(role_user, role))
    with pytest.raises(CommentDecidePermissionError) as refused:
        action.execute()
    assert isinstance(refused.value, Refused) and refused.value.status == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("ids", "decision", "reason", "status", "message"),
    [
        (None, "publish", "", 400, "Choose approve, reject, spam or dismiss"),
        (None, "reject", "  ", 400, "reason for the rejection"),
        ([], "approve", "", 400, "Select at least one comment"),
        (["7x"], "approve", "", 400, "Select comments by number"),
        ("missing", "approve", "", 409, "no longer exist; reload the queue"),
        ("deleted", "spam", "", 409, "no longer exist; reload the queue"),
    ],
)
def test_comment_decide_refuses_bad_input(
    post, reader, moderator, ids, decision, reason, status, message
):
    comment = held(post, reader)
    other = held(post, ReaderFactory(), "Another one")
    if ids is None:
        ids = [comment.pk]
    elif ids == "missing":
        ids = [comment.pk, other.pk + 1000]
    elif ids == "deleted":
        comments.comment_delete(user=other.author, comment_id=other.pk)
        ids = [comment.pk, other.pk]
    before = snapshot()
    with pytest.raises(ModerationError, match=message) as refused:
        CommentDecideAction(ids, decision=decision, reason=reason, user=moderator).execute()
    assert refused.value.status == status
    assert snapshot() == before


def test_a_failed_decision_leaves_neither_the_change_nor_its_entry(
    post, reader, moderator, no_commit
):
    first, second = held(post, reader, "One"), held(post, ReaderFactory(), "Two")
    before = snapshot()
    no_commit(failing(CommentDecideAction)([first.pk, second.pk], decision="spam", user=moderator))
    assert snapshot() == before
    assert CommentDecideAction([first.pk, second.pk], decision="spam", user=moderator).execute()
    entries = AuditEntry.objects.filter(action="spam")
    assert sorted(entries.values_list("comment", flat=True)) == [first.pk, second.pk]
    assert Notice.objects.count() == 2


# --- comment_edit ------------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_MODERATORS)
def test_comment_edit_refuses_people_who_do_not_moderate(post, reader, role_user, role):
    comment = post(reader, "Original words.")
    before = snapshot()
    with pytest.raises(CommentEditPermissionError):
        CommentEditAction(comment.pk, body="New words.", user=person(role_user, role)).execute()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("target", "body", "status", "message"),
    [
        ("comment", "   ", 400, "Your comment is empty"),
        ("comment", "x" * 10_001, 400, "the limit is 10,000"),
        ("missing", "Fine words.", 404, "That comment does not exist"),
        ("deleted", "Fine words.", 404, "That comment does not exist"),
    ],
)
def test_comment_edit_refuses_bad_input(post, reader, moderator, target, body, status, message):
    comment = post(reader, "Original words.")
    comment_id = comment.pk + 1000 if target == "missing" else comment.pk
    if target == "deleted":
        comments.comment_delete(user=reader, comment_id=comment.pk)
    before = snapshot()
    with pytest.raises(ModerationError, match=message) as refused:
        CommentEditAction(comment_id, body=body, user=moderator).execute()
    assert refused.value.status == status
    assert snapshot() == before


def test_a_failed_edit_leaves_neither_the_change_nor_its_entry(post, reader, moderator, no_commit):
    comment = post(reader, "Original words, with a slur.")
    before = snapshot()
    no_commit(failing(CommentEditAction)(comment.pk, body="Original words.", user=moderator))
    assert snapshot() == before
    comment.refresh_from_db()
    assert not comment.edited_by_moderator


# --- comment_hide ------------------------------------------------------------------------


def reported(post, reader, reports: int) -> Comment:
    """A published comment with open reports (set directly: report_create would hide it)."""
    comment = post(reader, "A heated take.")
    Comment.objects.filter(pk=comment.pk).update(open_reports=reports)
    return comment


def test_comment_hide_waits_for_the_threshold_and_knows_no_permission(post, reader, policy):
    policy.report_threshold = 3
    policy.save()
    comment = reported(post, reader, 2)
    before = snapshot()
    # The site acts: no user, no permission; below the threshold nothing happens.
    assert CommentHideAction(comment.pk).execute() is False
    assert snapshot() == before
    Comment.objects.filter(pk=comment.pk).update(open_reports=3)
    assert CommentHideAction(comment.pk).execute() is True
    entry = AuditEntry.objects.get(action="hide")
    assert entry.actor is None and entry.actor_name == "Paddock"
    assert entry.before["status"] == "published" and entry.after["status"] == "pending"
    # Once hidden it stays hidden, logged once.
    assert CommentHideAction(comment.pk).execute() is False
    assert AuditEntry.objects.filter(action="hide").count() == 1


def test_comment_hide_refuses_a_comment_that_does_not_exist(db):
    with pytest.raises(ModerationError, match="does not exist") as refused:
        CommentHideAction(123_456).execute()
    assert refused.value.status == 404


def test_a_failed_hide_leaves_neither_the_change_nor_its_entry(post, reader, policy, no_commit):
    policy.report_threshold = 1
    policy.save()
    comment = reported(post, reader, 1)
    before = snapshot()
    no_commit(failing(CommentHideAction)(comment.pk))
    assert snapshot() == before


# --- reader_sanction ---------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_MODERATORS)
def test_reader_sanction_refuses_people_who_do_not_moderate(reader, role_user, role):
    before = snapshot()
    with pytest.raises(ReaderSanctionPermissionError):
        ReaderSanctionAction(
            reader.pk, sanction="ban", reason="Abuse", user=person(role_user, role)
        ).execute()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("target", "sanction", "until", "reason", "status", "message"),
    [
        ("reader", "mute", None, "x", 400, "Choose suspend, ban, shadow ban or reinstate"),
        ("reader", "shadow_ban", None, " ", 400, "Give a reason"),
        ("reader", "suspend", None, "Heat", 400, "needs an end in the future"),
        ("reader", "suspend", -1, "Heat", 400, "needs an end in the future"),
        ("missing", "ban", None, "Abuse", 404, "That reader does not exist"),
        ("self", "ban", None, "Abuse", 403, "cannot sanction yourself"),
        ("staff", "ban", None, "Abuse", 403, "Staff are not sanctioned here"),
    ],
)
def test_reader_sanction_refuses_bad_input(
    reader, moderator, role_user, target, sanction, until, reason, status, message
):
    reader_id = {
        "reader": reader.pk,
        "missing": reader.pk + 1000,
        "self": moderator.pk,
        "staff": role_user("moderator").pk,
    }[target]
    if until is not None:
        until = timezone.now() + dt.timedelta(hours=until)
    before = snapshot()
    with pytest.raises(ModerationError, match=message) as refused:
        ReaderSanctionAction(
            reader_id, sanction=sanction, until=until, reason=reason, user=moderator
        ).execute()
    assert refused.value.status == status
    assert snapshot() == before


def test_a_failed_sanction_leaves_neither_the_change_nor_its_entry(reader, moderator, no_commit):
    before = snapshot()
    no_commit(
        failing(ReaderSanctionAction)(reader.pk, sanction="ban", reason="Abuse", user=moderator)
    )
    assert snapshot() == before
    assert not ReaderStanding.objects.exists()


# --- discussion_close --------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_discussion_close_refuses_people_who_are_not_editors(article, role_user, role):
    before = snapshot(article)
    with pytest.raises(DiscussionClosePermissionError):
        DiscussionCloseAction(article.pk, closed=True, user=person(role_user, role)).execute()
    assert snapshot(article) == before


def test_discussion_close_refuses_an_article_that_does_not_exist_and_ignores_no_change(
    article, role_user
):
    editor = role_user("editor")
    before = snapshot(article)
    with pytest.raises(ModerationError, match="That article does not exist") as refused:
        DiscussionCloseAction(article.pk + 1000, closed=True, user=editor).execute()
    assert refused.value.status == 404
    # Opening an open discussion changes nothing, and logs nothing.
    assert DiscussionCloseAction(article.pk, closed=False, user=editor).execute() == article
    assert snapshot(article) == before


def test_a_failed_close_leaves_neither_the_change_nor_its_entry(article, role_user, no_commit):
    before = snapshot(article)
    no_commit(failing(DiscussionCloseAction)(article.pk, closed=True, user=role_user("editor")))
    assert snapshot(article) == before


# --- spam_purge --------------------------------------------------------------------------


@pytest.fixture
def old_spam(post, reader, moderator, policy):
    policy.purge_spam_after_days = 30
    policy.save()
    spam = held(post, reader, "Buy cheap watches")
    CommentDecideAction([spam.pk], decision="spam", user=moderator).execute()
    long_ago = timezone.now() - dt.timedelta(days=31)
    Comment.objects.filter(pk=spam.pk).update(moderated_at=long_ago)
    return spam


def test_spam_purge_is_the_sites_and_logs_only_what_it_deleted(old_spam):
    assert SpamPurgeAction(now=timezone.now() - dt.timedelta(days=2)).execute() == 0
    assert not AuditEntry.objects.filter(action="purge").exists()
    assert SpamPurgeAction().execute() == 1
    entry = AuditEntry.objects.get(action="purge")
    assert entry.actor is None and entry.after == {"deleted": 1}


def test_a_failed_purge_leaves_neither_the_deletion_nor_its_entry(old_spam, no_commit):
    before = snapshot()
    no_commit(failing(SpamPurgeAction)())
    assert snapshot() == before
    assert Comment.objects.filter(pk=old_spam.pk).exists()


# --- The policy and banned terms (Wagtail's actions, with moderation's audit entry) ------


@pytest.mark.parametrize("role", NOT_ADMINISTRATORS)
def test_policy_and_term_actions_refuse_people_who_are_not_administrators(role_user, role):
    term = BannedTermCreateAction(BannedTerm(phrase="dimwit")).execute()
    policy = ModerationPolicy.load()
    before = snapshot()
    user = person(role_user, role)
    policy.report_threshold = 9
    term.action = BannedTerm.Action.REJECT
    for action in (
        BannedTermCreateAction(BannedTerm(phrase="nitwit"), user=user),
        BannedTermEditAction(term, user=user),
        BannedTermDeleteAction(term, user=user),
        PolicyEditAction(policy, user=user),
    ):
        with pytest.raises(PermissionDenied):
            action.execute()
    assert snapshot() == before


def test_policy_and_term_actions_refuse_bad_input(db):
    BannedTermCreateAction(BannedTerm(phrase="dimwit")).execute()
    before = snapshot()
    with pytest.raises(ValidationError, match="letters or digits"):
        BannedTermCreateAction(BannedTerm(phrase="...")).execute()
    with pytest.raises(ValidationError, match="already banned"):
        BannedTermCreateAction(BannedTerm(phrase="DIM wit")).execute()
    policy = ModerationPolicy.load()
    policy.hold_score, policy.reject_score = 0.95, 0.9
    with pytest.raises(ValidationError, match="at or below the score that rejects"):
        PolicyEditAction(policy).execute()
    assert snapshot() == before


def test_policy_and_term_actions_log_what_changed(role_user):
    administrator = role_user("administrator")
    term = BannedTermCreateAction(BannedTerm(phrase="dimwit"), user=administrator).execute()
    term.action = BannedTerm.Action.REJECT
    BannedTermEditAction(term, user=administrator).execute()
    BannedTermEditAction(term, user=administrator).execute()  # no change: no entry
    BannedTermDeleteAction(term, user=administrator).execute()
    policy = ModerationPolicy.load()
    policy.report_threshold = 9
    PolicyEditAction(policy, user=administrator).execute()
    entries = AuditEntry.objects.order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        ("term_create", administrator),
        ("term_edit", administrator),
        ("term_delete", administrator),
        ("policy_edit", administrator),
    ]
    assert entries[1].before == {"phrase": "dimwit", "action": "hold"}
    assert entries[1].after == {"phrase": "dimwit", "action": "reject"}
    assert entries[3].before == {"report_threshold": 3}
    assert entries[3].after == {"report_threshold": 9}
    assert "Reports that hide a comment" in entries[3].summary


@pytest.mark.parametrize("which", ["create", "edit", "delete", "policy"])
def test_a_failed_policy_or_term_change_leaves_neither_the_change_nor_its_entry(which, no_commit):
    term = BannedTermCreateAction(BannedTerm(phrase="dimwit")).execute()
    before = snapshot()
    if which == "create":
        action = failing(BannedTermCreateAction)(BannedTerm(phrase="nitwit"))
    elif which == "edit":
        term.phrase = "half-wit"
        action = failing(BannedTermEditAction)(term)
    elif which == "delete":
        action = failing(BannedTermDeleteAction)(term)
    else:
        policy = ModerationPolicy.load()
        policy.max_links = 9
        action = failing(PolicyEditAction)(policy)
    no_commit(action)
    assert snapshot() == before


def test_the_admin_saves_terms_and_the_policy_through_the_actions(client, role_user):
    administrator = role_user("administrator")
    client.force_login(administrator)
    add = reverse("wagtailsnippets_moderation_bannedterm:add")
    for phrase in ("dimwit", "nitwit", "half-wit"):
        assert client.post(add, {"phrase": phrase, "action": "hold"}).status_code == 302
    dimwit, nitwit, halfwit = BannedTerm.objects.order_by("pk")
    edit = reverse("wagtailsnippets_moderation_bannedterm:edit", args=[dimwit.pk])
    assert client.post(edit, {"phrase": "dimwit", "action": "reject"}).status_code == 302
    delete = reverse("wagtailsnippets_moderation_bannedterm:delete", args=[dimwit.pk])
    assert client.post(delete).status_code == 302
    bulk = reverse("wagtail_bulk_action", args=["moderation", "bannedterm", "delete"])
    assert client.post(f"{bulk}?id={nitwit.pk}&id={halfwit.pk}").status_code == 302
    assert not BannedTerm.objects.exists()
    policy = ModerationPolicy.load()
    url = reverse("wagtailsettings:edit", args=["moderation", "moderationpolicy", policy.pk])
    data = {
        "premoderate_first": policy.premoderate_first,
        "max_links": 5,
        "report_threshold": policy.report_threshold,
        "hold_score": policy.hold_score,
        "reject_score": policy.reject_score,
        "velocity_limit": policy.velocity_limit,
        "purge_spam_after_days": policy.purge_spam_after_days,
    }
    assert client.post(url, data).status_code == 302
    entries = AuditEntry.objects.order_by("pk")
    assert [e.action for e in entries] == [
        *["term_create"] * 3,
        "term_edit",
        *["term_delete"] * 3,
        "policy_edit",
    ]
    assert {e.actor for e in entries} == {administrator}
    assert entries.last().after == {"max_links": 5}
    # The audit log lists them.
    html = client.get(reverse("moderation_admin:audit")).content.decode()
    assert "<strong>Unbanned a term</strong>" in html
    assert "<strong>Changed the policy</strong>" in html
