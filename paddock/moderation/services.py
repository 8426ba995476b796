"""Every moderation write: screening new comments, moderators' decisions and edits, reports
that hide a comment, readers' sanctions, closing discussions, and the purge of old spam.

Each decision runs in one transaction with its audit entry, so the log never misses an action
nor records one that did not happen. Nothing here deletes a comment, except `purge_spam`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from paddock.comments import hooks
from paddock.comments import services as comments
from paddock.comments.models import Comment, Report
from paddock.core import pagecache
from paddock.core.errors import Refused

from . import policy as policies
from .models import AuditEntry, Notice, ReaderStanding
from .scoring import Candidate, Verdict, judge

Status = Comment.Status
Action = AuditEntry.Action

MODERATE = "moderation.moderate_comments"
SANCTION = "moderation.sanction_readers"
CLOSE = "moderation.close_discussions"
REASON_MAX = 300

# What each decision does to a comment, and what its author is told.
DECISIONS = {
    Action.APPROVE: Status.PUBLISHED,
    Action.REJECT: Status.REJECTED,
    Action.SPAM: Status.SPAM,
    Action.DISMISS: None,  # reports dismissed: the comment stays as it is
}


class ModerationError(Refused):
    """A moderation action refused, with a message for the moderator."""


def _require(user, permission: str) -> None:
    if not (user and user.is_authenticated and user.has_perm(permission)):
        raise PermissionDenied("You do not have permission to do that.")


def _actor_name(user) -> str:
    if user is None:
        return "Paddock"
    profile = getattr(user, "profile", None)
    return (getattr(profile, "display_name", "") or user.get_username())[:150]


def audit(actor, action: str, summary: str, **fields) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor, actor_name=_actor_name(actor), action=action, summary=summary[:300], **fields
    )


def audit_comment(actor, action: str, comment: Comment, *, before: dict, reason: str = ""):
    """Log an action on a comment, with the state it left the comment in."""
    return audit(
        actor,
        action,
        f"Comment {comment.pk}: “{_excerpt(comment)}”",
        comment=comment,
        reader_id=comment.author_id,
        article_id=comment.article_id,
        reason=reason,
        before=before,
        after=comment_state(comment),
    )


def comment_state(comment: Comment) -> dict:
    return {
        "status": comment.status,
        "status_reason": comment.status_reason,
        "body": comment.body,
        "open_reports": comment.open_reports,
        "edited_by_moderator": comment.edited_by_moderator,
    }


def _excerpt(comment: Comment, length: int = 60) -> str:
    text = " ".join((comment.body_text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Screening new comments --------------------------------------------------------------


def standing_of(user) -> ReaderStanding | None:
    if not user.is_authenticated:
        return None
    return ReaderStanding.objects.filter(user=user).first()


def posting_refusal(standing: ReaderStanding | None) -> str | None:
    """Why this reader may not post now, or None when they may."""
    if standing is None:
        return None
    if standing.banned:
        return "Your account has been banned from the discussion."
    if standing.is_suspended:
        until = timezone.localtime(standing.suspended_until)
        return f"Your account is suspended from the discussion until {until:%B %-d, %Y, %H:%M}."
    return None


def screen(candidate: Candidate, standing: ReaderStanding | None) -> tuple[Verdict, bool]:
    """Judge a comment about to be posted (by a reader of this standing); the verdict, and
    whether it is shadowed."""
    verdict = judge(candidate, policies.current())
    return verdict, bool(standing and standing.shadow_banned)


class ModerationScreen:
    """The discussion's screen (paddock/comments/hooks.py), registered by ModerationConfig:
    sanctioned readers are refused, and each comment is judged by the policy's scorers."""

    def refusal(self, user) -> str | None:
        return posting_refusal(standing_of(user))

    def judge(self, submission: hooks.Submission) -> hooks.Judgement:
        standing = standing_of(submission.user)
        refusal = posting_refusal(standing)
        if refusal:
            return hooks.Judgement(status=Status.REJECTED, refusal=refusal)
        candidate = Candidate(**{name: getattr(submission, name) for name in CANDIDATE_FIELDS})
        verdict, shadowed = screen(candidate, standing)
        return hooks.Judgement(
            status=verdict.status,
            score=verdict.score,
            flags=verdict.flags,
            reason=verdict.reason,
            shadowed=shadowed,
        )


CANDIDATE_FIELDS = (
    "user",
    "text",
    "html",
    "article_id",
    "ip_address",
    "permalink",
    "user_agent",
    "referrer",
)


def after_post(comment: Comment) -> None:
    """Tell the author at once when their new comment was held or rejected (inside the
    posting transaction: the notice and the comment land together). The receiver of
    comments' `comment_posted`."""
    if comment.status == Status.PUBLISHED or comment.author_id is None:
        return
    message = _status_message(comment)
    _notify(comment, message)


def _status_message(comment: Comment) -> str:
    if comment.status == Status.PENDING:
        return comment.status_reason or "Your comment is waiting for a moderator."
    if comment.status == Status.REJECTED:
        return "Your comment was not published. " + (comment.status_reason or "")
    if comment.status == Status.SPAM:
        return "Your comment was filed as spam. " + (comment.status_reason or "")
    return "Your comment is now published."


def _notify(comment: Comment, message: str) -> None:
    from .tasks import email_author

    notice = Notice.objects.create(user_id=comment.author_id, comment=comment, message=message)
    transaction.on_commit(lambda: email_author.enqueue(notice.pk))


# --- Reports -----------------------------------------------------------------------------


def after_report(report: Report) -> bool:
    """After a new report was counted: once enough distinct readers reported a published
    comment it is hidden until a moderator decides. True when this report hid it. The
    receiver of comments' `comment_reported`."""
    threshold = policies.current().report_threshold
    with transaction.atomic():
        # comments' report_create counted the reports and holds the comment's row.
        comment = Comment.objects.select_for_update().get(pk=report.comment_id)
        hidden = comment.status == Status.PUBLISHED and comment.open_reports >= threshold
        if hidden:
            before = comment_state(comment)
            comments.comment_moderate(
                comment,
                status=Status.PENDING,
                reason=(
                    f"Hidden after reports from {comment.open_reports} readers, until a "
                    "moderator reviews it."
                ),
            )
            audit(
                None,
                Action.HIDE,
                f"Comment {comment.pk} hidden by {comment.open_reports} reports",
                comment=comment,
                reader_id=comment.author_id,
                article_id=comment.article_id,
                before=before,
                after=comment_state(comment),
            )
            if comment.author_id:
                _notify(comment, comment.status_reason)
    return hidden


# --- Moderators' decisions ---------------------------------------------------------------


def decide(*, moderator, comment_ids: Iterable[int], action: str, reason: str = "") -> int:
    """Approve, reject, mark as spam, or dismiss the reports of comments; how many changed.

    One transaction per call: a bulk decision is all or nothing.
    """
    _require(moderator, MODERATE)
    if action not in DECISIONS:
        raise ModerationError("Choose approve, reject, spam or dismiss.")
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if action == Action.REJECT and not reason:
        raise ModerationError("Give the author a reason for the rejection.")
    ids = sorted({int(pk) for pk in comment_ids})
    if not ids:
        raise ModerationError("Select at least one comment.")
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        comments = list(
            Comment.objects.select_for_update().filter(pk__in=ids, is_deleted=False).order_by("pk")
        )
        if len(comments) != len(ids):
            raise ModerationError("Some of those comments no longer exist; reload the queue.", 409)
        for comment in comments:
            if _apply(comment, action, reason, moderator, now):
                changed += 1
    return changed


def _apply(comment: Comment, action: str, reason: str, moderator, now) -> bool:
    target = DECISIONS[action]
    before = comment_state(comment)
    previous_status = comment.status
    told = comment.status_reason
    if target is not None:
        told = "" if target == Status.PUBLISHED else reason
        if target == Status.SPAM and not reason:
            told = "It looks like spam."
    comments.comment_moderate(
        comment, status=target, reason=told, moderator=moderator, at=now, resolve_reports=True
    )
    if before == comment_state(comment) and action != Action.APPROVE:
        return False
    audit_comment(moderator, action, comment, before=before, reason=reason)
    if comment.author_id and comment.status != previous_status:
        _notify(comment, _status_message(comment))
    if target in (Status.SPAM, Status.PUBLISHED) and previous_status != target:
        from .tasks import teach_akismet

        spam = target == Status.SPAM
        transaction.on_commit(lambda: teach_akismet.enqueue(comment.pk, spam))
    return True


def moderator_edit(*, moderator, comment_id: int, body: str, reason: str = "") -> Comment:
    """Change a comment's text; readers see it as "edited by a moderator"."""
    _require(moderator, MODERATE)
    try:
        comments.validated_body(body)
    except comments.CommentError as exc:
        raise ModerationError(exc.message) from exc
    reason = " ".join((reason or "").split())[:REASON_MAX]
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None or comment.is_deleted:
            raise ModerationError("That comment does not exist.", 404)
        before = comment_state(comment)
        comments.comment_rewrite(comment, body=body)
        audit_comment(moderator, Action.EDIT, comment, before=before, reason=reason)
    return comment


# --- Readers -----------------------------------------------------------------------------

SANCTIONS = (Action.SUSPEND, Action.BAN, Action.SHADOW_BAN, Action.REINSTATE)


def sanction(
    *, moderator, reader_id: int, action: str, until: dt.datetime | None = None, reason: str = ""
) -> ReaderStanding:
    """Suspend until a date, ban, shadow ban, or reinstate a reader."""
    _require(moderator, SANCTION)
    if action not in SANCTIONS:
        raise ModerationError("Choose suspend, ban, shadow ban or reinstate.")
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if action != Action.REINSTATE and not reason:
        raise ModerationError("Give a reason; it is kept in the audit log.")
    if action == Action.SUSPEND and (until is None or until <= timezone.now()):
        raise ModerationError("A suspension needs an end in the future.")
    with transaction.atomic():
        reader = get_user_model().objects.select_for_update().filter(pk=reader_id).first()
        if reader is None:
            raise ModerationError("That reader does not exist.", 404)
        if reader.pk == moderator.pk:
            raise ModerationError("You cannot sanction yourself.", 403)
        if reader.is_superuser or (
            reader.has_perm(MODERATE) and not moderator.is_superuser and action != Action.REINSTATE
        ):
            raise ModerationError("Staff are not sanctioned here; ask an administrator.", 403)
        standing, _ = ReaderStanding.objects.get_or_create(user=reader)
        before = standing.snapshot()
        if action == Action.SUSPEND:
            standing.suspended_until = until
        elif action == Action.BAN:
            standing.banned = True
        elif action == Action.SHADOW_BAN:
            standing.shadow_banned = True
        else:
            standing.suspended_until = None
            standing.banned = standing.shadow_banned = False
        standing.note = reason
        standing.save()
        audit(
            moderator,
            action,
            f"Reader {_actor_name(reader)}",
            reader=reader,
            reason=reason,
            before=before,
            after=standing.snapshot(),
        )
    return standing


# --- Articles ----------------------------------------------------------------------------


def set_comments_closed(*, user, article_id: int, closed: bool, reason: str = ""):
    """Close or reopen an article's discussion (editors, not moderators)."""
    from paddock.newsroom.models import ArticlePage

    _require(user, CLOSE)
    with transaction.atomic():
        article = ArticlePage.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            raise ModerationError("That article does not exist.", 404)
        if article.comments_closed == closed:
            return article
        before = {"comments_closed": article.comments_closed}
        # An update, not a save(): the live page changes without a new revision, as the
        # switch is about the discussion, not the article's text.
        ArticlePage.objects.filter(pk=article.pk).update(comments_closed=closed)
        article.comments_closed = closed
        # "site": the article kept for routing (newsroom.memos.article_at) holds the switch.
        pagecache.invalidate(f"article:{article.pk}", "site")
        audit(
            user,
            Action.CLOSE if closed else Action.OPEN,
            f"“{article.title}”"[:300],
            article=article,
            reason=" ".join((reason or "").split())[:REASON_MAX],
            before=before,
            after={"comments_closed": closed},
        )
    return article


# --- Housekeeping ------------------------------------------------------------------------


def purge_spam(now: dt.datetime | None = None) -> int:
    """Delete spam older than the policy allows; the only irreversible deletion there is.
    Replies to a purged comment go with it (spam rarely has any worth keeping)."""
    now = now or timezone.now()
    days = policies.current().purge_spam_after_days
    cutoff = now - dt.timedelta(days=days)
    old_spam = Comment.objects.filter(status=Status.SPAM).filter(
        Q(moderated_at__lt=cutoff) | Q(moderated_at__isnull=True, created_at__lt=cutoff)
    )
    with transaction.atomic():
        ids = list(old_spam.values_list("pk", flat=True)[:5000])
        if not ids:
            return 0
        comments.comments_purge(ids)
        audit(
            None,
            Action.PURGE,
            f"{len(ids)} spam comment{'s' if len(ids) != 1 else ''} older than {days} days",
            after={"deleted": len(ids)},
        )
    return len(ids)
