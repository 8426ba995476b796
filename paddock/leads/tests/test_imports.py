"""Dealers, their staff and leads brought in from elsewhere (an import, the demo): stored as they
were, with their dates and routing, in a few queries, and nobody emailed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from paddock.leads import policy, services
from paddock.leads.models import Dealer, DealerStaff, Lead, LeadAssignment

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dealer(make):
    return services.dealer_save(
        name="Bay Bridge Motors",
        street="1 Main St",
        city="New York",
        state="NY",
        zip_code="10019",
        notification_emails="sales@bay.example",
        makes=[make],
    )


def test_a_dealer_is_saved_once_by_name_and_located(dealer, make):
    assert (dealer.latitude, dealer.longitude) != (None, None)
    again = services.dealer_save(
        name="Bay Bridge Motors",
        street="2 Main St",
        city="New York",
        state="NY",
        zip_code="10001",
        notification_emails="leads@bay.example",
        makes=[make],
        daily_lead_cap=5,
    )
    assert again.pk == dealer.pk and Dealer.objects.count() == 1
    assert (again.zip_code, again.daily_lead_cap, again.email_list) == (
        "10001",
        5,
        ["leads@bay.example"],
    )
    assert list(again.makes.all()) == [make]


def test_a_dealer_with_an_unknown_zip_or_a_bad_address_is_refused(make):
    from django.core.exceptions import ValidationError

    for zip_code, emails in (("00000", "a@b.example"), ("10019", "not an address")):
        with pytest.raises(ValidationError):
            services.dealer_save(
                name="Nowhere Motors",
                street="",
                city="Nowhere",
                state="NY",
                zip_code=zip_code,
                notification_emails=emails,
                makes=[make],
            )
    assert not Dealer.objects.exists()


def test_staff_work_for_one_dealer(dealer, make):
    user = UserFactory()
    services.dealer_staff_set(user=user, dealer=dealer)
    other = services.dealer_save(
        name="Harbour Cars",
        street="",
        city="New York",
        state="NY",
        zip_code="10001",
        notification_emails="sales@harbour.example",
        makes=[make],
    )
    services.dealer_staff_set(user=user, dealer=other)
    assert DealerStaff.objects.get(user=user).dealer == other


def _leads(make, vehicle, count: int, at: dt.datetime) -> list[Lead]:
    return [
        Lead(
            make=make,
            vehicle_model=vehicle,
            timeframe="month",
            zip_code="10001",
            name=f"Shopper {i}",
            email=f"shopper{i}@example.com",
            consent_text=policy.CONSENT_TEXT,
            created_at=at - dt.timedelta(hours=i),
        )
        for i in range(count)
    ]


def test_imported_leads_keep_their_dates_and_dealers_and_nobody_is_emailed(
    dealer, make, vehicle, mailoutbox, django_capture_on_commit_callbacks
):
    at = timezone.now() - dt.timedelta(days=10)
    leads = _leads(make, vehicle, 3, at)
    assignment = LeadAssignment(
        lead=leads[0], dealer=dealer, distance_miles=1.2, status="contacted", notified_at=at
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.leads_bulk_import(leads=leads, assignments=[assignment])
    assert not callbacks and not mailoutbox
    stored = {lead.name: lead for lead in Lead.objects.all()}
    assert {name: lead.created_at for name, lead in stored.items()} == {
        f"Shopper {i}": at - dt.timedelta(hours=i) for i in range(3)
    }
    assert not stored["Shopper 0"].unrouted
    assert stored["Shopper 1"].unrouted and stored["Shopper 2"].unrouted
    routed = LeadAssignment.objects.get()
    assert (routed.lead_id, routed.dealer_id, routed.status) == (
        leads[0].pk,
        dealer.pk,
        "contacted",
    )
    assert routed.created_at == routed.notified_at == at


def test_importing_leads_takes_the_same_queries_for_three_or_fifty(dealer, make, vehicle):
    counts = {}
    # Fifty rows stay within one insert on every database (SQLite's 999 parameters).
    for count in (3, 50):
        leads = _leads(make, vehicle, count, timezone.now())
        assignments = [
            LeadAssignment(lead=lead, dealer=dealer, distance_miles=1.0) for lead in leads
        ]
        with CaptureQueriesContext(connection) as queries:
            services.leads_bulk_import(leads=leads, assignments=assignments)
        counts[count] = len(queries.captured_queries)
    assert counts[3] == counts[50], counts
    assert Lead.objects.count() == LeadAssignment.objects.count() == 53


def test_a_lead_without_consent_or_of_another_makes_model_is_refused(make, vehicle):
    from paddock.newsroom.tests.factories import VehicleModelFactory

    at = timezone.now()
    (no_consent,) = _leads(make, vehicle, 1, at)
    no_consent.consent_text = " "
    (wrong_model,) = _leads(make, VehicleModelFactory(), 1, at)
    for lead in (no_consent, wrong_model):
        with pytest.raises(services.LeadError):
            services.leads_bulk_import(leads=[lead])
    assert not Lead.objects.exists()
