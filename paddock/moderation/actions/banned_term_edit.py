"""An administrator changes a banned term, through Wagtail's snippet view (registered in
wagtail_hooks.py); moderation's audit entry records it in the same transaction."""

from __future__ import annotations

from django.db import transaction
from wagtail.actions.edit import EditAction, EditPermissionError

from ..models import AuditEntry, BannedTerm
from .banned_term_create import term_state, term_summary
from .base import Audited

__all__ = ["BannedTermEditAction", "EditPermissionError"]


class BannedTermEditAction(Audited, EditAction):
    """Wagtail's EditAction for a banned term, logged in moderation's audit log too (when the
    phrase or what it does changed)."""

    def _edit(self, skip_permission_checks=False):
        with transaction.atomic():
            stored = BannedTerm.objects.filter(pk=self.instance.pk).first()
            before = term_state(stored) if stored else {}
            term = super()._edit(skip_permission_checks=skip_permission_checks)
            if before != term_state(term):
                self.log(
                    AuditEntry.Action.TERM_EDIT,
                    term_summary(term),
                    before=before,
                    after=term_state(term),
                )
        return term
