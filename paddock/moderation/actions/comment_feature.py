"""An editor or moderator features a comment: it shows above the article's discussion and in
its "Featured" tab, and its author is told (signals.comment_featured). Unfeaturing takes it
back down, quietly."""

from __future__ import annotations

from paddock.comments import services as comments
from paddock.comments.models import Comment

from .. import signals
from ..models import AuditEntry
from .base import (
    FEATURE,
    ModerationAction,
    ModerationError,
    ModerationPermissionError,
    excerpt,
)


class CommentFeaturePermissionError(ModerationPermissionError):
    """Raised when the person may not feature comments."""


class CommentFeatureAction(ModerationAction):
    """Feature (`featured=True`) or unfeature a comment; `execute()` returns the comment.
    Asking for the state it is already in changes, logs and tells nothing."""

    action_name = "comment_feature"
    permission = FEATURE
    permission_error_class = CommentFeaturePermissionError
    permission_denied_message = "You do not have permission to feature comments."

    def __init__(self, comment_id: int, *, featured: bool, user=None) -> None:
        super().__init__(user=user)
        self.comment_id = comment_id
        self.featured = bool(featured)

    def _commit(self) -> Comment:
        comment = Comment.objects.select_for_update().filter(pk=self.comment_id).first()
        if comment is None:
            raise ModerationError("That comment does not exist.", 404)
        if self.featured and not comment.is_visible:
            raise ModerationError("Only a published comment can be featured.", 409)
        if (comment.featured_at is not None) == self.featured:
            return comment
        before = {"featured": not self.featured}
        comments.comment_feature_set(comment, featured=self.featured, by=self.user)
        self.log(
            AuditEntry.Action.FEATURE if self.featured else AuditEntry.Action.UNFEATURE,
            f"Comment {comment.pk}: “{excerpt(comment)}”",
            comment=comment,
            reader_id=comment.author_id,
            article_id=comment.article_id,
            before=before,
            after={"featured": self.featured},
        )
        if self.featured and comment.author_id:
            # The author is told on their notifications page (and by email as they chose).
            signals.comment_featured.send(sender=Comment, comment=comment, by=self.user)
        return comment
