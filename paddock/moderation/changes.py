"""How an audit entry's recorded state reads to a person: the fields that changed, each as a
label and its value before and after, in words ("Status: Held for review → Rejected"). The
entry keeps the raw state (JSON) for the CSV export; this is only how the log page shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import Truncator

from paddock.comments.models import Comment

from .models import BannedTerm

LABELS = {
    "status": "Status",
    "status_reason": "Reason shown to the author",
    "body": "Text",
    "open_reports": "Open reports",
    "edited_by_moderator": "Edited by a moderator",
    "suspended_until": "Suspended until",
    "banned": "Banned",
    "shadow_banned": "Shadow banned",
    "comments_closed": "Comments closed",
    "phrase": "Phrase",
    "action": "Action",
    "deleted": "Deleted",
}
CHOICES = {
    "status": dict(Comment.Status.choices),
    "action": dict(BannedTerm.Action.choices),
}
# Long text (a comment's body) is cut to this in the log; the comment's page shows it whole.
TEXT_LIMIT = 80
NOTHING = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    # A value recorded on one side only: an item created (no before) or removed (no after).
    created: bool = False
    removed: bool = False


def _words(key: str, value) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in CHOICES:
        return CHOICES[key].get(value, str(value))
    if isinstance(value, str) and key.endswith("_until"):
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(when).strftime("%b %-d, %Y %H:%M")
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _label(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def audit_changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields whose value differs between `before` and `after`, in the order recorded."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        changes.append(
            Change(
                label=_label(key),
                before=_words(key, old),
                after=_words(key, new),
                created=key not in before,
                removed=key not in after,
            )
        )
    return changes
