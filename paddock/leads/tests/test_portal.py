"""The dealer portal: each dealer sees only its own leads; nobody else sees any."""

from __future__ import annotations

import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from paddock.leads.models import LeadAssignment
from paddock.newsroom.tests.factories import UserFactory

from .factories import DealerStaffFactory, LeadAssignmentFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours():
    staff = DealerStaffFactory(dealer__name="Ours Motors")
    assignment = LeadAssignmentFactory(
        dealer=staff.dealer, lead=LeadFactory(name="Secret Shopper", email="secret@example.com")
    )
    return staff, assignment


@pytest.fixture
def theirs():
    staff = DealerStaffFactory(dealer__name="Theirs Motors")
    LeadAssignmentFactory(dealer=staff.dealer, lead=LeadFactory(name="Their Own Shopper"))
    return staff


def login(client, user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)


def test_dealer_sees_list_detail_and_export_of_own_leads(client, ours):
    staff, assignment = ours
    login(client, staff.user)
    listing = client.get(reverse("leads:portal"))
    assert listing.status_code == 200
    assert "Secret Shopper" in listing.content.decode()
    detail = client.get(reverse("leads:portal_detail", args=[assignment.pk]))
    assert "secret@example.com" in detail.content.decode()
    export = client.get(reverse("leads:portal_export"))
    assert "secret@example.com" in export.content.decode()
    assert export["Content-Disposition"].startswith('attachment; filename="leads-ours-motors-')


def test_dealer_changes_status_of_own_lead(client, ours):
    staff, assignment = ours
    login(client, staff.user)
    response = client.post(reverse("leads:portal_status", args=[assignment.pk]), {"status": "sold"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "sold"
    assert client.get(reverse("leads:portal") + "?status=sold").context["assignments"]


def test_another_dealer_sees_none_of_our_leads(client, ours, theirs):
    _, assignment = ours
    login(client, theirs.user)
    listing = client.get(reverse("leads:portal")).content.decode()
    assert "Their Own Shopper" in listing
    assert "Secret Shopper" not in listing
    assert client.get(reverse("leads:portal_detail", args=[assignment.pk])).status_code == 404
    response = client.post(
        reverse("leads:portal_status", args=[assignment.pk]), {"status": "invalid"}
    )
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "new"
    export = client.get(reverse("leads:portal_export")).content.decode()
    assert "secret@example.com" not in export
    assert "Their Own Shopper" in export


@pytest.mark.parametrize("who", ["reader", "superuser-without-dealer"])
def test_signed_in_non_dealers_get_403_everywhere(client, ours, who):
    _, assignment = ours
    user = UserFactory(is_superuser=(who != "reader"), is_staff=(who != "reader"))
    login(client, user)
    for method, url in _portal_urls(assignment):
        response = getattr(client, method)(url, {"status": "sold"} if method == "post" else {})
        assert response.status_code == 403, url
        assert "secret@example.com" not in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "new"


def test_anonymous_visitors_are_sent_to_sign_in(client, ours):
    _, assignment = ours
    for method, url in _portal_urls(assignment):
        response = getattr(client, method)(url, {"status": "sold"} if method == "post" else {})
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]
    assert LeadAssignment.objects.get(pk=assignment.pk).status == "new"


def test_export_guards_against_formulas(client, ours):
    staff, assignment = ours
    lead = assignment.lead
    lead.name, lead.trim = '=HYPERLINK("http://evil.example")', "+SUM(A1)"
    lead.save()
    login(client, staff.user)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("leads:portal_export")).content.decode()))
    )
    header, row = rows[0], rows[1]
    assert row[header.index("name")] == '\'=HYPERLINK("http://evil.example")'
    assert row[header.index("trim")] == "'+SUM(A1)"


def test_portal_list_query_count_does_not_grow(client, ours):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff, _ = ours
    login(client, staff.user)
    client.get(reverse("leads:portal"))  # warm up per-session lookups
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("leads:portal"))
    for _ in range(5):
        LeadAssignmentFactory(dealer=staff.dealer)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(reverse("leads:portal")).context["assignments"]) == 6
    assert len(six) == len(one)


def _portal_urls(assignment):
    return [
        ("get", reverse("leads:portal")),
        ("get", reverse("leads:portal_detail", args=[assignment.pk])),
        ("post", reverse("leads:portal_status", args=[assignment.pk])),
        ("get", reverse("leads:portal_export")),
    ]


def test_the_list_pages_through_every_lead_of_the_dealer(client, ours, theirs, monkeypatch):
    from paddock.leads import views

    monkeypatch.setattr(views, "PORTAL_PAGE_SIZE", 2)
    staff, first = ours
    for _ in range(3):
        LeadAssignmentFactory(dealer=staff.dealer, status="sold")
    login(client, staff.user)
    seen = []
    for number in (1, 2):
        page = client.get(reverse("leads:portal") + f"?page={number}")
        seen += [a.pk for a in page.context["assignments"]]
    assert sorted(seen) == sorted(staff.dealer.assignments.values_list("pk", flat=True))
    assert 'rel="next"' in client.get(reverse("leads:portal")).content.decode()
    sold = client.get(reverse("leads:portal") + "?status=sold&page=2")
    assert len(sold.context["assignments"]) == 1
    assert "status=sold&amp;page=1" in sold.content.decode()
    # Out-of-range or hostile page numbers show a page, never an error or another's lead.
    for value in ("999", "-1", "abc", "1%27%20OR%201=1"):
        response = client.get(reverse("leads:portal") + f"?page={value}")
        assert response.status_code == 200
        assert "Their Own Shopper" not in response.content.decode()
