"""Public newsletter pages: sign-up, confirmation, preferences, data export and deletion,
unsubscribing (including RFC 8058 one-click), and the account page's one-click subscribe.
Thin: forms validate, services write, tokens say who a link belongs to.

Every answer to a stranger is the same whether or not the address subscribes. Everything works
without JavaScript; with htmx, the sign-up box on an article swaps in its answer in place.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from paddock.core.once import once
from paddock.core.ratelimit import Limit, client_ip, ratelimit

from . import box, selectors, services, tokens
from .forms import AddressForm, DeleteForm, PreferencesForm, SignupForm
from .models import SignupRequest, Subscriber, SubscriberStatus

PENDING_SESSION_KEY = "newsletter_pending_email"


def _link_problem(request: HttpRequest, error: Exception, *, purpose: str) -> HttpResponse:
    expired = isinstance(error, tokens.LinkExpired)
    return render(
        request,
        "newsletter/link_problem.html",
        {
            "title": "This link has expired" if expired else "This link does not work",
            "expired": expired,
            "purpose": purpose,
            "form": AddressForm(),
        },
        status=410 if expired else 400,
    )


def _subscriber(key) -> Subscriber | None:
    return Subscriber.objects.filter(key=key).first()


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/gone.html", {"title": "No such subscription"}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-signup", per_ip=Limit(20, 3600))
@once
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignupForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.subscriber_signup(
                    email=data["email"],
                    name=data["name"],
                    ip=client_ip(request),
                    source=data["source"] or reverse("newsletter:signup"),
                    frequency=data["frequency"],
                )
            except ValidationError:
                form.add_error("email", SignupForm.base_fields["email"].error_messages["invalid"])
            else:
                request.session[PENDING_SESSION_KEY] = data["email"]
                if request.htmx:
                    return render(request, "newsletter/includes/signup_done.html")
                return redirect("newsletter:sent")
        if request.htmx:
            return HttpResponse(box.signup_box(form, request, settings.WAGTAIL_SITE_NAME))
    else:
        # Prefilled from the footer's GET form.
        initial = {
            key: request.GET.get(key, "").strip()[:limit]
            for key, limit in (("email", 254), ("name", 100))
        }
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        if referer.netloc == request.get_host() and referer.path.startswith("/"):
            initial["source"] = referer.path  # the page the reader came from, for consent
        form = SignupForm(initial=initial, request=request)
    return render(request, "newsletter/signup.html", {"form": form, "title": "Get the newsletter"})


@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "newsletter/sent.html",
        {
            "title": "Check your inbox",
            "pending": bool(request.session.get(PENDING_SESSION_KEY)),
            "form": AddressForm(),
        },
    )


@never_cache
@require_POST
@ratelimit("newsletter-resend", per_ip=Limit(10, 3600))
def resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation again: to the address of this browser's sign-up, or to the one
    typed in (after an expired link). The answer never says whether it subscribes."""
    email = request.session.get(PENDING_SESSION_KEY, "")
    if "email" in request.POST:
        form = AddressForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "newsletter/sent.html",
                {"title": "Check your inbox", "form": form, "pending": False},
                status=400,
            )
        email = form.cleaned_data["email"]
        request.session[PENDING_SESSION_KEY] = email
    if email:
        services.subscriber_resend(email=email)
    messages.info(
        request,
        "If that address has signed up, a new email is on its way. It can take a few minutes.",
    )
    return redirect("newsletter:sent")


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-link", per_ip=Limit(60, 600))
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link of a sign-up request. A GET only asks (mail scanners follow
    links); the button's POST applies the request. Confirming twice is fine, and says so."""
    try:
        key = tokens.confirm_key(token)
    except (tokens.LinkExpired, tokens.LinkInvalid) as error:
        return _link_problem(request, error, purpose="confirm")
    signup_request = SignupRequest.objects.filter(key=key).first()
    if signup_request is None:
        return _gone(request)
    if request.method == "POST":
        try:
            subscriber, already = services.signup_confirm(key=key, ip=client_ip(request))
        except services.NewsletterError:
            return _gone(request)
        request.session.pop(PENDING_SESSION_KEY, None)
        return render(
            request,
            "newsletter/confirmed.html",
            {
                "subscriber": subscriber,
                "already": already,
                "manage_token": tokens.manage_token(subscriber.key),
                "title": "You are subscribed",
            },
        )
    already = signup_request.confirmed_at is not None or (
        Subscriber.objects.filter(
            email=signup_request.email, status=SubscriberStatus.ACTIVE
        ).exists()
    )
    return render(
        request,
        "newsletter/confirm.html",
        {"email": signup_request.email, "already": already, "title": "Confirm your subscription"},
    )


def _manage(request: HttpRequest, token: str):
    """The subscriber a preferences link belongs to, or the page to answer with instead."""
    try:
        key = tokens.manage_key(token)
    except (tokens.LinkExpired, tokens.LinkInvalid) as error:
        return None, _link_problem(request, error, purpose="manage")
    subscriber = _subscriber(key)
    if subscriber is None:
        return None, _gone(request)
    return subscriber, None


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-link", per_ip=Limit(60, 600))
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    subscriber, problem = _manage(request, token)
    if problem:
        return problem
    if request.method == "POST" and "resubscribe" in request.POST:
        # The link came to this inbox, which is all a confirmation would prove.
        services.subscriber_confirm(key=subscriber.key, ip=client_ip(request))
        messages.success(request, "Welcome back: you are subscribed again.")
        return redirect("newsletter:preferences", token=token)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.subscriber_update_preferences(
                subscriber=subscriber,
                name=data["name"],
                frequency=data["frequency"],
                special_editions=data["special_editions"],
                sections=data["sections"],
            )
            messages.success(request, "Your newsletter preferences have been saved.")
            return redirect("newsletter:preferences", token=token)
    else:
        form = PreferencesForm(
            initial={
                "name": subscriber.name,
                "frequency": subscriber.frequency,
                "special_editions": subscriber.special_editions,
                "sections": [str(pk) for pk in subscriber.sections.values_list("pk", flat=True)],
            }
        )
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "token": token,
            "unsubscribe_token": tokens.unsubscribe_token(subscriber.key),
            "title": "Newsletter preferences",
        },
    )


@never_cache
@require_http_methods(["GET"])
@ratelimit("newsletter-link", per_ip=Limit(60, 600))
def export(request: HttpRequest, token: str) -> HttpResponse:
    subscriber, problem = _manage(request, token)
    if problem:
        return problem
    data = selectors.subscriber_export(subscriber)
    response = HttpResponse(
        json.dumps(data, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-link", per_ip=Limit(60, 600))
def delete(request: HttpRequest, token: str) -> HttpResponse:
    subscriber, problem = _manage(request, token)
    if problem:
        return problem
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscriber_delete(subscriber=subscriber)
        return render(request, "newsletter/deleted.html", {"title": "Subscription deleted"})
    return render(
        request,
        "newsletter/delete.html",
        {"form": form, "subscriber": subscriber, "token": token, "title": "Delete your data"},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-link", per_ip=Limit(60, 600))
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The footer link: a GET shows one button (mail scanners follow links), its POST
    unsubscribes at once. No sign-in needed: the signed link is the proof."""
    try:
        data = tokens.unsubscribe_data(token)
    except (tokens.LinkExpired, tokens.LinkInvalid) as error:
        return _link_problem(request, error, purpose="unsubscribe")
    subscriber = _subscriber(data.key)
    if subscriber is None:
        return _gone(request)
    done = subscriber.status == SubscriberStatus.UNSUBSCRIBED
    if request.method == "POST":
        services.subscriber_unsubscribe(
            subscriber=subscriber, edition_id=data.edition_id, reason="link"
        )
        done = True
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "done": done,
            "token": token,
            "manage_token": tokens.manage_token(subscriber.key),
            "title": "Unsubscribed" if done else "Unsubscribe",
        },
    )


@csrf_exempt  # RFC 8058: the mail provider POSTs here on the reader's behalf, with no cookie
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-one-click", per_ip=Limit(600, 60))
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("newsletter:unsubscribe", args=[token]))
    try:
        data = tokens.unsubscribe_data(token)
    except (tokens.LinkExpired, tokens.LinkInvalid):
        return HttpResponse(
            "This unsubscribe link is not valid.\n", status=400, content_type="text/plain"
        )
    subscriber = _subscriber(data.key)
    if subscriber is not None:
        services.subscriber_unsubscribe(
            subscriber=subscriber, edition_id=data.edition_id, reason="one-click"
        )
    return HttpResponse("You are unsubscribed.\n", content_type="text/plain")


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("newsletter-manage", per_ip=Limit(10, 3600))
def manage(request: HttpRequest) -> HttpResponse:
    """Ask for the preferences link by email; the same answer for any address."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscriber_request_link(email=form.cleaned_data["email"])
        return render(
            request,
            "newsletter/manage.html",
            {"title": "Check your inbox", "requested": True, "form": AddressForm()},
        )
    return render(
        request,
        "newsletter/manage.html",
        {"title": "Manage your subscription", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@ratelimit("newsletter-account", per_user=Limit(10, 600))
def account_subscribe(request: HttpRequest) -> HttpResponse:
    try:
        subscriber = services.subscriber_subscribe_user(
            user=request.user, ip=client_ip(request), source=reverse("accounts:edit")
        )
    except (services.NewsletterError, ValidationError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        if subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE:
            messages.success(request, "You are subscribed to the newsletter.")
        else:
            messages.info(
                request, "Nearly there: follow the link we emailed you to confirm your address."
            )
    return redirect(reverse("accounts:edit") + "#newsletter")


@login_required
@require_http_methods(["GET"])
def account_preferences(request: HttpRequest) -> HttpResponse:
    subscriber = selectors.subscriber_for_user(request.user)
    if subscriber is None:
        messages.info(request, "You do not get the newsletter yet.")
        return redirect(reverse("accounts:edit") + "#newsletter")
    return redirect("newsletter:preferences", token=tokens.manage_token(subscriber.key))
