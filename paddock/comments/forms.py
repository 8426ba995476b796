"""Validation of what readers send: comment bodies, votes and reports."""

from __future__ import annotations

from django import forms

from paddock.core.forms import HumanCheckMixin
from paddock.core.ids import IdField

from .models import Report
from .rules import MAX_LENGTH


class BodyField(forms.CharField):
    """Text from a textarea, its line ends unified before the length is checked: browsers
    send CRLF, which would otherwise count twice against the limit."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class CommentForm(HumanCheckMixin, forms.Form):
    stamp_form = "comment"

    body = BodyField(
        label="Comment",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_LENGTH}),
        help_text="Plain text. *emphasis*, **bold**, [links](https://…), > quotes and `code` work.",
        error_messages={"required": "Your comment is empty."},
        strip=True,
    )
    parent = IdField(required=False)


class EditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class ReportForm(HumanCheckMixin, forms.Form):
    stamp_form = "report"

    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text="Needed when the reason is “Something else”.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not data.get("details", "").strip():
            self.add_error("details", "Tell us what is wrong with this comment.")
        return data


VOTE_VALUES = {"up": 1, "down": -1, "clear": 0}
