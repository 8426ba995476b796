"""A moderator rewrites a comment (a slur taken out, a link removed); readers then see it marked
"edited by a moderator", and the audit entry keeps the old text."""

from __future__ import annotations

from paddock.comments import services as comments
from paddock.comments.models import Comment

from ..models import AuditEntry
from .base import (
    MODERATE,
    ModerationAction,
    ModerationError,
    ModerationPermissionError,
    clean_reason,
    comment_state,
)


class CommentEditPermissionError(ModerationPermissionError):
    """Raised when the person may not moderate comments."""


class CommentEditAction(ModerationAction):
    """Give a comment new text; `execute()` returns the comment.

    :param body: the new text, which must be one a reader could post.
    :param reason: why, kept in the audit log.
    """

    action_name = "comment_edit"
    permission = MODERATE
    permission_error_class = CommentEditPermissionError
    permission_denied_message = "You do not have permission to edit comments."

    def __init__(self, comment_id: int, *, body: str, reason: str = "", user=None) -> None:
        super().__init__(user=user)
        self.comment_id = comment_id
        self.body = body
        self.reason = clean_reason(reason)

    def validate(self) -> None:
        try:
            comments.validated_body(self.body)
        except comments.CommentError as exc:
            raise ModerationError(exc.message) from exc

    def _commit(self) -> Comment:
        comment = Comment.objects.select_for_update().filter(pk=self.comment_id).first()
        if comment is None or comment.is_deleted:
            raise ModerationError("That comment does not exist.", 404)
        before = comment_state(comment)
        comments.comment_rewrite(comment, body=self.body)
        self.log_comment(AuditEntry.Action.EDIT, comment, before=before, reason=self.reason)
        return comment
