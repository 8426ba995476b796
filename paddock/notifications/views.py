"""A signed-in reader's notifications page, and marking them read: always by a POST (a button
on the page, which works without JavaScript), never as a side effect of showing them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from paddock.core.ids import parse_id
from paddock.core.pagination import page_number

from . import selectors, services


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Replies to the reader's comments, mentions of them, their comments featured, and what
    moderation decided about their comments, newest first."""
    number = page_number(request, "p")
    page = selectors.notification_page(request.user, number)
    unread = selectors.unread_count(request.user)
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


def _back(request: HttpRequest) -> str:
    """Back to the page of notifications the reader marked from (a path of this site only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:list")


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the reader's notifications read; another reader's answers 404."""
    marked = services.notifications_mark_read(user=request.user, ids=[pk])
    if not marked and not request.user.notifications.filter(pk=pk).exists():
        raise Http404("No such notification.")
    return HttpResponseRedirect(_back(request))


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the reader read (up to the newest they were shown: `upto`,
    so one that arrived while they read the page stays unread)."""
    upto = parse_id(request.POST.get("upto"))
    count = services.notifications_mark_read(user=request.user, upto=upto)
    if count:
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return HttpResponseRedirect(_back(request))
