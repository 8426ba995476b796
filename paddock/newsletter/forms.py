"""Newsletter forms: validation only; subscribing and sending live in services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from paddock.core.forms import HumanCheckMixin

from . import policy, selectors, services
from .models import Frequency

# The sign-up form's name in its stamp (paddock.core.forms).
STAMP = "newsletter"


def _no_control_characters(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError("Names cannot contain control characters.")
    return value


class EmailField(forms.EmailField):
    default_error_messages = {
        "invalid": "Enter a complete email address, such as name@example.com.",
        "required": "Enter your email address.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget",
            forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return services.normalise_email(value) if value else value
        except ValidationError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class SignupForm(HumanCheckMixin, forms.Form):
    """The public sign-up: an address, an optional name, and traps for scripts (the honeypot
    and stamp of paddock.core.forms, with the newsletter's own minimum time). The sign-up box
    on cached pages is made without a request: a shared stamp, which static/js/csrf.js swaps
    for one bound to the reader's browser."""

    stamp_form = STAMP
    too_fast_message = "That was quick! Check your address and send it again."
    expired_message = "This form has expired; check your address and send it again."

    email = EmailField(label="Email address")
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=[(Frequency.WEEKLY, "Weekly digest"), (Frequency.DAILY, "Daily digest")],
        initial=Frequency.WEEKLY,
        required=False,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = policy.consent_text()

    def minimum_seconds(self) -> float:
        return policy.min_submit_seconds()

    def clean_name(self) -> str:
        return _no_control_characters(self.cleaned_data["name"].strip())

    def clean_frequency(self) -> str:
        return self.cleaned_data["frequency"] or Frequency.WEEKLY

    def clean_source(self) -> str:
        # Only a path on this site: the page the reader signed up from, for the consent record.
        value = self.cleaned_data["source"].strip()
        return value if value.startswith("/") and not value.startswith("//") else ""


class AddressForm(forms.Form):
    """Just an address: to send a confirmation or the preferences link again."""

    email = EmailField(label="Email address")


class PreferencesForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=100)
    frequency = forms.ChoiceField(
        label="Digest", choices=Frequency.choices, widget=forms.RadioSelect
    )
    sections = forms.MultipleChoiceField(
        label="Sections in your digest",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to get every section.",
    )
    special_editions = forms.BooleanField(
        label="Special editions: occasional issues on big stories and events", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_pages = {str(s.pk): s for s in selectors.digest_sections()}
        self.fields["sections"].choices = [(k, s.title) for k, s in self.section_pages.items()]

    def clean_name(self) -> str:
        return _no_control_characters(self.cleaned_data["name"].strip())

    def clean_sections(self) -> list:
        return [self.section_pages[k] for k in self.cleaned_data["sections"]]


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, delete my subscription and everything recorded about it", required=True
    )


class TestSendForm(forms.Form):
    email = EmailField(label="Send a test to")


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="In the site's time zone.",
    )

    def clean_when(self) -> dt.datetime:
        when = self.cleaned_data["when"]
        if when <= timezone.now():
            raise ValidationError("Choose a time in the future, or send it now.")
        return when
