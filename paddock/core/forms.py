"""What every public form carries against scripts: a honeypot field people never see, and a
signed timestamp of when the form was shown, so that a form sent back faster than a person
could fill it in is refused (with a fresh timestamp, so a person can simply send it again)."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

SALT = "paddock.core.form-started"
MAX_AGE = 7 * 24 * 60 * 60  # a page left open for a week still works


def form_started() -> str:
    return signing.dumps(time.time(), salt=SALT)


def form_age(value: str) -> float | None:
    """Seconds since the form was shown, or None when the value is not one of ours."""
    try:
        started = float(signing.loads(value or "", salt=SALT, max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - started


class HumanCheckMixin(forms.Form):
    """Mix into a public form; `min_seconds` (default settings.PADDOCK_FORM_MIN_SECONDS) is how
    long a person takes at the least. Templates include "core/includes/human_check.html"."""

    min_seconds: float | None = None
    too_fast_message = "That was quick! Check what you wrote and send it again."

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = form_started()

    def _minimum(self) -> float:
        default = getattr(settings, "PADDOCK_FORM_MIN_SECONDS", 3)
        return default if self.min_seconds is None else min(self.min_seconds, default)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.add_error(None, "Leave the last field empty; it is there to catch robots.")
        minimum = self._minimum()
        if minimum > 0:
            age = form_age(cleaned.get("started", ""))
            if age is None:
                self.add_error(None, "This form has expired; send it again.")
            elif age < minimum:
                self.add_error(None, self.too_fast_message)
        if self.errors and self.is_bound:
            # A fresh stamp, so the person can send the form again as it stands.
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = form_started()
        return cleaned
