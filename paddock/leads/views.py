"""Views of leads: the public quote form and its sequels, and the dealer portal. Thin: forms
validate, services write, selectors scope every dealer query to the dealer's own leads."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from paddock.core.once import once
from paddock.core.pagination import page_number
from paddock.core.ratelimit import Limit, ratelimit

from . import selectors, services, tokens
from .csv_export import phone_cell, safe_cell
from .forms import DealerSettingsForm, NoteForm, QuoteForm, StatusForm
from .geo import normalise_postal, postal_country
from .models import AssignmentStatus, Lead

PORTAL_PAGE_SIZE = 50


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("lead", per_ip=Limit(10, 3600))
@once
def quote(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = QuoteForm(request.POST, request=request)
        if form.is_valid():
            try:
                submission = services.lead_submit(**form.service_kwargs())
            except services.LeadError as exc:
                form.add_error(None, str(exc))
            else:
                if submission.duplicate:
                    # The first request may be someone else's: show nothing of it.
                    return redirect("leads:received")
                return redirect("leads:sent", token=tokens.confirm_token(submission.lead.pk))
    else:
        initial = {}
        make_slug, model_slug = request.GET.get("make", ""), request.GET.get("model", "")
        if make_slug and len(make_slug) <= 60:
            initial["make"] = make_slug
        if model_slug and len(model_slug) <= 60:
            initial["model"] = model_slug
        article = request.GET.get("article", "")
        if article.isdigit() and len(article) <= 10:
            initial["article"] = article
        zip_code = normalise_postal(request.GET.get("zip", "")[:10])
        if postal_country(zip_code):
            initial["zip_code"] = zip_code
        form = QuoteForm(initial=initial, request=request)
    return render(request, "leads/quote.html", {"form": form, "title": "Get a free dealer quote"})


# What the "Show models" button carries back into the form; never the honeypot or stamp.
_KEPT_FIELDS = ("make", "model", "year", "trim", "timeframe", "zip_code", "name", "email", "phone")


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("quote_models", per_ip=Limit(60, 3600))
def quote_models(request: HttpRequest) -> HttpResponse:
    """The model list for the chosen make. With JavaScript, htmx asks for the list alone (GET,
    the make only); without it, the form's "Show models" button posts the whole form here and
    gets it back as it was, with the make's models to choose from. Nothing is stored."""
    if request.method == "GET":
        make = request.GET.get("make", "")[:60]
        if not request.htmx:
            return redirect(f"{reverse('leads:quote')}?{urlencode({'make': make})}")
        form = QuoteForm(initial={"make": make}, request=request)
        return render(request, "leads/includes/model_field.html", {"form": form})
    initial = {name: request.POST.get(name, "")[:254] for name in _KEPT_FIELDS}
    initial["consent"] = request.POST.get("consent") == "on"
    article = request.POST.get("article", "")
    if article.isdigit() and len(article) <= 10:
        initial["article"] = article
    form = QuoteForm(initial=initial, request=request)
    return render(request, "leads/quote.html", {"form": form, "title": "Get a free dealer quote"})


@never_cache
def quote_sent(request: HttpRequest, token: str) -> HttpResponse:
    lead_id = tokens.confirm_lead_id(token)
    lead = (
        Lead.objects.select_related("vehicle_model__make").filter(pk=lead_id).first()
        if lead_id
        else None
    )
    if lead is None:
        raise Http404("This confirmation link has expired.")
    dealers = [a.dealer for a in lead.assignments.select_related("dealer")]
    return render(
        request,
        "leads/sent.html",
        {"lead": lead, "dealers": dealers, "title": "Your quote request is on its way"},
    )


@never_cache
def quote_received(request: HttpRequest) -> HttpResponse:
    """The answer to a repeat of a recent request for the same make from the same address."""
    return render(request, "leads/received.html", {"title": "Your quote request is on its way"})


@never_cache
@require_http_methods(["GET", "POST"])
def lead_delete(request: HttpRequest, token: str) -> HttpResponse:
    lead_id = tokens.delete_lead_id(token)
    if lead_id is None:
        raise Http404("This deletion link is not valid.")
    if request.method == "POST":
        services.lead_delete(lead_id=lead_id)
        return render(request, "leads/deleted.html", {"title": "Your request was deleted"})
    exists = Lead.objects.filter(pk=lead_id).exists()
    return render(
        request, "leads/delete.html", {"exists": exists, "title": "Delete your quote request"}
    )


def _dealer_or_403(request: HttpRequest):
    dealer = selectors.dealer_for(request)
    if dealer is None:
        raise PermissionDenied("Only dealer staff can open the dealer portal.")
    return dealer


def _portal(request: HttpRequest, template: str, dealer, section: str, **context):
    return render(request, template, {"dealer": dealer, "section": section, **context})


@never_cache
@login_required
def portal(request: HttpRequest) -> HttpResponse:
    dealer = _dealer_or_403(request)
    assignments = selectors.dealer_assignments(dealer)
    status = request.GET.get("status", "")
    if status in AssignmentStatus.values:
        assignments = assignments.filter(status=status)
    else:
        status = ""
    page = Paginator(assignments, PORTAL_PAGE_SIZE).get_page(page_number(request))
    return _portal(
        request,
        "leads/portal_list.html",
        dealer,
        "leads",
        assignments=page,
        statuses=AssignmentStatus.choices,
        status=status,
        title=f"Leads for {dealer.name}",
    )


def _assignment_or_404(dealer, lead_id: int):
    # Lead numbers are the same everywhere: URL, page, emails, CSV and ADF.
    return get_object_or_404(selectors.dealer_assignments(dealer), lead_id=lead_id)


@never_cache
@login_required
def portal_detail(request: HttpRequest, lead_id: int, note_form: NoteForm | None = None):
    dealer = _dealer_or_403(request)
    assignment = _assignment_or_404(dealer, lead_id)
    return _portal(
        request,
        "leads/portal_detail.html",
        dealer,
        "leads",
        assignment=assignment,
        lead=assignment.lead,
        history=selectors.dealer_assignment_history(assignment),
        crm_log=selectors.crm_log(assignment),
        form=StatusForm(initial={"status": assignment.status}),
        note_form=note_form or NoteForm(),
        title=f"Lead {assignment.lead_id}",
    )


@login_required
@require_POST
def portal_status(request: HttpRequest, lead_id: int) -> HttpResponse:
    dealer = _dealer_or_403(request)
    assignment = _assignment_or_404(dealer, lead_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.assignment_set_status(
            dealer=dealer,
            assignment_id=assignment.pk,
            status=form.cleaned_data["status"],
            by=request.user,
        )
        label = AssignmentStatus(form.cleaned_data["status"]).label
        messages.success(request, f"Status saved: {label}.")
    else:
        messages.error(request, "Choose one of the statuses in the list.")
    return redirect("leads:portal_detail", lead_id=assignment.lead_id)


@login_required
@require_POST
@ratelimit("lead_note", per_user=Limit(120, 3600))
def portal_note(request: HttpRequest, lead_id: int) -> HttpResponse:
    dealer = _dealer_or_403(request)
    assignment = _assignment_or_404(dealer, lead_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_note_add(
                dealer=dealer,
                assignment_id=assignment.pk,
                author=request.user,
                text=form.cleaned_data["text"],
            )
        except services.LeadError as exc:
            form.add_error("text", str(exc))
        else:
            return redirect("leads:portal_detail", lead_id=assignment.lead_id)
    return portal_detail(request, lead_id, note_form=form)


@never_cache
@login_required
def portal_stats(request: HttpRequest) -> HttpResponse:
    dealer = _dealer_or_403(request)
    return _portal(
        request,
        "leads/portal_stats.html",
        dealer,
        "stats",
        stats=selectors.dealer_stats(dealer),
        title=f"Statistics for {dealer.name}",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def portal_settings(request: HttpRequest) -> HttpResponse:
    dealer = _dealer_or_403(request)
    saved = False
    if request.method == "POST":
        form = DealerSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.dealer_settings_update(dealer=dealer, **form.cleaned_data)
            except services.LeadError as exc:
                form.add_error(None, str(exc))
            else:
                saved = True
    else:
        form = DealerSettingsForm(
            initial={
                "notification_emails": dealer.notification_emails,
                "crm_email": dealer.crm_email,
            }
        )
    return _portal(
        request,
        "leads/portal_settings.html",
        dealer,
        "settings",
        form=form,
        saved=saved,
        title=f"Settings for {dealer.name}",
    )


@never_cache
@login_required
def portal_export(request: HttpRequest) -> HttpResponse:
    dealer = _dealer_or_403(request)
    filename = f"leads-{slugify(dealer.name)[:50] or 'dealer'}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "lead",
            "received",
            "status",
            "make",
            "model",
            "year",
            "trim",
            "timeframe",
            "zip",
            "miles",
            "name",
            "email",
            "phone",
        ]
    )
    for a in selectors.dealer_assignments(dealer).iterator(chunk_size=500):
        lead = a.lead
        writer.writerow(
            [
                *(
                    safe_cell(v)
                    for v in (
                        lead.pk,
                        a.created_at.isoformat(),
                        a.status,
                        lead.make.name,
                        lead.vehicle_model.name,
                        lead.year or "",
                        lead.trim,
                        lead.get_timeframe_display(),
                        lead.zip_code,
                        round(a.distance_miles, 1),
                        lead.name,
                        lead.email,
                    )
                ),
                phone_cell(lead.phone),
            ]
        )
    return response
