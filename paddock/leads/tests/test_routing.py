"""Routing with real ZIP distances: nearest first, radius, caps, make filter, repeats, no match."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paddock.leads import policy, services
from paddock.leads.models import Lead, LeadAssignment
from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory

from .factories import DealerFactory, LeadAssignmentFactory

pytestmark = pytest.mark.django_db

SHOPPER_ZIP = "10001"  # Midtown Manhattan


def submit(vehicle, *, email="pat@example.com", zip_code=SHOPPER_ZIP):
    return services.lead_submit(
        make=vehicle.make,
        vehicle_model=vehicle,
        year=None,
        trim="",
        timeframe="month",
        zip_code=zip_code,
        name="Pat Shopper",
        email=email,
        phone="+12125550147",
        consent_text=policy.CONSENT_TEXT,
    )


def dealer_names(lead):
    return [
        a.dealer.name for a in lead.assignments.select_related("dealer").order_by("distance_miles")
    ]


def test_nearest_three_dealers_first(vehicle):
    for name, zip_code in [
        ("Yonkers", "10701"),  # 15 miles
        ("Brooklyn", "11201"),  # 3.8 miles
        ("Midtown", "10019"),  # 1.3 miles
        ("Jersey City", "07302"),  # 3.2 miles
    ]:
        DealerFactory(name=name, zip_code=zip_code, makes=[vehicle.make])
    lead = submit(vehicle).lead
    assert dealer_names(lead) == ["Midtown", "Jersey City", "Brooklyn"]
    distances = list(lead.assignments.values_list("distance_miles", flat=True))
    assert distances == sorted(distances)
    assert 1.0 < distances[0] < 1.6
    assert not lead.unrouted


def test_radius_setting_limits_the_distance(vehicle, settings):
    DealerFactory(name="Philadelphia", zip_code="19103", makes=[vehicle.make])  # 83 miles
    DealerFactory(name="Boston", zip_code="02108", makes=[vehicle.make])  # 188 miles
    assert dealer_names(submit(vehicle, email="a@example.com").lead) == ["Philadelphia"]
    settings.PADDOCK_LEADS_RADIUS_MILES = 50
    assert dealer_names(submit(vehicle, email="b@example.com").lead) == []


def test_dealer_over_its_daily_cap_is_skipped(vehicle):
    full = DealerFactory(name="Full", zip_code="10019", daily_lead_cap=1, makes=[vehicle.make])
    DealerFactory(name="Open", zip_code="10701", makes=[vehicle.make])
    LeadAssignmentFactory(dealer=full)  # today's one lead
    assert dealer_names(submit(vehicle).lead) == ["Open"]


def test_yesterdays_leads_do_not_count_against_the_cap(vehicle):
    dealer = DealerFactory(name="Fresh", zip_code="10019", daily_lead_cap=1, makes=[vehicle.make])
    old = LeadAssignmentFactory(dealer=dealer)
    LeadAssignment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert dealer_names(submit(vehicle).lead) == ["Fresh"]


def test_only_active_dealers_of_the_make(vehicle):
    other_make = MakeFactory(name="Velora")
    DealerFactory(name="Wrong make", zip_code="10019", makes=[other_make])
    DealerFactory(name="Inactive", zip_code="10019", active=False, makes=[vehicle.make])
    DealerFactory(name="Right", zip_code="11201", makes=[vehicle.make, other_make])
    assert dealer_names(submit(vehicle).lead) == ["Right"]


def test_repeat_within_thirty_days_is_dropped_and_changes_nothing(vehicle):
    DealerFactory(zip_code="10019", makes=[vehicle.make])
    first = submit(vehicle, email="Pat@Example.com")
    before = Lead.objects.filter(pk=first.lead.pk).values().get()
    again = submit(vehicle, email="pat@example.com")
    assert not first.duplicate and again.duplicate
    assert again.lead.pk == first.lead.pk
    assert Lead.objects.count() == 1
    assert LeadAssignment.objects.count() == 1
    # Anyone can type the shopper's address: the first request stays as it was.
    assert Lead.objects.filter(pk=first.lead.pk).values().get() == before


def test_other_make_or_after_thirty_days_is_a_new_lead(vehicle):
    DealerFactory(zip_code="10019", makes=[vehicle.make])
    first = submit(vehicle).lead
    other = VehicleModelFactory(make=MakeFactory(name="Dufour"), name="Ambre")
    assert not submit(other).duplicate
    Lead.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert not submit(vehicle).duplicate
    assert Lead.objects.count() == 3


def test_no_dealer_keeps_the_lead_unrouted_and_alerts_editors(
    vehicle, django_capture_on_commit_callbacks
):
    DealerFactory(name="Chicago", zip_code="60610", makes=[vehicle.make])  # 711 miles
    with django_capture_on_commit_callbacks() as callbacks:
        lead = submit(vehicle).lead
    assert lead.unrouted
    assert lead.assignments.count() == 0
    assert Lead.objects.filter(pk=lead.pk, unrouted=True).exists()
    assert len(callbacks) == 2  # the editors' alert and the shopper's confirmation


def test_model_of_another_make_is_refused(vehicle):
    other = VehicleModelFactory(make=MakeFactory(name="Dufour"), name="Ambre")
    with pytest.raises(services.LeadError):
        services.lead_submit(
            make=vehicle.make,
            vehicle_model=other,
            year=None,
            trim="",
            timeframe="month",
            zip_code=SHOPPER_ZIP,
            name="Pat",
            email="p@example.com",
            phone="+12125550147",
            consent_text=policy.CONSENT_TEXT,
        )
    assert Lead.objects.count() == 0
