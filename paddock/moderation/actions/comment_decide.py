"""A moderator approves, rejects, marks as spam, or dismisses the reports of one or many
comments: all or nothing, each comment with its audit entry, its author told of a new status,
and Akismet taught when a comment turned out spam or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.core.db import after_commit

from .. import services
from ..models import AuditEntry
from ..tasks import teach_akismet
from .base import (
    MODERATE,
    ModerationAction,
    ModerationError,
    ModerationPermissionError,
    clean_reason,
    comment_state,
)

Status = Comment.Status
Action = AuditEntry.Action

# What each decision does to a comment (None: reports dismissed, the comment stays as it is).
DECISIONS = {
    Action.APPROVE: Status.PUBLISHED,
    Action.REJECT: Status.REJECTED,
    Action.SPAM: Status.SPAM,
    Action.DISMISS: None,
}


class CommentDecidePermissionError(ModerationPermissionError):
    """Raised when the person may not moderate comments."""


class CommentDecideAction(ModerationAction):
    """Decide on comments; `execute()` returns how many changed.

    :param comment_ids: the comments, one or many: a bulk decision is all or nothing.
    :param decision: "approve", "reject", "spam" or "dismiss" (AuditEntry.Action's values,
        which the audit entries record).
    :param reason: kept in the log; a rejection's reason is shown to its author.
    """

    action_name = "comment_decide"
    permission = MODERATE
    permission_error_class = CommentDecidePermissionError
    permission_denied_message = "You do not have permission to moderate comments."

    def __init__(
        self,
        comment_ids: Iterable[int | str],
        *,
        decision: str,
        reason: str = "",
        user=None,
        at: dt.datetime | None = None,
    ) -> None:
        super().__init__(user=user)
        self.raw_ids = list(comment_ids)
        self.comment_ids: list[int] = []
        self.decision = decision
        self.reason = clean_reason(reason)
        self.at = at

    def validate(self) -> None:
        if self.decision not in DECISIONS:
            raise ModerationError("Choose approve, reject, spam or dismiss.")
        if self.decision == Action.REJECT and not self.reason:
            raise ModerationError("Give the author a reason for the rejection.")
        try:
            self.comment_ids = sorted({int(pk) for pk in self.raw_ids})
        except (TypeError, ValueError) as exc:
            raise ModerationError("Select comments by number.") from exc
        if not self.comment_ids:
            raise ModerationError("Select at least one comment.")

    def _commit(self) -> int:
        found = list(
            Comment.objects.select_for_update()
            .filter(pk__in=self.comment_ids, is_deleted=False)
            .order_by("pk")
        )
        if len(found) != len(self.comment_ids):
            raise ModerationError("Some of those comments no longer exist; reload the queue.", 409)
        at = self.at or timezone.now()
        return sum(self._decide(comment, at) for comment in found)

    def _decide(self, comment: Comment, at: dt.datetime) -> bool:
        target = DECISIONS[self.decision]
        before = comment_state(comment)
        previous_status = comment.status
        told = comment.status_reason
        if target is not None:
            told = "" if target == Status.PUBLISHED else self.reason
            if target == Status.SPAM and not self.reason:
                told = "It looks like spam."
        comments.comment_moderate(
            comment, status=target, reason=told, moderator=self.user, at=at, resolve_reports=True
        )
        if before == comment_state(comment) and self.decision != Action.APPROVE:
            return False
        self.log_comment(self.decision, comment, before=before, reason=self.reason)
        if comment.author_id and comment.status != previous_status:
            services.notice_send(comment, services.status_message(comment))
        if target in (Status.SPAM, Status.PUBLISHED) and previous_status != target:
            spam = target == Status.SPAM
            after_commit(
                lambda: teach_akismet.enqueue(comment.pk, spam),
                what=f"Akismet feedback on comment {comment.pk}",
            )
        return True
