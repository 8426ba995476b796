"""What moderators send: queue filters, decisions, edits, sanctions, and audit-log searches."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from paddock.comments.forms import BodyField
from paddock.comments.models import Report
from paddock.core.ids import IdField, parse_id

from .models import AuditEntry

AGES = {
    "": "Any age",
    "1h": "Older than an hour",
    "24h": "Older than a day",
    "new": "Newer than an hour",
}
REASONS = {
    "": "Any reason",
    "reported": "Reported by readers",
    "held": "Held when posted",
    **{f"report:{value}": f"Reported: {label}" for value, label in Report.Reason.choices},
    "flag:new reader": "Held: new reader",
    "flag:links": "Held: links",
    "flag:banned term": "Held: banned term",
    "flag:spam": "Held: spam score",
}
DECISION_CHOICES = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("spam", "Mark as spam"),
    ("dismiss", "Dismiss reports"),
]


class QueueFilterForm(forms.Form):
    article = IdField(required=False)
    reader = forms.CharField(
        required=False,
        max_length=150,
        label="Reader",
        widget=forms.TextInput(attrs={"placeholder": "Display name or email"}),
    )
    reason = forms.ChoiceField(required=False, choices=list(REASONS.items()))
    age = forms.ChoiceField(required=False, choices=list(AGES.items()))
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Text",
        widget=forms.TextInput(attrs={"placeholder": "Words in the comment"}),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=DECISION_CHOICES)
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    reason = forms.CharField(
        required=False,
        max_length=300,
        help_text="Shown to the author when a comment is rejected (required then).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id a row can have is a valid choice here; the service checks each one exists.
        raw = self.data.getlist("comments") if hasattr(self.data, "getlist") else []
        self.fields["comments"].choices = [(v, v) for v in raw if parse_id(v) is not None]
        self.fields["comments"].error_messages["invalid_choice"] = "Select comments by number."
        self.fields["comments"].error_messages["required"] = "Select at least one comment."

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the author a reason for the rejection.")
        return data


class ModeratorEditForm(forms.Form):
    body = BodyField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(required=False, max_length=300, label="Why (kept in the audit log)")


class SanctionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("suspend", "Suspend until…"),
            ("ban", "Ban permanently"),
            ("shadow_ban", "Shadow ban"),
            ("reinstate", "Reinstate"),
        ]
    )
    until = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="For a suspension: when it ends.",
    )
    reason = forms.CharField(required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("action") == "suspend":
            until = data.get("until")
            if until is None:
                self.add_error("until", "A suspension needs an end date.")
            elif until <= timezone.now():
                self.add_error("until", "The end of a suspension must be in the future.")
            elif until > timezone.now() + dt.timedelta(days=3650):
                self.add_error("until", "For longer than ten years, ban instead.")
        if data.get("action") in ("suspend", "ban", "shadow_ban") and not data.get("reason"):
            self.add_error("reason", "Give a reason; it is kept in the audit log.")
        return data


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(attrs={"placeholder": "Moderator, summary or reason"}),
    )
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AuditEntry.Action.choices]
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date comes before the start date.")
        return data
