"""Forms for reader accounts: they validate and hand clean values to services, nothing more."""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse

from paddock.core.forms import HumanCheckMixin

from . import services
from .avatars import avatar_from_upload
from .display_names import MAX_LENGTH, display_name_clean
from .models import Profile

_DISPLAY_NAME_HELP = (
    f"How other readers see you beside your comments: 3–{MAX_LENGTH} letters, digits, spaces, "
    "dots, hyphens and underscores."
)


def _display_name_field() -> forms.CharField:
    # Not stripped by the field: display_name_clean trims blanks itself and refuses the rest.
    return forms.CharField(
        label="Display name",
        strip=False,
        help_text=_DISPLAY_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )


class LoginForm(HumanCheckMixin, AllauthLoginForm):
    """allauth's sign-in with the honeypot; one second at least, as password managers fill
    the form in at once."""

    min_seconds = 1
    stamp_form = "login"


class SignupForm(HumanCheckMixin, AllauthSignupForm):
    """allauth's signup (email, password twice) plus the display name readers are shown by."""

    field_order = ["display_name", "email", "password1", "password2"]
    stamp_form = "signup"

    def __init__(self, *args, **kwargs) -> None:
        # allauth's signup view does not hand its form the request; its middleware keeps it.
        kwargs.setdefault("request", allauth_context.request)
        super().__init__(*args, **kwargs)
        self.fields["display_name"] = _display_name_field()
        self.order_fields(self.field_order)

    def clean_display_name(self) -> str:
        return display_name_clean(self.cleaned_data["display_name"], user=None)

    def save(self, request: HttpRequest) -> AbstractBaseUser:
        # The user, their profile (made by the post_save signal), its name and their email
        # address: all of it or none of it.
        with transaction.atomic():
            return super().save(request)

    def signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        services.profile_update(
            profile=services.profile_ensure(user=user),
            display_name=self.cleaned_data["display_name"],
        )

    def try_save(self, request: HttpRequest):
        try:
            return super().try_save(request)
        except ValidationError as error:
            # Someone took the name between validation and saving: show the form again.
            self.add_error(None, error)
            response = TemplateResponse(request, "account/signup.html", {"form": self})
            return None, response


class ProfileForm(forms.Form):
    """What a reader can change on their account page."""

    display_name = _display_name_field()
    avatar = forms.FileField(
        required=False,
        label="Avatar",
        help_text="A JPEG, PNG, WebP or GIF image up to 5 MB; it is cropped to a square.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    avatar_clear = forms.BooleanField(
        required=False, label="Remove my picture and use the generated pattern", label_suffix=""
    )
    notify_replies = forms.BooleanField(
        required=False, label="Email me when someone replies to my comments", label_suffix=""
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["country"] = Profile._meta.get_field("country").formfield(
            required=False, label="Country", help_text="Shown on your public profile; optional."
        )
        self.order_fields(["display_name", "country", "avatar", "avatar_clear", "notify_replies"])

    def clean_display_name(self) -> str:
        return display_name_clean(self.cleaned_data["display_name"], user=self.user)

    def clean_avatar(self) -> ContentFile | None:
        """The upload re-encoded as a clean PNG: decoding it is the only proof it is an image."""
        upload = self.cleaned_data.get("avatar")
        return avatar_from_upload(upload) if upload else None


class AccountDeleteForm(forms.Form):
    """Asks for the password again, so a borrowed session cannot delete the account."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    delete_comments = forms.BooleanField(
        required=False, label="Also delete my comments", label_suffix=""
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                "That is not your current password. Forgotten it? Reset it first.",
                code="wrong_password",
            )
        return password
