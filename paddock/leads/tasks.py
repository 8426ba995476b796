"""Background work of leads: telling dealers, the shopper and editors, and anonymising."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from paddock.core.mail import send_templated
from paddock.core.roles import EDITORS
from paddock.core.urls import absolute_url

from . import policy, services, tokens
from .models import Lead, LeadAssignment

logger = logging.getLogger(__name__)


def _lead(lead_id: int) -> Lead | None:
    return (
        Lead.objects.select_related("make", "vehicle_model")
        .filter(pk=lead_id, anonymised_at__isnull=True)
        .first()
    )


@task(backend="background")
def notify_dealers(lead_id: int) -> int:
    """Email each dealer the lead once; how many dealers were told."""
    lead = _lead(lead_id)
    if lead is None:
        return 0
    sent = 0
    assignments = LeadAssignment.objects.select_related("dealer").filter(
        lead=lead, notified_at__isnull=True
    )
    for assignment in assignments:
        recipients = assignment.dealer.email_list
        if not recipients:
            continue
        context = {
            "lead": lead,
            "assignment": assignment,
            "dealer": assignment.dealer,
            "url": absolute_url(reverse("leads:portal_detail", args=[assignment.pk])),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        send_templated(
            subject=f"New lead: {lead.vehicle_model} near {lead.zip_code}",
            template="leads/email/dealer_lead.txt",
            context=context,
            to=recipients,
        )
        services.assignment_mark_notified(assignment=assignment)
        sent += 1
    return sent


@task(backend="background")
def send_confirmation(lead_id: int) -> bool:
    """Tell the shopper which dealers will be in touch, with a link to delete the request."""
    lead = _lead(lead_id)
    if lead is None or not lead.email:
        return False
    dealers = [a.dealer for a in lead.assignments.select_related("dealer")]
    context = {
        "lead": lead,
        "dealers": dealers,
        "delete_url": absolute_url(reverse("leads:delete", args=[tokens.delete_token(lead.pk)])),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_templated(
        subject=f"Your quote request for the {lead.vehicle_model}",
        template="leads/email/confirmation.txt",
        context=context,
        to=[lead.email],
    )
    return True


@task(backend="background")
def alert_editors(lead_id: int) -> int:
    """No dealer took the lead: the editors hear of it, to find one. How many were told."""
    lead = _lead(lead_id)
    if lead is None:
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=EDITORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    context = {
        "lead": lead,
        "url": absolute_url(reverse("leads_admin:unrouted")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_templated(
        subject=f"Unrouted lead: no dealer for the {lead.vehicle_model} near {lead.zip_code}",
        template="leads/email/unrouted.txt",
        context=context,
        to=recipients,
    )
    return len(recipients)


@task(backend="background")
def anonymise_leads() -> int:
    """Blank the personal fields of leads past the retention period; how many. Queued every
    hour by the scheduler (settings.PADDOCK_SCHEDULE), so no lead outlives it by much."""
    count = services.leads_anonymise()
    if count:
        logger.info("Anonymised %d leads older than %d days.", count, policy.retention_days())
    return count
