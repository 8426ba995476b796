"""Background work of leads: telling dealers, the shopper and editors, and anonymising."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from paddock.core.mail import send_templated, templated_message
from paddock.core.roles import EDITORS
from paddock.core.urls import absolute_url

from . import adf, policy, services, tokens
from .models import CrmChannel, CrmOutcome, Dealer, Lead, LeadAssignment

logger = logging.getLogger(__name__)


def _lead(lead_id: int) -> Lead | None:
    return (
        Lead.objects.select_related("make", "vehicle_model", "source_article")
        .filter(pk=lead_id, anonymised_at__isnull=True)
        .first()
    )


def _editor_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=EDITORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


@task(backend="background")
def notify_dealers(lead_id: int) -> int:
    """Hand each dealer the lead once: an email for people with the ADF document attached,
    the ADF alone to the CRM lead address, and a POST to the CRM endpoint queued. How many
    dealers were told."""
    lead = _lead(lead_id)
    if lead is None:
        return 0
    sent = 0
    assignments = LeadAssignment.objects.select_related("dealer").filter(
        lead=lead, notified_at__isnull=True
    )
    for assignment in assignments:
        dealer = assignment.dealer
        document = adf.lead_document(lead, dealer)
        recipients = dealer.email_list
        if recipients:
            context = {
                "lead": lead,
                "assignment": assignment,
                "dealer": dealer,
                "url": absolute_url(reverse("leads:portal_detail", args=[lead.pk])),
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            message = templated_message(
                subject=f"New lead: {lead.vehicle_model} near {lead.zip_code}",
                template="leads/email/dealer_lead.txt",
                context=context,
                to=recipients,
            )
            # An attachment, not an alternative part: a mail program shows people the text,
            # and CRMs that read the notification find the ADF in the attachment.
            message.attach(f"lead-{lead.pk}.xml", document, adf.CONTENT_TYPE)
            message.send()
        if dealer.crm_email:
            _send_adf_email(lead, dealer, document)
        if dealer.crm_endpoint:
            post_to_crm.enqueue(lead.pk, dealer.pk, 1)
        if recipients or dealer.crm_email or dealer.crm_endpoint:
            services.assignment_mark_notified(assignment=assignment)
            sent += 1
    return sent


def _send_adf_email(lead: Lead, dealer: Dealer, document: bytes) -> None:
    """The CRM lead address gets the ADF document as the whole plain-text body: the form
    every CRM's lead inbox parses."""
    message = EmailMessage(
        subject=f"Lead {lead.pk}: {lead.make.name} {lead.vehicle_model.name}",
        body=document.decode("utf-8"),
        to=[dealer.crm_email],
    )
    message.send()
    services.crm_delivery_record(
        lead_id=lead.pk,
        dealer_id=dealer.pk,
        channel=CrmChannel.EMAIL,
        attempt=1,
        outcome=CrmOutcome.SENT,
        detail=f"Emailed to {dealer.crm_email}",
    )


@task(backend="background")
def post_to_crm(lead_id: int, dealer_id: int, attempt: int = 1) -> bool:
    """POST the lead's ADF document to the dealer's CRM endpoint; on failure try again later,
    waiting longer each time, and after the last attempt alert the editors. True if accepted."""
    lead = _lead(lead_id)
    dealer = Dealer.objects.filter(pk=dealer_id).first()
    if lead is None or dealer is None or not dealer.crm_endpoint:
        return False
    ok, detail = _post(dealer.crm_endpoint, adf.lead_document(lead, dealer))
    last = attempt >= policy.crm_max_attempts()
    outcome = CrmOutcome.SENT if ok else (CrmOutcome.FAILED if last else CrmOutcome.RETRYING)
    services.crm_delivery_record(
        lead_id=lead_id,
        dealer_id=dealer_id,
        channel=CrmChannel.HTTPS,
        attempt=attempt,
        outcome=outcome,
        detail=detail,
    )
    if ok:
        return True
    if last:
        _alert_crm_failure(lead, dealer, attempt, detail)
    else:
        logger.warning("CRM endpoint of dealer %s failed (%s); retrying", dealer_id, detail)
        when = timezone.now() + dt.timedelta(seconds=policy.crm_backoff_seconds(attempt))
        post_to_crm.using(run_after=when).enqueue(lead_id, dealer_id, attempt + 1)
    return False


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would become a GET elsewhere: a CRM that moved must be set anew.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _post(url: str, document: bytes) -> tuple[bool, str]:
    """POST the document; (accepted, what happened) where accepted means a 2xx answer. Only
    https, or plain http to this machine itself (a CRM stand-in while developing)."""
    parts = urllib.parse.urlsplit(url)
    if not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)):
        return False, f"Refused {parts.scheme or 'no'} scheme: the endpoint must be https://"
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=document,
        method="POST",
        headers={"Content-Type": f"{adf.CONTENT_TYPE}; charset=utf-8"},
    )
    try:
        with _opener.open(request, timeout=policy.crm_timeout_seconds()) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # refused, timed out, TLS, a malformed address
        return False, f"{type(exc).__name__}: {exc}"
    return 200 <= status < 300, f"HTTP {status}"


def _alert_crm_failure(lead: Lead, dealer: Dealer, attempts: int, detail: str) -> None:
    recipients = _editor_emails()
    if not recipients:
        logger.error(
            "CRM delivery of lead %s to dealer %s failed; no editor to tell", lead.pk, dealer.pk
        )
        return
    send_templated(
        subject=f"CRM delivery failed: lead {lead.pk} to {dealer.name}",
        template="leads/email/crm_failed.txt",
        context={
            "lead": lead,
            "dealer": dealer,
            "attempts": attempts,
            "detail": detail,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
        to=recipients,
    )


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
    recipients = _editor_emails()
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
