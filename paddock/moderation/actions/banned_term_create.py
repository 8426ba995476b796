"""An administrator bans a word or phrase (Banned terms in the admin). Wagtail's snippet views
save it through this action (registered in wagtail_hooks.py), which also writes moderation's
audit entry in the same transaction."""

from __future__ import annotations

from django.db import transaction
from wagtail.actions.create import CreateAction, CreatePermissionError

from ..models import AuditEntry, BannedTerm
from .base import Audited

__all__ = ["BannedTermCreateAction", "CreatePermissionError", "term_state", "term_summary"]


def term_state(term: BannedTerm) -> dict:
    return {"phrase": term.phrase, "action": term.action}


def term_summary(term: BannedTerm) -> str:
    return f"Banned term “{term.phrase}” ({term.get_action_display().lower()})"


class BannedTermCreateAction(Audited, CreateAction):
    """Wagtail's CreateAction for a banned term, logged in moderation's audit log too. Being
    Wagtail's, it refuses with CreatePermissionError (a PermissionDenied), and validates
    through the snippet's form or `full_clean()` (a phrase already banned is a ValidationError)."""

    def _create(self, skip_permission_checks=False):
        with transaction.atomic():
            term = super()._create(skip_permission_checks=skip_permission_checks)
            self.log(AuditEntry.Action.TERM_CREATE, term_summary(term), after=term_state(term))
        return term
