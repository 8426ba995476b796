"""Admin pages beyond the snippet editor: an edition's review page (preview, test, send or
schedule, and how its sending went), the confirmation that sending and scheduling go through,
cancelling a sending, and the statistics. Every action checks its permission here, on the
server: viewing needs newsletter.view_edition, sending newsletter.send_edition.

Sending and scheduling take two steps. The first shows who will get which edition (the
audience counted now) and hands out a signed confirmation naming exactly that; the second
acts only on a confirmation that still matches the edition, the audience and the time, so a
stray click, a replayed form or an audience that changed meanwhile never sends anything."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from paddock.core.db import after_commit
from paddock.core.ratelimit import Limit, ratelimit

from . import selectors, services
from .forms import ScheduleForm, TestSendForm
from .models import Edition, EditionStatus, Subscriber
from .rendering import preview_html

VIEW_PERMISSION = "newsletter.view_edition"
SEND_PERMISSION = "newsletter.send_edition"

CONFIRM_SALT = "paddock.newsletter.confirm-send"
# Long enough to read the confirmation page, short enough that an old tab cannot send.
CONFIRM_MAX_AGE = 30 * 60


def requires(permission: str):
    """Answer 403 without the permission. (Raising PermissionDenied would not do: Wagtail's
    admin turns it into a redirect to the dashboard, which hides the refusal.)"""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(permission):
                return render(
                    request,
                    "newsletter/admin/forbidden.html",
                    {"page_title": "Not allowed"},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@requires(VIEW_PERMISSION)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    return _review_page(request, edition)


def _review_page(request, edition, *, test_form=None, schedule_form=None, status=200):
    can_send = request.user.has_perm(SEND_PERMISSION)
    ready = edition.status in (EditionStatus.DRAFT, EditionStatus.SCHEDULED)
    audience = Subscriber.objects.audience(edition).count() if ready else None
    return render(
        request,
        "newsletter/admin/review.html",
        {
            "edition": edition,
            "page_title": f"Review: {edition.subject}",
            "can_send": can_send,
            "audience": audience,
            "audience_description": selectors.audience_description(edition),
            "counts": selectors.delivery_counts(edition) if edition.started_at else None,
            "test_form": test_form or TestSendForm(initial={"email": request.user.email}),
            "schedule_form": schedule_form or ScheduleForm(),
            "ready": ready,
            "can_cancel": can_send and edition.status == EditionStatus.SENDING,
        },
        status=status,
    )


@xframe_options_sameorigin
@requires(VIEW_PERMISSION)
def email_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The email itself, for the review page's frame."""
    edition = get_object_or_404(Edition, pk=pk)
    response = HttpResponse(preview_html(edition))
    # Rich text may hold links but never scripts; the frame runs none whatever it holds.
    response["Content-Security-Policy"] = "script-src 'none'"
    return response


@requires(SEND_PERMISSION)
@require_POST
@ratelimit("newsletter-test", per_user=Limit(20, 600))
def send_test(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        return _review_page(request, edition, test_form=form, status=400)
    from .tasks import send_test as send_test_task  # tasks import the views' helpers

    email = form.cleaned_data["email"]
    after_commit(
        lambda: send_test_task.enqueue(edition.pk, email), what=f"test copy of edition {edition.pk}"
    )
    messages.success(request, f"A test copy is on its way to {email}.")
    return redirect("newsletter_admin:review", pk=edition.pk)


def _confirmation(edition: Edition, action: str, audience: int, when: dt.datetime | None) -> dict:
    """What an editor confirms: this edition, under this subject, to this many, now or then."""
    return {
        "edition": edition.pk,
        "subject": edition.subject,
        "action": action,
        "audience": audience,
        "when": when.isoformat() if when else None,
    }


def _confirmed(request: HttpRequest, expected: dict) -> tuple[bool, dict | None]:
    """(whether the request carries a valid confirmation of exactly `expected`, what the
    confirmation it carries says, if it is a genuine one)."""
    token = request.POST.get("confirmation", "")
    if not token:
        return False, None
    try:
        given = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # tampered with, or too old (SignatureExpired is one)
        return False, None
    if not isinstance(given, dict):
        return False, None
    return given == expected, given


def _confirm_page(request, edition, expected: dict, given: dict | None) -> HttpResponse:
    """Ask the editor to confirm; explain what changed when a confirmation no longer holds."""
    changed = []
    if given is not None and given.get("edition") == edition.pk:
        if given.get("audience") != expected["audience"]:
            changed.append(
                f"the audience is now {expected['audience']} subscriber(s), "
                f"not {given.get('audience')}"
            )
        if given.get("subject") != expected["subject"]:
            changed.append(f"the subject is now “{expected['subject']}”")
    when = dt.datetime.fromisoformat(expected["when"]) if expected["when"] else None
    return render(
        request,
        "newsletter/admin/confirm.html",
        {
            "edition": edition,
            "page_title": f"Confirm: {edition.subject}",
            "action": expected["action"],
            "audience": expected["audience"],
            "audience_description": selectors.audience_description(edition),
            "when": when,
            "confirmation": signing.dumps(expected, salt=CONFIRM_SALT),
            "changed": changed,
        },
        status=409 if changed else 200,
    )


@requires(SEND_PERMISSION)
@require_http_methods(["GET", "POST"])
def send_now(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page. POST: send, with a confirmation that still holds."""
    edition = get_object_or_404(Edition, pk=pk)
    if edition.status not in (EditionStatus.DRAFT, EditionStatus.SCHEDULED):
        messages.error(request, "This edition has already gone out.")
        return redirect("newsletter_admin:review", pk=edition.pk)
    expected = _confirmation(edition, "send", Subscriber.objects.audience(edition).count(), None)
    ok, given = _confirmed(request, expected) if request.method == "POST" else (False, None)
    if not ok:
        return _confirm_page(request, edition, expected, given)
    try:
        edition = services.edition_send(edition=edition, user=request.user)
    except services.NewsletterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sending to {edition.recipients} subscriber(s) has started.")
    return redirect("newsletter_admin:review", pk=edition.pk)


@requires(SEND_PERMISSION)
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Unschedule at once (nothing goes out); schedule only with a confirmation."""
    edition = get_object_or_404(Edition, pk=pk)
    if "unschedule" in request.POST:
        try:
            services.edition_unschedule(edition=edition, user=request.user)
        except services.NewsletterError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The edition is a draft again; nothing was sent.")
        return redirect("newsletter_admin:review", pk=edition.pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _review_page(request, edition, schedule_form=form, status=400)
    when = form.cleaned_data["when"]
    expected = _confirmation(
        edition, "schedule", Subscriber.objects.audience(edition).count(), when
    )
    ok, given = _confirmed(request, expected)
    if not ok:
        return _confirm_page(request, edition, expected, given)
    try:
        edition = services.edition_schedule(edition=edition, when=when, user=request.user)
    except services.NewsletterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Scheduled for {edition.scheduled_for:%Y-%m-%d %H:%M}.")
    return redirect("newsletter_admin:review", pk=edition.pk)


@requires(SEND_PERMISSION)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a sending: stopping must be quick, so it takes one step."""
    edition = get_object_or_404(Edition, pk=pk)
    try:
        edition = services.edition_cancel(edition=edition, user=request.user)
    except services.NewsletterError as error:
        messages.error(request, str(error))
    else:
        counts = selectors.delivery_counts(edition)
        messages.success(
            request,
            f"Cancelled. {counts['sent']} already sent stay sent; "
            f"{counts['cancelled']} will not be sent.",
        )
    return redirect("newsletter_admin:review", pk=edition.pk)


@requires(VIEW_PERMISSION)
def stats(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "newsletter/admin/stats.html",
        {"stats": selectors.newsletter_stats(), "page_title": "Newsletter statistics"},
    )
