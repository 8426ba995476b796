"""The sidebar widget on articles, and the demo dealers command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paddock.leads import policy, services
from paddock.leads.management.commands.load_demo_dealers import DEALERS
from paddock.leads.models import AssignmentStatus, Dealer, DealerStaff, Lead, LeadAssignment
from paddock.newsroom.tests.factories import (
    MakeFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

pytestmark = pytest.mark.django_db


def _sidebar(html: str) -> str:
    return html.split('aria-labelledby="quote-widget-heading"', 1)[1].split("</section>", 1)[0]


def test_article_about_a_vehicle_prefills_the_quote_link(client, vehicle):
    article = make_article(make_section(), makes=[vehicle.make], vehicle_models=[vehicle])
    html = client.get(article.url).content.decode()
    widget = _sidebar(html)
    assert "Thinking about the Kaito Motor Nami?" in widget
    assert f'name="make" value="{vehicle.make.slug}"' in widget
    assert 'name="model" value="nami"' in widget
    assert 'method="get"' in widget
    assert "csrfmiddlewaretoken" not in widget


def test_other_pages_get_a_plain_zip_form(client, db):
    make_section()
    widget = _sidebar(client.get("/").content.decode())
    assert 'name="zip"' in widget and 'name="make"' not in widget


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
