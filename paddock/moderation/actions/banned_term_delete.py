"""An administrator lifts a ban on a word or phrase, through Wagtail's snippet views (one at
a time or in bulk, both registered in wagtail_hooks.py); moderation's audit entry records it
in the same transaction."""

from __future__ import annotations

from django.db import transaction
from wagtail.actions.delete import DeleteAction, DeletePermissionError

from ..models import AuditEntry
from .banned_term_create import term_state, term_summary
from .base import Audited

__all__ = ["BannedTermDeleteAction", "DeletePermissionError"]


class BannedTermDeleteAction(Audited, DeleteAction):
    """Wagtail's DeleteAction for a banned term, logged in moderation's audit log too."""

    def _delete(self):
        term = self.instance
        summary, before = term_summary(term), term_state(term)
        with transaction.atomic():
            deleted = super()._delete()
            self.log(AuditEntry.Action.TERM_DELETE, summary, before=before)
        return deleted
