"""Lead emails go through the database task queue and a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_tasks_db.models import DBTaskResult

from paddock.core.roles import EDITORS
from paddock.leads import policy, services
from paddock.leads.models import Lead, LeadAssignment
from paddock.newsroom.tests.factories import MakeFactory, UserFactory, VehicleModelFactory

from .factories import DealerFactory

# The worker closes its database connections when it stops, which would end the per-test
# transaction: these tests commit for real instead.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _submit(vehicle, email="pat@example.com"):
    return services.lead_submit(
        make=vehicle.make,
        vehicle_model=vehicle,
        year=2026,
        trim="GT",
        timeframe="now",
        zip_code="10001",
        name="Pat Shopper",
        email=email,
        phone="+12125550147",
        consent_text=policy.CONSENT_TEXT,
    )


def test_dealers_and_shopper_are_emailed_once(drain_background_tasks, smtp_server):
    vehicle = VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")
    DealerFactory(
        name="Midtown Kaito",
        zip_code="10019",
        makes=[vehicle.make],
        notification_emails="sales@midtown.example, boss@midtown.example",
    )
    DealerFactory(
        name="Yonkers Kaito",
        zip_code="10701",
        makes=[vehicle.make],
        notification_emails="leads@yonkers.example",
    )
    lead = _submit(vehicle).lead
    assert DBTaskResult.objects.count() == 2  # dealers and shopper, queued not sent inline
    assert smtp_server.messages == []
    drain_background_tasks()
    by_to = {m["To"]: m for m in smtp_server.messages}
    assert set(by_to) == {
        "sales@midtown.example, boss@midtown.example",
        "leads@yonkers.example",
        "pat@example.com",
    }
    dealer_mail = by_to["leads@yonkers.example"].get_body(("plain",)).get_content()
    assert "Pat Shopper" in dealer_mail and "+12125550147" in dealer_mail
    assert "/dealer/leads/" in dealer_mail
    confirmation = by_to["pat@example.com"].get_content()
    assert "Midtown Kaito" in confirmation and "Yonkers Kaito" in confirmation
    assert policy.CONSENT_TEXT in confirmation
    assert not LeadAssignment.objects.filter(lead=lead, notified_at__isnull=True).exists()

    # A repeat within the window is merged: nobody is emailed again.
    assert _submit(vehicle, email="PAT@example.com").duplicate
    drain_background_tasks()
    assert len(smtp_server.messages) == 3

    # The signed link in the confirmation deletes the lead and every dealer's copy.
    delete_url = re.search(r"http\S+/quote/delete/\S+/", confirmation).group(0)
    path = delete_url.split("://", 1)[1].split("/", 1)[1]
    client = Client()
    assert client.get("/" + path).status_code == 200
    assert client.post("/" + path).status_code == 200
    assert not Lead.objects.filter(pk=lead.pk).exists()
    assert not LeadAssignment.objects.exists()


def test_unrouted_lead_alerts_editors(drain_background_tasks, smtp_server):
    editor = UserFactory(username="eddie", email="eddie@paddock.example")
    editor.groups.add(Group.objects.get_or_create(name=EDITORS)[0])
    UserFactory(username="reader", email="reader@example.com")
    vehicle = VehicleModelFactory(make=MakeFactory(name="Velora"), name="Passo")
    lead = _submit(vehicle).lead
    assert lead.unrouted
    drain_background_tasks()
    by_to = {m["To"]: m for m in smtp_server.messages}
    assert set(by_to) == {"eddie@paddock.example", "pat@example.com"}
    assert "Unrouted lead" in by_to["eddie@paddock.example"]["Subject"]
    assert "/admin/leads/unrouted/" in by_to["eddie@paddock.example"].get_content()
    assert "our team will look for one" in by_to["pat@example.com"].get_content()


def test_a_queued_anonymisation_runs_on_the_worker(settings, drain_background_tasks):
    from django.utils import timezone

    from paddock.leads import tasks

    from .factories import LeadFactory

    settings.PADDOCK_LEADS_RETENTION_DAYS = 30
    old = LeadFactory()
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    result = tasks.anonymise_leads.enqueue()  # what run_scheduler does when the hour is up
    drain_background_tasks()
    result.refresh()
    assert result.return_value == 1
    old.refresh_from_db()
    assert old.anonymised_at is not None and old.email == ""
