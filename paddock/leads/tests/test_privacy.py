"""Privacy: anonymisation after the retention period and the signed deletion link."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from paddock.leads import tokens
from paddock.leads.models import Lead, LeadNote

from .factories import LeadAssignmentFactory, LeadFactory

pytestmark = pytest.mark.django_db


def test_anonymise_blanks_personal_fields_after_retention(settings):
    settings.PADDOCK_LEADS_RETENTION_DAYS = 30
    old, new = LeadFactory(trim="GT"), LeadFactory()
    old_note = LeadNote.objects.create(
        assignment=LeadAssignmentFactory(lead=old), text="Pat's wife prefers the red one"
    )
    new_note = LeadNote.objects.create(assignment=LeadAssignmentFactory(lead=new), text="Call")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    out = io.StringIO()
    call_command("anonymise_leads", "--dry-run", stdout=out)
    assert "Would anonymise 1 leads" in out.getvalue()
    assert Lead.objects.get(pk=old.pk).email
    call_command("anonymise_leads", stdout=io.StringIO())
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.email, old.phone, old.trim) == ("", "", "", "")
    assert old.anonymised_at is not None
    assert old.zip_code and old.make_id  # statistics survive
    assert new.email and new.anonymised_at is None
    assert not LeadNote.objects.filter(pk=old_note.pk).exists()
    assert LeadNote.objects.filter(pk=new_note.pk).exists()


def test_deletion_link_deletes_lead_and_assignments(client):
    assignment = LeadAssignmentFactory()
    url = reverse("leads:delete", args=[tokens.delete_token(assignment.lead_id)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Delete my request" in page.content.decode()
    assert Lead.objects.exists()  # GET changes nothing
    assert client.post(url).status_code == 200
    assert not Lead.objects.exists()
    assert "already been deleted" in client.get(url).content.decode()


def test_forged_or_reused_tokens_are_refused(client):
    lead = LeadFactory()
    for token in ["forged", tokens.confirm_token(lead.pk), tokens.delete_token(lead.pk) + "x"]:
        assert client.post(reverse("leads:delete", args=[token])).status_code == 404
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_the_scheduler_queues_anonymisation_every_hour(settings):
    from django.utils.module_loading import import_string

    from paddock.leads import tasks

    job = settings.PADDOCK_SCHEDULE["anonymise-leads"]
    assert import_string(job["task"]) is tasks.anonymise_leads
    assert job["every"] == 3600
    assert tasks.anonymise_leads.backend == "background"


def test_the_task_anonymises_what_the_command_would(settings):
    from paddock.leads import tasks

    settings.PADDOCK_LEADS_RETENTION_DAYS = 30
    old, new = LeadFactory(), LeadFactory()
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert tasks.anonymise_leads.call() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.email, old.phone) == ("", "", "") and old.anonymised_at
    assert new.email and new.anonymised_at is None
    assert tasks.anonymise_leads.call() == 0  # nothing twice
