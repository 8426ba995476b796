"""The email preferences form: one choice of frequency per emailed kind."""

from __future__ import annotations

from django import forms

from .models import Frequency
from .preferences import DESCRIPTIONS, EMAILED_KINDS


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in EMAILED_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=DESCRIPTIONS[kind],
                choices=Frequency.choices,
                widget=forms.RadioSelect,
            )
