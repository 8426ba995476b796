"""The contact form: validation only; storing and emailing live in services and tasks."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from paddock.core.forms import HumanCheckMixin
from paddock.core.pagecache import shareable

# The contact form's name in its stamp (paddock.core.forms).
STAMP = "contact"


def _no_control_characters(value: str, *, newlines: bool = False) -> str:
    allowed = {"\n", "\r", "\t"} if newlines else set()
    if any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in value):
        raise forms.ValidationError("Remove the control characters from this field.")
    return value


class ContactForm(HumanCheckMixin, forms.Form):
    """Name, address, subject and message, with the honeypot and stamp of paddock.core.forms."""

    stamp_form = STAMP
    too_fast_message = "That was quick! Check your message and send it again."
    expired_message = "This form has expired; check your message and send it again."

    name = forms.CharField(
        label="Your name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Tell us your name."},
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address, so that we can answer.",
            "invalid": "Enter a complete email address, such as name@example.com.",
        },
    )
    subject = forms.CharField(
        label="Subject", max_length=150, error_messages={"required": "Give your message a subject."}
    )
    message = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write your message."},
    )

    def __init__(self, *args, **kwargs):
        # Ids of its own: the page's sidebar and footer hold other forms with an email field.
        kwargs.setdefault("auto_id", "contact-%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_page(cls, request: HttpRequest) -> ContactForm:
        """An empty form for a standard page. On a page every visitor may share, its stamp is
        shared too (static/js/csrf.js swaps it for one bound to the browser); a signed-in
        reader's page is theirs, and so is its stamp, with their address filled in."""
        if request is None or shareable(request):
            return cls()
        user = getattr(request, "user", None)
        initial = {"email": user.email} if user is not None and user.is_authenticated else {}
        return cls(initial=initial, request=request)

    def clean_name(self) -> str:
        return _no_control_characters(self.cleaned_data["name"].strip())

    def clean_subject(self) -> str:
        return _no_control_characters(self.cleaned_data["subject"].strip())

    def clean_message(self) -> str:
        return _no_control_characters(self.cleaned_data["message"].strip(), newlines=True)
