"""Signed, stateless links for a shopper: the confirmation page and the deletion link.

The quote form's signed start time is the one every public form uses (paddock.core.forms)."""

from __future__ import annotations

from django.core import signing

from . import policy

CONFIRM_SALT = "paddock.leads.confirm"
DELETE_SALT = "paddock.leads.delete"
CONFIRM_MAX_AGE = 60 * 60 * 24  # the "sent" page is for the moment after sending


def confirm_token(lead_id: int) -> str:
    return signing.dumps(lead_id, salt=CONFIRM_SALT)


def confirm_lead_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def delete_token(lead_id: int) -> str:
    return signing.dumps(lead_id, salt=DELETE_SALT)


def delete_lead_id(token: str) -> int | None:
    # Valid as long as the lead may exist at all; after that there is nothing left to delete.
    max_age = policy.retention_days() * 24 * 60 * 60
    try:
        return int(signing.loads(token, salt=DELETE_SALT, max_age=max_age))
    except (signing.BadSignature, TypeError, ValueError):
        return None
