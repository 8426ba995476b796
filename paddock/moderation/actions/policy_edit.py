"""An administrator changes the moderation policy (Settings → Moderation policy). Wagtail's
settings view saves it through this action (registered in wagtail_hooks.py), which also writes
moderation's audit entry of what changed, in the same transaction as the change."""

from __future__ import annotations

from django.db import transaction
from wagtail.actions.edit import EditAction, EditPermissionError

from ..models import AuditEntry, ModerationPolicy
from .base import Audited

__all__ = ["EditPermissionError", "PolicyEditAction", "policy_state"]


def policy_state(policy: ModerationPolicy | None) -> dict:
    if policy is None:
        return {}
    return {
        field.name: field.value_from_object(policy)
        for field in ModerationPolicy._meta.concrete_fields
        if not field.primary_key
    }


class PolicyEditAction(Audited, EditAction):
    """Wagtail's EditAction for the policy, logged in moderation's audit log too. Being
    Wagtail's, it refuses with EditPermissionError (a PermissionDenied), as Wagtail's views
    expect, and validates through the policy's form or `full_clean()`."""

    def _edit(self, skip_permission_checks=False):
        with transaction.atomic():
            stored = ModerationPolicy.objects.filter(pk=self.instance.pk).first()
            before = policy_state(stored)
            policy = super()._edit(skip_permission_checks=skip_permission_checks)
            after = policy_state(policy)
            changed = [name for name in after if before.get(name) != after[name]]
            if changed:
                labels = [
                    str(ModerationPolicy._meta.get_field(name).verbose_name) for name in changed
                ]
                self.log(
                    AuditEntry.Action.POLICY_EDIT,
                    "Moderation policy: " + "; ".join(labels),
                    before={name: before.get(name) for name in changed},
                    after={name: after[name] for name in changed},
                )
        return policy
