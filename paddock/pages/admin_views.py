"""The editors' inbox of contact messages, in the admin: the list, one message, and marking it
handled. Every view checks its permission here, on the server: reading needs
pages.view_contactmessage, marking pages.change_contactmessage (paddock/pages/roles.py)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from paddock.core.pagination import page_number

from . import services
from .models import ContactMessage

VIEW_PERMISSION = "pages.view_contactmessage"
HANDLE_PERMISSION = "pages.change_contactmessage"
PAGE_SIZE = 50


def requires(permission: str):
    """Answer 403 without the permission (Wagtail's admin would turn PermissionDenied into a
    redirect to the dashboard, which hides the refusal)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(permission):
                return render(
                    request, "pages/admin/forbidden.html", {"page_title": "Not allowed"}, status=403
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@requires(VIEW_PERMISSION)
def inbox(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "waiting")
    if show not in ("waiting", "handled", "all"):
        show = "waiting"
    found = ContactMessage.objects.select_related("handled_by")
    if show == "waiting":
        found = found.filter(handled_at__isnull=True)
    elif show == "handled":
        found = found.filter(handled_at__isnull=False)
    page = Paginator(found, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "pages/admin/inbox.html",
        {
            "found": page,
            "show": show,
            "waiting": ContactMessage.objects.filter(handled_at__isnull=True).count(),
        },
    )


@requires(VIEW_PERMISSION)
def message(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(ContactMessage.objects.select_related("handled_by", "page"), pk=pk)
    return render(
        request,
        "pages/admin/message.html",
        {"message": stored, "can_handle": request.user.has_perm(HANDLE_PERMISSION)},
    )


@require_POST
@requires(HANDLE_PERMISSION)
def message_handled(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(ContactMessage, pk=pk)
    handled = request.POST.get("handled", "1") != "0"
    services.contact_message_set_handled(message_id=stored.pk, user=request.user, handled=handled)
    messages.success(
        request, "Marked as handled." if handled else "Marked as waiting for an answer."
    )
    if handled:
        return redirect("pages_admin:inbox")
    return redirect("pages_admin:message", pk=stored.pk)
