"""The site hides a published comment once enough different readers reported it, until a
moderator decides; its author is told. Nobody's permission is checked: the reports decide,
against the policy's threshold."""

from __future__ import annotations

from paddock.comments import services as comments
from paddock.comments.models import Comment

from .. import policy as policies
from .. import services
from ..models import AuditEntry
from .base import ModerationAction, ModerationError, comment_state


class CommentHideAction(ModerationAction):
    """Hide a comment if its open reports reached the threshold; `execute()` returns True when
    this hid it. Run it in the transaction that counted the reports (comments'
    `comment_reported` hook), which holds the comment's row."""

    action_name = "comment_hide"
    permission = None

    def __init__(self, comment_id: int, *, user=None, threshold: int | None = None) -> None:
        super().__init__(user=user)
        self.comment_id = comment_id
        self.threshold = threshold

    def _commit(self) -> bool:
        threshold = self.threshold or policies.current().report_threshold
        comment = Comment.objects.select_for_update().filter(pk=self.comment_id).first()
        if comment is None:
            raise ModerationError("That comment does not exist.", 404)
        if comment.status != Comment.Status.PUBLISHED or comment.open_reports < threshold:
            return False
        before = comment_state(comment)
        comments.comment_moderate(
            comment,
            status=Comment.Status.PENDING,
            reason=(
                f"Hidden after reports from {comment.open_reports} readers, until a moderator "
                "reviews it."
            ),
        )
        self.log(
            AuditEntry.Action.HIDE,
            f"Comment {comment.pk} hidden by {comment.open_reports} reports",
            comment=comment,
            reader_id=comment.author_id,
            article_id=comment.article_id,
            before=before,
            after=comment_state(comment),
        )
        if comment.author_id:
            services.notice_send(comment, comment.status_reason)
        return True
