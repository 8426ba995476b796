"""What moderation writes besides moderators' actions (those are in actions/): screening new
comments and telling their authors, the notices readers are sent, the audit log's entries (each
action writes its own through `audit_entry_create`, in its transaction), and the queue's hourly
sizes. The bulk functions load history with its own dates (the demo): nothing is sent then.
"""

from __future__ import annotations

from django.utils import timezone

from paddock.comments import hooks
from paddock.comments.models import Comment
from paddock.core.db import after_commit, bulk_create_dated

from . import policy as policies
from . import signals
from .models import AuditEntry, Notice, QueueSnapshot, ReaderStanding
from .scoring import Candidate, Verdict, judge
from .selectors import queue_counts
from .tasks import email_author

Status = Comment.Status

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
    notice_send(comment, status_message(comment))


def status_message(comment: Comment) -> str:
    """What a comment's author is told of its status."""
    if comment.status == Status.PENDING:
        return comment.status_reason or "Your comment is waiting for a moderator."
    if comment.status == Status.REJECTED:
        return "Your comment was not published. " + (comment.status_reason or "")
    if comment.status == Status.SPAM:
        return "Your comment was filed as spam. " + (comment.status_reason or "")
    return "Your comment is now published."


# --- Notices -----------------------------------------------------------------------------


def notice_send(comment: Comment, message: str) -> Notice:
    """Tell a comment's author something on the site (the notifications page, through
    `signals.notice_sent`), and by email once the caller's transaction commits."""

    notice = Notice.objects.create(user_id=comment.author_id, comment=comment, message=message)
    signals.notice_sent.send(sender=Notice, notice=notice)
    # Guarded: the comment (or decision) that caused the notice is committed; queueing its
    # email must never turn that into an error (nor a resent form into a second comment).
    after_commit(lambda: email_author.enqueue(notice.pk), what=f"notice email {notice.pk}")
    return notice


def notices_bulk_create(*, notices: list[Notice]) -> list[Notice]:
    """Store notices from the past with their own `created_at` (and `read_at`); nobody is
    emailed."""
    return bulk_create_dated(Notice, notices)


# --- The audit log -----------------------------------------------------------------------


def actor_name(user) -> str:
    """How the log names who acted: their display name, or "Paddock" for the site itself."""
    if user is None:
        return "Paddock"
    profile = getattr(user, "profile", None)
    return (getattr(profile, "display_name", "") or user.get_username())[:150]


def audit_entry_create(*, actor, action: str, summary: str, **fields) -> AuditEntry:
    """Log one action (`actor` None: the site did it). Call it inside the action's own
    transaction, so the log never misses an action nor records one that did not happen."""
    return AuditEntry.objects.create(
        actor=actor, actor_name=actor_name(actor), action=action, summary=summary[:300], **fields
    )


def audit_entries_bulk_create(*, entries: list[AuditEntry]) -> list[AuditEntry]:
    """Store actions from the past, each with its own `created_at` and actor."""
    for entry in entries:
        entry.actor_name = entry.actor_name or actor_name(entry.actor)
        entry.summary = entry.summary[:300]
    return AuditEntry.objects.bulk_create(entries)


# --- The queue's size --------------------------------------------------------------------


def queue_snapshot_take() -> QueueSnapshot:
    """Record how many comments wait for a moderator now (the dashboard charts it)."""

    counts = queue_counts()
    return QueueSnapshot.objects.create(held=counts["held"], reported=counts["reported"])


def queue_snapshots_bulk_create(*, snapshots: list[QueueSnapshot]) -> list[QueueSnapshot]:
    """Store the queue's sizes at moments in the past."""
    return QueueSnapshot.objects.bulk_create(snapshots)
