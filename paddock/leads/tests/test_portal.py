"""The dealer portal: each dealer sees only its own leads; nobody else sees any."""

from __future__ import annotations

import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from paddock.leads import services
from paddock.leads.models import LeadAssignment, LeadNote, LeadStatusChange
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
    detail = client.get(reverse("leads:portal_detail", args=[assignment.lead_id]))
    assert "secret@example.com" in detail.content.decode()
    export = client.get(reverse("leads:portal_export"))
    assert "secret@example.com" in export.content.decode()
    assert export["Content-Disposition"].startswith('attachment; filename="leads-ours-motors-')


def test_dealer_changes_status_of_own_lead(client, ours):
    staff, assignment = ours
    login(client, staff.user)
    response = client.post(
        reverse("leads:portal_status", args=[assignment.lead_id]), {"status": "sold"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "sold"
    assert "Status saved: Sold." in client.get(response["Location"]).content.decode()
    assert client.get(reverse("leads:portal") + "?status=sold").context["assignments"]


def test_an_unknown_status_is_refused_with_a_message(client, ours):
    staff, assignment = ours
    login(client, staff.user)
    url = reverse("leads:portal_status", args=[assignment.lead_id])
    response = client.post(url, {"status": "bribed"}, follow=True)
    assert "Choose one of the statuses" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "new"


def test_another_dealer_sees_none_of_our_leads(client, ours, theirs):
    _, assignment = ours
    login(client, theirs.user)
    listing = client.get(reverse("leads:portal")).content.decode()
    assert "Their Own Shopper" in listing
    assert "Secret Shopper" not in listing
    assert client.get(reverse("leads:portal_detail", args=[assignment.lead_id])).status_code == 404
    response = client.post(
        reverse("leads:portal_status", args=[assignment.lead_id]), {"status": "invalid"}
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
        ("get", reverse("leads:portal_detail", args=[assignment.lead_id])),
        ("post", reverse("leads:portal_status", args=[assignment.lead_id])),
        ("post", reverse("leads:portal_note", args=[assignment.lead_id])),
        ("get", reverse("leads:portal_export")),
        ("get", reverse("leads:portal_stats")),
        ("get", reverse("leads:portal_settings")),
        ("post", reverse("leads:portal_settings")),
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


def test_the_portal_has_its_own_layout_without_the_public_sidebar(client, ours):
    staff, assignment = ours
    login(client, staff.user)
    for url in (
        reverse("leads:portal"),
        reverse("leads:portal_detail", args=[assignment.lead_id]),
        reverse("leads:portal_stats"),
        reverse("leads:portal_settings"),
    ):
        html = client.get(url).content.decode()
        assert '<p class="portal__dealer">Ours Motors</p>' in html, url
        nav = html.split('aria-label="Dealer portal"', 1)[1].split("</nav>", 1)[0]
        assert ">Leads<" in nav and ">Statistics<" in nav and ">Settings<" in nav
        assert nav.count('aria-current="page"') == 1
        for public in ("recent-comments-heading", "contributors-heading", "quote-widget-heading"):
            assert public not in html, (url, public)


def test_the_lead_number_is_the_same_in_url_page_and_csv(client, ours):
    staff, assignment = ours
    # Another dealer's assignment first, so that lead and assignment numbers differ.
    LeadAssignmentFactory(lead=assignment.lead)
    later = LeadAssignmentFactory(dealer=staff.dealer)
    assert later.pk != later.lead_id
    login(client, staff.user)
    url = reverse("leads:portal_detail", args=[later.lead_id])
    assert url == f"/dealer/leads/{later.lead_id}/"
    assert f"Lead {later.lead_id}:" in client.get(url).content.decode()
    assert (
        f'href="{url}">{later.lead_id}</a>' in client.get(reverse("leads:portal")).content.decode()
    )
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("leads:portal_export")).content.decode()))
    )
    assert {row["lead"] for row in rows} == {str(later.lead_id), str(assignment.lead_id)}


def test_notes_and_status_history_say_who_did_what_when(client, ours):
    staff, assignment = ours
    staff.user.first_name, staff.user.last_name = "Dana", "Seller"
    staff.user.save()
    login(client, staff.user)
    detail = reverse("leads:portal_detail", args=[assignment.lead_id])
    client.post(reverse("leads:portal_status", args=[assignment.lead_id]), {"status": "contacted"})
    note = "Called <b>back</b>; wants a test drive"
    response = client.post(reverse("leads:portal_note", args=[assignment.lead_id]), {"text": note})
    assert response["Location"] == detail
    client.post(reverse("leads:portal_status", args=[assignment.lead_id]), {"status": "sold"})
    html = client.get(detail).content.decode()
    contacted = html.index("Dana Seller changed the status from New to Contacted")
    noted = html.index("Called &lt;b&gt;back&lt;/b&gt;; wants a test drive")
    sold = html.index("Dana Seller changed the status from Contacted to Sold")
    assert contacted < noted < sold
    change = LeadStatusChange.objects.order_by("pk").first()
    assert (change.changed_by, change.old_status, change.new_status) == (
        staff.user,
        "new",
        "contacted",
    )
    assert LeadNote.objects.get().author == staff.user
    services.crm_delivery_record(
        lead_id=assignment.lead_id,
        dealer_id=staff.dealer.pk,
        channel="https",
        attempt=1,
        outcome="retrying",
        detail="HTTP 503",
    )
    html = client.get(detail).content.decode()
    assert "HTTPS POST, attempt 1: Failed, will retry (HTTP 503)" in html
    # An empty note is a clear error, not a 500 and not a note.
    response = client.post(reverse("leads:portal_note", args=[assignment.lead_id]), {"text": " "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert LeadNote.objects.count() == 1


def test_detail_query_count_does_not_grow_with_history(client, ours):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff, assignment = ours
    login(client, staff.user)
    url = reverse("leads:portal_detail", args=[assignment.lead_id])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    LeadNote.objects.bulk_create(
        [LeadNote(assignment=assignment, author=UserFactory(), text=f"n{i}") for i in range(4)]
    )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_export_writes_phone_numbers_as_numbers_and_neutralises_the_rest(client, ours):
    staff, assignment = ours
    LeadAssignmentFactory(dealer=staff.dealer, lead=LeadFactory(name="+1 2125550147", phone="=1+2"))
    LeadAssignmentFactory(dealer=staff.dealer, lead=LeadFactory(name="Plus", phone="+1999"))
    login(client, staff.user)
    content = client.get(reverse("leads:portal_export")).content.decode()
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(content))}
    assert rows["Secret Shopper"]["phone"] == "+12125550147"
    assert rows["'+1 2125550147"]["phone"] == "'=1+2"  # a name is never a phone number
    assert rows["Plus"]["phone"] == "'+1999"  # not a valid number


def test_each_dealer_sees_its_own_charts(client, ours, theirs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff, assignment = ours
    login(client, staff.user)
    client.post(reverse("leads:portal_status", args=[assignment.lead_id]), {"status": "contacted"})
    client.get(reverse("leads:portal_stats"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("leads:portal_stats"))
    stats = response.context["stats"]
    assert stats["total"] == 1  # not the other dealer's
    assert {r["label"]: r["n"] for r in stats["per_status"]}["Contacted"] == 1
    assert {r["label"]: r["n"] for r in stats["response"]}["Within an hour"] == 1
    assert [r["label"] for r in stats["per_model"]] == [
        f"{assignment.lead.make.name} {assignment.lead.vehicle_model.name}"
    ]
    html = response.content.decode()
    for heading in ("Leads per day", "Leads by model", "Leads by status", "How fast"):
        assert heading in html
    assert html.count("<svg") == 4
    LeadAssignmentFactory.create_batch(5, dealer=staff.dealer)
    with CaptureQueriesContext(connection) as six:
        assert client.get(reverse("leads:portal_stats")).context["stats"]["total"] == 6
    assert len(six) == len(one)


def test_settings_change_where_leads_go_but_not_the_crm_endpoint(client, ours, theirs):
    staff, _ = ours
    staff.dealer.crm_endpoint = "https://crm.example/adf"
    staff.dealer.save()
    login(client, staff.user)
    url = reverse("leads:portal_settings")
    response = client.post(
        url,
        {
            "notification_emails": "a@ours.example, b@ours.example",
            "crm_email": "crm@ours.example",
            "crm_endpoint": "https://attacker.example/",
        },
    )
    assert response.status_code == 200 and "Saved." in response.content.decode()
    staff.dealer.refresh_from_db()
    assert staff.dealer.email_list == ["a@ours.example", "b@ours.example"]
    assert staff.dealer.crm_email == "crm@ours.example"
    assert staff.dealer.crm_endpoint == "https://crm.example/adf"
    response = client.post(url, {"notification_emails": "not-an-address", "crm_email": ""})
    assert response.status_code == 200 and "Saved." not in response.content.decode()
    assert "Enter a valid email address." in response.content.decode()
    staff.dealer.refresh_from_db()
    assert staff.dealer.email_list == ["a@ours.example", "b@ours.example"]
    theirs.dealer.refresh_from_db()
    assert theirs.dealer.email_list != staff.dealer.email_list and theirs.dealer.crm_email == ""
