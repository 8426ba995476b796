"""Reader-facing account pages beyond allauth's own: the account page, deletion, public profiles
and identicons; and the admin's sign-in and password reset, which are for staff only and
share the site's limits. Thin: forms validate, services write, selectors here only read."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.core import ratelimit as allauth_ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe
from wagtail import hooks
from wagtail.admin.views import account as wagtail_account

from paddock.core.ratelimit import Limit, ratelimit

from . import services
from .avatars import SEED_PATTERN, identicon_svg
from .forms import AccountDeleteForm, ProfileForm, StaffLoginForm, StaffPasswordResetForm
from .hooks import PROFILE_CONTEXT_HOOK
from .models import Profile
from .personal_data import personal_data_json

ONE_YEAR = 365 * 24 * 60 * 60


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader's public page: who they are, and what the layers above add (the discussion
    lists what they have said: paddock/comments/wagtail_hooks.py)."""
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=pk, user__is_active=True)
    context = {"profile": profile, "title": profile.display_name}
    for hook in hooks.get_hooks(PROFILE_CONTEXT_HOOK):
        context.update(hook(profile, request))
    return render(request, "accounts/profile.html", context)


@require_safe
def identicon(request: HttpRequest, seed: str) -> HttpResponse:
    """The generated default avatar: the same picture for the same seed, forever cacheable."""
    if not SEED_PATTERN.fullmatch(seed):
        raise Http404("Not an avatar seed.")
    response = HttpResponse(identicon_svg(seed), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    # Opened on its own, an SVG is a document; this one needs no scripts, styles or fetches.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    """The reader's own account page: profile fields, and the way to email, password, deletion."""
    profile = services.profile_ensure(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_update(
                    profile=profile,
                    display_name=data["display_name"],
                    country=data["country"],
                    avatar=data["avatar"],
                    avatar_clear=data["avatar_clear"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("accounts:edit")
    else:
        form = ProfileForm(
            user=request.user,
            initial={
                "display_name": profile.display_name,
                "country": profile.country.code or "",
            },
        )
    email = EmailAddress.objects.filter(user=request.user, primary=True).first()
    return render(
        request,
        "accounts/edit.html",
        {"form": form, "profile": profile, "email": email, "title": "Your account"},
    )


@require_POST
@login_required
@ratelimit("personal-data", per_user=Limit(10, 3600))
def personal_data(request: HttpRequest) -> HttpResponse:
    """Everything Paddock holds about the signed-in reader, as a JSON file to keep. A POST from
    the account page (with its CSRF token), so no other site can start a download; written as
    it is read (paddock/accounts/personal_data.py), never kept by any cache."""
    filename = f"paddock-data-{request.user.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response = StreamingHttpResponse(
        personal_data_json(request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@sensitive_post_parameters("password")
@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after the reader confirms with their password."""
    if request.method == "POST":
        # Each attempt checks a password: limit them like allauth limits reauthentication.
        if not allauth_ratelimit.consume(request, action="reauthenticate", user=request.user):
            return allauth_ratelimit.respond_429(request)
        form = AccountDeleteForm(request.POST, user=request.user)
        if form.is_valid():
            services.account_delete(
                user=request.user, delete_comments=form.cleaned_data["delete_comments"]
            )
            logout(request)
            return render(request, "accounts/delete_done.html", {"title": "Account deleted"})
    else:
        form = AccountDeleteForm(user=request.user)
    return render(request, "accounts/delete.html", {"form": form, "title": "Delete your account"})


class StaffLoginView(wagtail_account.LoginView):
    """Wagtail's sign-in (at /admin/login/, config/urls.py), for staff only; over the limits of
    the site's sign-in it answers 429 with Retry-After (where the site's own form says so in an
    error, for people who mistyped a password once too often)."""

    def get_form_class(self):
        return StaffLoginForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if response := allauth_ratelimit.consume_or_429(request, action="login"):
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: StaffLoginForm) -> HttpResponse:
        if form.rate_limited:
            return allauth_ratelimit.respond_429(self.request)
        return super().form_invalid(form)


class StaffPasswordResetView(wagtail_account.PasswordResetView):
    """Wagtail's password reset, mailing staff only, under the site's reset limits (per client
    address and per address typed, counted together with the site's own reset)."""

    def get_form_class(self):
        return StaffPasswordResetForm

    def form_valid(self, form: StaffPasswordResetForm) -> HttpResponse:
        key = form.cleaned_data["email"].lower()
        if response := allauth_ratelimit.consume_or_429(
            self.request, action="reset_password", key=key
        ):
            return response
        return super().form_valid(form)
