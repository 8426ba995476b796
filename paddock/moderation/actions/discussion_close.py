"""An editor closes an article's discussion, or reopens it. The switch itself is the
newsroom's to write (`newsroom.services.article_comments_closed_set`, which also makes the
article's cached pages stale); the action checks, and logs it."""

from __future__ import annotations

from paddock.newsroom.models import ArticlePage
from paddock.newsroom.services import article_comments_closed_set

from ..models import AuditEntry
from .base import CLOSE, ModerationAction, ModerationError, ModerationPermissionError, clean_reason


class DiscussionClosePermissionError(ModerationPermissionError):
    """Raised when the person may not close discussions."""


class DiscussionCloseAction(ModerationAction):
    """Close (`closed=True`) or reopen comments on an article; `execute()` returns the
    article. Asking for the state it is already in changes and logs nothing."""

    action_name = "discussion_close"
    permission = CLOSE
    permission_error_class = DiscussionClosePermissionError
    permission_denied_message = "You do not have permission to close or reopen discussions."

    def __init__(self, article_id: int, *, closed: bool, reason: str = "", user=None) -> None:
        super().__init__(user=user)
        self.article_id = article_id
        self.closed = bool(closed)
        self.reason = clean_reason(reason)

    def _commit(self) -> ArticlePage:
        article = ArticlePage.objects.select_for_update().filter(pk=self.article_id).first()
        if article is None:
            raise ModerationError("That article does not exist.", 404)
        if article.comments_closed == self.closed:
            return article
        before = {"comments_closed": article.comments_closed}
        article_comments_closed_set(article_id=article.pk, closed=self.closed)
        article.comments_closed = self.closed
        self.log(
            AuditEntry.Action.CLOSE if self.closed else AuditEntry.Action.OPEN,
            f"“{article.title}”",
            article=article,
            reason=self.reason,
            before=before,
            after={"comments_closed": self.closed},
        )
        return article
