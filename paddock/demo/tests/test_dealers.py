"""The demo dealers command: dealers, staff logins and leads in every status."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paddock.demo.content import DEALERS
from paddock.leads import policy, services
from paddock.leads.models import AssignmentStatus, Dealer, DealerStaff, Lead, LeadAssignment
from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory

pytestmark = pytest.mark.django_db


def test_load_demo_dealers_is_idempotent_and_covers_every_status():
    for name in ["Ardent", "Dufour", "Halvorsen", "Hanbit", "Kaito", "Sorrel", "Tianhe", "Velora"]:
        VehicleModelFactory(make=MakeFactory(name=name), name=f"{name} One")
    out = io.StringIO()
    call_command("load_demo_dealers", stdout=out)
    call_command("load_demo_dealers", stdout=io.StringIO())
    assert Dealer.objects.count() == len(DEALERS)
    assert Dealer.objects.values("state").distinct().count() >= 5
    assert not Dealer.objects.filter(latitude__isnull=True).exists()
    assert DealerStaff.objects.count() == len(DEALERS)
    assert Lead.objects.count() >= 30
    statuses = set(LeadAssignment.objects.values_list("status", flat=True))
    assert statuses == set(AssignmentStatus.values)
    # Every demo lead went where routing would send it: near enough, received when the lead was.
    radius = policy.radius_miles()
    for assignment in LeadAssignment.objects.select_related("lead"):
        assert assignment.distance_miles <= radius
        assert assignment.created_at == assignment.lead.created_at
    # Some shoppers are beyond every dealer's reach: really so, not just flagged.
    far = Lead.objects.filter(unrouted=True)
    assert far.count() == 2 and not LeadAssignment.objects.filter(lead__in=far).exists()
    for lead in far:
        assert services.dealers_for(make=lead.make, zip_code=lead.zip_code) == []
    assert "paddock-demo" in out.getvalue()


def test_load_demo_dealers_needs_the_demo_makes():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_dealers", stdout=io.StringIO())
