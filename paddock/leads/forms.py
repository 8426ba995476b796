"""The quote request form: validation only; storing and routing live in services."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.urls import reverse
from django.utils import timezone

from paddock.core.forms import HumanCheckMixin
from paddock.newsroom.models import ArticlePage, Make, VehicleModel

from . import policy
from .geo import POSTAL_CODE_HELP, normalise_postal, postal_location
from .models import AssignmentStatus, Timeframe

# The quote form's name in its stamp (paddock.core.forms).
STAMP = "quote"


def model_choices(make_slug: str) -> list[tuple[str, str]]:
    """The models of the chosen make only; none until a make is chosen."""
    if not make_slug:
        return [("", "Choose a make first")]
    models = VehicleModel.objects.filter(make__slug=make_slug).order_by("name")
    return [("", "Choose a model"), *models.values_list("slug", "name")]


class QuoteForm(HumanCheckMixin, forms.Form):
    """The quote request, with the honeypot and stamp of paddock.core.forms and the leads' own
    minimum time."""

    stamp_form = STAMP
    too_fast_message = "That was quick! Check the details and send again."
    expired_message = "This form has expired; check the details and send again."

    make = forms.ModelChoiceField(
        queryset=Make.objects.order_by("name"), to_field_name="slug", empty_label="Choose a make"
    )
    model = forms.ChoiceField(label="Model")
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    trim = forms.CharField(label="Trim", required=False, max_length=60)
    # Optional and unanswered at first: a dealer only learns what the shopper chose to say.
    timeframe = forms.ChoiceField(
        label="When do you plan to buy?",
        choices=[("", "No answer"), *Timeframe.choices],
        required=False,
    )
    zip_code = forms.CharField(
        label="ZIP or postal code",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    name = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        max_length=30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    consent = forms.BooleanField(label=policy.CONSENT_TEXT, required=True)
    # The article the shopper came from (its quote widget passes it along), for the dealer.
    article = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make = self.data.get(self.add_prefix("make")) if self.is_bound else self.initial.get("make")
        self.fields["model"].choices = model_choices(str(make or "")[:60])
        # With JavaScript the model list narrows in place when the make changes; without it,
        # the "Show models" button (quote.html) posts the form back to quote_models.
        self.fields["make"].widget.attrs.update(
            {
                "hx-get": reverse("leads:quote_models"),
                "hx-params": "make",
                "hx-target": "#quote-model",
                "hx-swap": "outerHTML",
            }
        )
        this_year = timezone.now().year
        self.fields["year"].choices = [("", "Any year")] + [
            (str(y), str(y)) for y in range(this_year + 1, this_year - 3, -1)
        ]
        self.consent_text = policy.CONSENT_TEXT

    def minimum_seconds(self) -> float:
        return policy.min_submit_seconds()

    def clean_zip_code(self) -> str:
        value = normalise_postal(self.cleaned_data["zip_code"])
        if postal_location(value) is None:
            raise forms.ValidationError(f"Enter {POSTAL_CODE_HELP}.")
        return value

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        try:
            number = phonenumbers.parse(raw, "US")
        except phonenumbers.NumberParseException as exc:
            raise forms.ValidationError("Enter a phone number, such as (212) 555-0147.") from exc
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError("That phone number is not valid; check the digits.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise forms.ValidationError("Names cannot contain control characters.")
        if not value:
            raise forms.ValidationError("Tell the dealer your name.")
        return value

    def clean_article(self) -> ArticlePage | None:
        # A hidden field anyone can edit: an unknown or unpublished article is just dropped.
        pk = self.cleaned_data.get("article")
        return ArticlePage.objects.published().filter(pk=pk).first() if pk else None

    def clean_trim(self) -> str:
        value = self.cleaned_data["trim"].strip()
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise forms.ValidationError("Trim cannot contain control characters.")
        return value

    def clean(self):
        cleaned = super().clean()
        make, slug = cleaned.get("make"), cleaned.get("model")
        if make and slug:
            model = VehicleModel.objects.filter(make=make, slug=slug).first()
            if model is None:
                self.add_error("model", f"Choose a {make.name} model.")
            else:
                cleaned["vehicle_model"] = model
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {
            "make": c["make"],
            "vehicle_model": c["vehicle_model"],
            "year": c["year"],
            "trim": c["trim"],
            "timeframe": c["timeframe"],
            "zip_code": c["zip_code"],
            "name": c["name"],
            "email": c["email"],
            "phone": c["phone"],
            "consent_text": self.consent_text,
            "source_article": c.get("article"),
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=AssignmentStatus.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DealerSettingsForm(forms.Form):
    notification_emails = forms.CharField(
        label="Lead emails go to",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Addresses separated by commas; each gets every lead, with its ADF document.",
    )
    crm_email = forms.EmailField(
        label="CRM lead address",
        required=False,
        max_length=254,
        help_text="Your CRM's lead inbox, if any: it gets each lead as an ADF document alone.",
    )
