"""Admin pages beyond the snippet editor: an edition's review page (preview, test, send or
schedule, and how its sending went) and the statistics. Every action checks its permission
here, on the server: viewing needs newsletter.view_edition, sending newsletter.send_edition."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from paddock.core.ratelimit import Limit, ratelimit

from . import selectors, services
from .forms import ScheduleForm, TestSendForm
from .models import Edition, EditionStatus, Subscriber
from .rendering import preview_html

VIEW_PERMISSION = "newsletter.view_edition"
SEND_PERMISSION = "newsletter.send_edition"


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
    audience = Subscriber.objects.audience(edition).count() if edition.is_editable else None
    return render(
        request,
        "newsletter/admin/review.html",
        {
            "edition": edition,
            "page_title": f"Review: {edition.subject}",
            "can_send": can_send,
            "audience": audience,
            "counts": selectors.delivery_counts(edition) if edition.started_at else None,
            "test_form": test_form or TestSendForm(initial={"email": request.user.email}),
            "schedule_form": schedule_form or ScheduleForm(),
            "ready": edition.status in (EditionStatus.DRAFT, EditionStatus.SCHEDULED),
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
    transaction.on_commit(lambda: send_test_task.enqueue(edition.pk, email))
    messages.success(request, f"A test copy is on its way to {email}.")
    return redirect("newsletter_admin:review", pk=edition.pk)


@requires(SEND_PERMISSION)
@require_POST
def send_now(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
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
    try:
        edition = services.edition_schedule(
            edition=edition, when=form.cleaned_data["when"], user=request.user
        )
    except services.NewsletterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Scheduled for {edition.scheduled_for:%Y-%m-%d %H:%M}.")
    return redirect("newsletter_admin:review", pk=edition.pk)


@requires(VIEW_PERMISSION)
def stats(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "newsletter/admin/stats.html",
        {"stats": selectors.newsletter_stats(), "page_title": "Newsletter statistics"},
    )
