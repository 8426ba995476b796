"""Every write of the leads app: submitting and routing a quote request, dealer status changes,
deletion and anonymisation, and dealers, their staff and leads brought in from elsewhere (an
import, the demo). Everything here runs inside a transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from paddock.core.db import after_commit, rows_update
from paddock.newsroom.models import ArticlePage, Make, VehicleModel

from . import policy
from .geo import POSTAL_CODE_HELP, haversine_miles, normalise_postal, postal_location
from .models import (
    AssignmentStatus,
    CrmDelivery,
    CrmOutcome,
    Dealer,
    DealerStaff,
    Lead,
    LeadAssignment,
    LeadNote,
    LeadStatusChange,
    Timeframe,
)
from .tasks import alert_editors, notify_dealers, send_confirmation


class LeadError(ValueError):
    """A request that cannot be stored; the message says what to fix."""


@dataclass(frozen=True)
class Submission:
    lead: Lead
    duplicate: bool


def _start_of_today() -> dt.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def dealers_for(*, make: Make, zip_code: str) -> list[tuple[Dealer, float]]:
    """Active dealers of the make within the radius with room under today's cap, nearest
    first, at most the policy's number. Rows are locked so two requests cannot both take a
    dealer's last place of the day."""
    origin = postal_location(zip_code)
    if origin is None:
        raise LeadError(f"{zip_code!r} is not {POSTAL_CODE_HELP} we know.")
    today = _start_of_today()
    candidates = (
        Dealer.objects.select_for_update()
        .filter(active=True, makes=make, latitude__isnull=False, longitude__isnull=False)
        .order_by("pk")
    )
    # Filter first, then count: an aggregate cannot go with FOR UPDATE on PostgreSQL.
    candidates = list(candidates)
    taken = dict(
        Dealer.objects.filter(pk__in=[d.pk for d in candidates])
        .annotate(today=Count("assignments", filter=Q(assignments__created_at__gte=today)))
        .values_list("pk", "today")
    )
    radius = policy.radius_miles()
    ranked = []
    for dealer in candidates:
        distance = haversine_miles(origin, (dealer.latitude, dealer.longitude))
        if distance <= radius and taken.get(dealer.pk, 0) < dealer.daily_lead_cap:
            ranked.append((dealer, distance))
    ranked.sort(key=lambda pair: (pair[1], pair[0].pk))
    return ranked[: policy.max_dealers()]


def lead_route(*, lead: Lead) -> list[LeadAssignment]:
    """Assign the lead to the nearest suitable dealers; none found marks it unrouted and
    alerts the editors. The shopper is told either way."""
    with transaction.atomic():
        assignments = _assign(lead)

        lead_id = lead.pk
        if assignments:
            after_commit(
                lambda: notify_dealers.enqueue(lead_id), what=f"dealers' notice of lead {lead_id}"
            )
        else:
            after_commit(
                lambda: alert_editors.enqueue(lead_id), what=f"editors' alert of lead {lead_id}"
            )
        after_commit(
            lambda: send_confirmation.enqueue(lead_id), what=f"confirmation of lead {lead_id}"
        )
    return assignments


def lead_reroute(*, lead_id: int) -> list[LeadAssignment]:
    """Route an unrouted lead again, typically after a dealer was added. Found dealers are
    notified and the shopper learns who will call; when none is found yet the lead stays
    unrouted and nobody is emailed again (the editors were alerted when it came in)."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().select_related("make").filter(pk=lead_id).first()
        if lead is None:
            raise LeadError("This lead no longer exists; the shopper may have deleted it.")
        if not lead.unrouted:
            raise LeadError(f"Lead {lead.pk} already went to dealers; it cannot be routed again.")
        if lead.anonymised_at is not None:
            raise LeadError(
                f"Lead {lead.pk} was anonymised: no dealer could contact the shopper any more."
            )
        assignments = _assign(lead)
        if assignments:
            after_commit(
                lambda: notify_dealers.enqueue(lead_id), what=f"dealers' notice of lead {lead_id}"
            )
            after_commit(
                lambda: send_confirmation.enqueue(lead_id), what=f"confirmation of lead {lead_id}"
            )
    return assignments


def _assign(lead: Lead) -> list[LeadAssignment]:
    assignments = [
        LeadAssignment.objects.create(lead=lead, dealer=dealer, distance_miles=distance)
        for dealer, distance in dealers_for(make=lead.make, zip_code=lead.zip_code)
    ]
    lead.unrouted = not assignments
    lead.save(update_fields=["unrouted"])
    return assignments


def lead_submit(
    *,
    make: Make,
    vehicle_model: VehicleModel,
    year: int | None,
    trim: str,
    timeframe: str,
    zip_code: str,
    name: str,
    email: str,
    phone: str,
    consent_text: str,
    source_article: ArticlePage | None = None,
) -> Submission:
    """Store and route a quote request; a repeat within the window (same address and make) is
    dropped, leaving the first one as it was."""
    if vehicle_model.make_id != make.pk:
        raise LeadError(f"{vehicle_model.name} is not a {make.name} model.")
    zip_code = normalise_postal(zip_code)
    if postal_location(zip_code) is None:
        raise LeadError(f"{zip_code!r} is not {POSTAL_CODE_HELP} we know.")
    if not consent_text.strip():
        raise LeadError("A lead needs the consent text the shopper agreed to.")
    if timeframe and timeframe not in Timeframe.values:
        raise LeadError(
            f"Unknown timeframe {timeframe!r}; leave it blank if the shopper is unsure."
        )
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        first = (
            Lead.objects.select_for_update()
            .filter(
                email__iexact=email,
                make=make,
                anonymised_at__isnull=True,
                created_at__gte=now - dt.timedelta(days=policy.duplicate_days()),
            )
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            # Anyone can type the shopper's address: a repeat changes nothing of the first
            # request, and the caller shows the submitter nothing of it.
            return Submission(lead=first, duplicate=True)
        lead = Lead.objects.create(
            make=make,
            vehicle_model=vehicle_model,
            year=year,
            trim=trim.strip(),
            timeframe=timeframe,
            zip_code=zip_code,
            name=name.strip(),
            email=email,
            phone=phone,
            consent_text=consent_text,
            source_article=source_article,
        )
        lead_route(lead=lead)
    return Submission(lead=lead, duplicate=False)


def assignment_set_status(
    *, dealer: Dealer, assignment_id: int, status: str, by=None
) -> LeadAssignment:
    """A dealer records its progress on one of its own leads; the change joins the lead's
    status history with who made it."""
    if status not in AssignmentStatus.values:
        raise LeadError(f"Unknown status {status!r}; use one of {', '.join(AssignmentStatus)}.")
    with transaction.atomic():
        assignment = LeadAssignment.objects.select_for_update().get(pk=assignment_id, dealer=dealer)
        if assignment.status != status:
            LeadStatusChange.objects.create(
                assignment=assignment,
                changed_by=by,
                old_status=assignment.status,
                new_status=status,
            )
            assignment.status = status
            assignment.status_changed_at = timezone.now()
            assignment.save(update_fields=["status", "status_changed_at"])
    return assignment


NOTE_MAX_LENGTH = 2000


def assignment_note_add(*, dealer: Dealer, assignment_id: int, author, text: str) -> LeadNote:
    """A dealer's staff member notes something on one of the dealer's own leads."""
    text = text.strip()
    if not text:
        raise LeadError("Write the note before saving it.")
    if len(text) > NOTE_MAX_LENGTH:
        raise LeadError(f"A note holds at most {NOTE_MAX_LENGTH} characters; shorten it.")
    if any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in text):
        raise LeadError("Notes cannot contain control characters.")
    with transaction.atomic():
        assignment = LeadAssignment.objects.get(pk=assignment_id, dealer=dealer)
        return LeadNote.objects.create(assignment=assignment, author=author, text=text)


@transaction.atomic
def dealer_settings_update(*, dealer: Dealer, notification_emails: str, crm_email: str) -> Dealer:
    """A dealer's staff change where the dealer's leads are emailed. The CRM endpoint is set
    by the editors only: the site POSTs shoppers' details to it."""
    dealer.notification_emails, dealer.crm_email = notification_emails.strip(), crm_email.strip()
    try:
        dealer.full_clean(exclude=["makes"])
    except ValidationError as exc:
        raise LeadError(" ".join(exc.messages)) from exc
    dealer.save(update_fields=["notification_emails", "crm_email"])
    return dealer


def assignment_mark_notified(*, assignment: LeadAssignment) -> None:
    """The dealer was emailed this lead."""
    now = timezone.now()
    LeadAssignment.objects.filter(pk=assignment.pk).update(notified_at=now)
    assignment.notified_at = now


def crm_delivery_record(
    *, lead_id: int, dealer_id: int, channel: str, attempt: int, outcome: str, detail: str = ""
) -> CrmDelivery:
    """Log one attempt to hand a lead to a dealer's CRM."""
    if outcome not in CrmOutcome.values:
        raise LeadError(f"Unknown outcome {outcome!r}; use one of {', '.join(CrmOutcome)}.")
    return CrmDelivery.objects.create(
        lead_id=lead_id,
        dealer_id=dealer_id,
        channel=channel,
        attempt=attempt,
        outcome=outcome,
        detail=detail[:300],
    )


def lead_delete(*, lead_id: int) -> bool:
    """The shopper asked for deletion: the lead and every dealer's copy go; False if gone."""
    with transaction.atomic():
        deleted, _ = Lead.objects.filter(pk=lead_id).delete()
    return bool(deleted)


def leads_anonymise(*, older_than_days: int | None = None, dry_run: bool = False) -> int:
    """Blank the personal fields of leads older than the retention period, and drop the
    dealers' notes on them; how many."""
    days = policy.retention_days() if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    with transaction.atomic():
        due = Lead.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True)
        if dry_run:
            return due.count()
        # Dealers' notes talk about the shopper; the status history stays for the statistics.
        LeadNote.objects.filter(assignment__lead__in=due).delete()
        return due.update(name="", email="", phone="", trim="", anonymised_at=timezone.now())


# --- Dealers, staff and leads brought in from elsewhere ---------------------------------------


@transaction.atomic
def dealer_save(
    *,
    name: str,
    street: str,
    city: str,
    state: str,
    zip_code: str,
    notification_emails: str,
    makes: list[Make],
    active: bool = True,
    daily_lead_cap: int = 20,
    crm_email: str = "",
    crm_endpoint: str = "",
) -> Dealer:
    """The dealer of this name, created or brought up to date: its address (located from the
    ZIP code, as routing needs), the makes it sells, where its leads are emailed and the CRM
    lead address and HTTPS endpoint that take them as ADF documents."""
    dealer = Dealer.objects.filter(name=name).order_by("pk").first() or Dealer(name=name)
    dealer.street, dealer.city, dealer.state, dealer.zip_code = street, city, state, zip_code
    dealer.notification_emails = notification_emails
    dealer.crm_email, dealer.crm_endpoint = crm_email, crm_endpoint
    dealer.active, dealer.daily_lead_cap = active, daily_lead_cap
    dealer.full_clean(exclude=["makes"])
    dealer.save()
    dealer.makes.set(makes)
    return dealer


@transaction.atomic
def dealer_staff_set(*, user, dealer: Dealer) -> DealerStaff:
    """The account works for this dealer from now on, and sees its leads in the portal."""
    staff, _ = DealerStaff.objects.update_or_create(user=user, defaults={"dealer": dealer})
    return staff


def leads_bulk_import(*, leads: list[Lead], assignments: list[LeadAssignment] = ()) -> list[Lead]:
    """Store leads taken elsewhere, with their own dates and the dealers they went to, in a
    few queries whatever their number: nothing is routed and nobody is emailed.

    Each lead comes with its created_at; each assignment with its lead (one of `leads`), dealer,
    distance, status and notified_at, and is dated with its lead. A lead with no assignment is
    unrouted. A lead is checked as a submitted one is: a model of its make, a known ZIP code,
    the consent text the shopper agreed to.
    """
    for lead in leads:
        if lead.vehicle_model.make_id != lead.make_id:
            raise LeadError(f"{lead.vehicle_model.name} is not a model of make {lead.make_id}.")
        lead.zip_code = normalise_postal(lead.zip_code)
        if postal_location(lead.zip_code) is None:
            raise LeadError(f"{lead.zip_code!r} is not {POSTAL_CODE_HELP} we know.")
        if not lead.consent_text.strip():
            raise LeadError("A lead needs the consent text the shopper agreed to.")
        if lead.created_at is None:
            raise LeadError("An imported lead needs the date it was received.")
    routed = {id(assignment.lead) for assignment in assignments}
    for lead in leads:
        lead.unrouted = id(lead) not in routed
    dates = [lead.created_at for lead in leads]
    with transaction.atomic():
        Lead.objects.bulk_create(leads)
        # created_at is auto_now_add, so bulk_create stamped "now": the leads' own dates go
        # in afterwards, in one executemany, and their assignments take them.
        for lead, date in zip(leads, dates, strict=True):
            lead.created_at = date
        rows_update(Lead, ["created_at"], [(lead.pk, lead.created_at) for lead in leads])
        for assignment in assignments:
            assignment.lead = assignment.lead  # now saved: sets lead_id, keeps the object
        LeadAssignment.objects.bulk_create(assignments)
        rows_update(
            LeadAssignment,
            ["created_at"],
            [(a.pk, a.lead.created_at) for a in assignments],
        )
        for assignment in assignments:
            assignment.created_at = assignment.lead.created_at
    return leads
