"""Forms for reader accounts: they validate and hand clean values to services, nothing more."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

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


def is_staff(user: AbstractBaseUser) -> bool:
    """Whether the admin is for this person: the newsroom's staff, not readers."""
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


class StaffLoginForm(WagtailLoginForm):
    """The admin's sign-in: staff only, counted against the same limits as the site's sign-in.

    Failures count under allauth's "login_failed" limits (per client address, and per account
    under the account's email address, whether it was typed or its username), so the admin is
    no way round the site's sign-in. `rate_limited` tells the view to answer 429."""

    rate_limited = False

    def clean(self):
        login = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if login is None or not password:
            return self.cleaned_data
        adapter = get_adapter(self.request)
        try:
            # `email` names the account the failures count against (allauth's key); the
            # backends sign in by username (Django's) or by email (allauth's).
            self.user_cache = adapter.authenticate(
                self.request, username=login, email=_account_email(login), password=password
            )
        except ValidationError:
            self.rate_limited = True
            raise
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        super().confirm_login_allowed(user)
        if not is_staff(user):
            # Only said to someone who knows the password, so it gives nothing away.
            raise ValidationError(
                format_html(
                    "This sign-in is for the newsroom. Readers sign in on the site: "
                    # Wagtail's teal links are unreadable on its red error box.
                    '<a href="{}" style="color: inherit; text-decoration: underline">'
                    "sign in to your reader account</a>.",
                    reverse("account_login"),
                ),
                code="not_staff",
            )


def _account_email(login: str) -> str:
    """What the site's sign-in counts an account's failures under: its email address."""
    if "@" not in login:
        user = get_user_model()._default_manager.filter(username__iexact=login).first()
        if user is not None and user.email:
            return user.email
    return login


class StaffPasswordResetForm(WagtailPasswordResetForm):
    """The admin's password reset mails staff only; a reader's address gets nothing from here
    (the page says the same whatever the address: the site's reset is for readers)."""

    def get_users(self, email: str):
        return (user for user in super().get_users(email) if is_staff(user))


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

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["country"] = Profile._meta.get_field("country").formfield(
            required=False, label="Country", help_text="Shown on your public profile; optional."
        )
        self.order_fields(["display_name", "country", "avatar", "avatar_clear"])

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
