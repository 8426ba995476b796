"""A moderator suspends a reader until a date, bans them, shadow bans them, or reinstates
them; always with a reason, never another member of staff (unless an administrator acts)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import services
from ..models import AuditEntry, ReaderStanding
from .base import (
    MODERATE,
    SANCTION,
    ModerationAction,
    ModerationError,
    ModerationPermissionError,
    clean_reason,
)

Action = AuditEntry.Action
SANCTIONS = (Action.SUSPEND, Action.BAN, Action.SHADOW_BAN, Action.REINSTATE)


class ReaderSanctionPermissionError(ModerationPermissionError):
    """Raised when the person may not sanction readers."""


class ReaderSanctionAction(ModerationAction):
    """Change a reader's standing; `execute()` returns it.

    :param sanction: "suspend" (with `until`), "ban", "shadow_ban" or "reinstate"
        (AuditEntry.Action's values, which the audit entry records).
    :param reason: required but for reinstating; kept in the log and on the standing.
    """

    action_name = "reader_sanction"
    permission = SANCTION
    permission_error_class = ReaderSanctionPermissionError
    permission_denied_message = "You do not have permission to sanction readers."

    def __init__(
        self,
        reader_id: int,
        *,
        sanction: str,
        until: dt.datetime | None = None,
        reason: str = "",
        user=None,
    ) -> None:
        super().__init__(user=user)
        self.reader_id = reader_id
        self.sanction = sanction
        self.until = until
        self.reason = clean_reason(reason)

    def validate(self) -> None:
        if self.sanction not in SANCTIONS:
            raise ModerationError("Choose suspend, ban, shadow ban or reinstate.")
        if self.sanction != Action.REINSTATE and not self.reason:
            raise ModerationError("Give a reason; it is kept in the audit log.")
        if self.sanction == Action.SUSPEND and (self.until is None or self.until <= timezone.now()):
            raise ModerationError("A suspension needs an end in the future.")

    def _commit(self) -> ReaderStanding:
        reader = get_user_model().objects.select_for_update().filter(pk=self.reader_id).first()
        if reader is None:
            raise ModerationError("That reader does not exist.", 404)
        acting = self.user
        if acting is not None and reader.pk == acting.pk:
            raise ModerationError("You cannot sanction yourself.", 403)
        by_administrator = bool(acting and acting.is_superuser)
        if reader.is_superuser or (
            reader.has_perm(MODERATE) and not by_administrator and self.sanction != Action.REINSTATE
        ):
            raise ModerationError("Staff are not sanctioned here; ask an administrator.", 403)
        standing, _ = ReaderStanding.objects.get_or_create(user=reader)
        before = standing.snapshot()
        if self.sanction == Action.SUSPEND:
            standing.suspended_until = self.until
        elif self.sanction == Action.BAN:
            standing.banned = True
        elif self.sanction == Action.SHADOW_BAN:
            standing.shadow_banned = True
        else:
            standing.suspended_until = None
            standing.banned = standing.shadow_banned = False
        standing.note = self.reason
        standing.save()
        self.log(
            self.sanction,
            f"Reader {services.actor_name(reader)}",
            reader=reader,
            reason=self.reason,
            before=before,
            after=standing.snapshot(),
        )
        return standing
