"""What every moderation action shares: its one error type, the permission check, and the
state of a comment its audit entry records.

An action is a class in the manner of Wagtail's (wagtail/actions/): built with what it acts on
and who acts (`user`), `check()` refuses before anything is written, and `execute()` checks,
then writes in one transaction together with its audit entry, so the log never misses an action
nor records one that did not happen; notices and emails go out once that transaction commits.

Refusals are `ModerationError`, a `paddock.core.errors.Refused`: 403 (a `..PermissionError`
subclass, one per action, as Wagtail has) when the person may not, 400, 404 or 409 for what
they asked. Unlike Wagtail's, an action that needs a permission refuses when nobody (`user`
None) is acting; only the site's own actions (`permission = None`) need no one, and code that
has already checked (or loads history) passes `skip_permission_checks=True`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import transaction

from paddock.comments.models import Comment
from paddock.core.errors import Refused

from .. import services
from ..models import AuditEntry

MODERATE = "moderation.moderate_comments"
SANCTION = "moderation.sanction_readers"
CLOSE = "moderation.close_discussions"
FEATURE = "moderation.feature_comments"
REASON_MAX = 300


class ModerationError(Refused):
    """A moderation action refused, with a message for the person who asked."""


class ModerationPermissionError(ModerationError):
    """The person acting lacks the permission the action needs (403)."""

    def __init__(self, message: str = "You do not have permission to do that.", status: int = 403):
        super().__init__(message, status)


class Audited:
    """What writes an action's audit entry: mixed into moderation's actions, and into the
    Wagtail actions that save the policy and banned terms."""

    user: Any

    def log(self, action: str, summary: str, **fields) -> AuditEntry:
        """The action's audit entry, written inside its transaction."""
        return services.audit_entry_create(
            actor=self.user, action=action, summary=summary, **fields
        )


class ModerationAction(Audited):
    """One moderation action: subclasses name it, say which permission it needs, check their
    input in `validate()` and write in `_commit()`, which runs inside the transaction."""

    action_name: ClassVar[str] = ""
    # None: the site itself acts (reports hiding a comment, the purge); nobody to check.
    permission: ClassVar[str | None] = None
    permission_error_class: ClassVar[type[ModerationPermissionError]] = ModerationPermissionError
    permission_denied_message: ClassVar[str] = "You do not have permission to do that."

    def __init__(self, *, user=None) -> None:
        self.user = user

    def user_has_permission(self) -> bool:
        user = self.user
        return bool(user and user.is_authenticated and user.has_perm(self.permission))

    def check(self, skip_permission_checks: bool = False) -> None:
        """Refuse (ModerationError) before anything is written: the permission, then the
        input. What needs the rows locked is checked again in `_commit()`."""
        if self.permission and not skip_permission_checks and not self.user_has_permission():
            raise self.permission_error_class(self.permission_denied_message)
        self.validate()

    def validate(self) -> None:
        """Refuse input that cannot be acted on, with a message that says how to fix it."""

    def execute(self, skip_permission_checks: bool = False) -> Any:
        self.check(skip_permission_checks=skip_permission_checks)
        with transaction.atomic():
            return self._commit()

    def _commit(self) -> Any:
        raise NotImplementedError

    def log_comment(self, action: str, comment: Comment, *, before: dict, reason: str = ""):
        """Log an action on a comment, with the state it left the comment in."""
        return self.log(
            action,
            f"Comment {comment.pk}: “{excerpt(comment)}”",
            comment=comment,
            reader_id=comment.author_id,
            article_id=comment.article_id,
            reason=reason,
            before=before,
            after=comment_state(comment),
        )


def clean_reason(reason: str | None) -> str:
    """A reason as the log keeps it: one line, at most REASON_MAX characters."""
    return " ".join((reason or "").split())[:REASON_MAX]


def comment_state(comment: Comment) -> dict:
    """What the audit log records of a comment, before and after an action."""
    return {
        "status": comment.status,
        "status_reason": comment.status_reason,
        "body": comment.body,
        "open_reports": comment.open_reports,
        "edited_by_moderator": comment.edited_by_moderator,
    }


def excerpt(comment: Comment, length: int = 60) -> str:
    text = " ".join((comment.body_text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"
