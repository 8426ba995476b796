"""The contact form's post and its answer. Thin: the form validates, services write.

The form lives on a standard page that the full-page cache shares between anonymous visitors,
so it posts here rather than to the page: this view is never cached, counts against a rate
limit, and on a mistake renders the page again with the errors and what was typed. A message
that was stored redirects to its answer (POST/redirect/GET), so reloading sends nothing twice.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from paddock.core.once import once
from paddock.core.ratelimit import Limit, client_ip, ratelimit

from . import services
from .forms import ContactForm
from .models import StandardPage

SENT_SESSION_KEY = "pages_contact_sent_to"


def _contact_page(page_id: int) -> StandardPage:
    page = StandardPage.objects.live().public().filter(pk=page_id, show_contact_form=True).first()
    if page is None:
        raise Http404("This page has no contact form.")
    return page


@never_cache
@require_POST
@ratelimit("contact", per_ip=Limit(5, 3600))
@once
def contact_send(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _contact_page(page_id)
    form = ContactForm(request.POST, request=request)
    if form.is_valid():
        data = form.cleaned_data
        services.contact_message_create(
            page=page,
            name=data["name"],
            email=data["email"],
            subject=data["subject"],
            message=data["message"],
            ip_address=client_ip(request),
        )
        request.session[SENT_SESSION_KEY] = data["email"]
        return redirect("pages:contact_sent", page_id=page.pk)
    context = page.get_context(request)
    context["contact_form"] = form
    return render(request, page.get_template(request), context)


@never_cache
@require_GET
def contact_sent(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _contact_page(page_id)
    return render(
        request,
        "pages/contact_sent.html",
        {
            "title": "Your message is with the editors",
            "contact_page": page,
            "sent_to": request.session.get(SENT_SESSION_KEY, ""),
        },
    )
