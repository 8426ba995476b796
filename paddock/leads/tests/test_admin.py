"""Administration: dealers, leads and statistics by model permission, so that a group gets
exactly what it is given; unrouted leads are sent to dealers again, checked on the server."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from paddock.leads.models import Lead, LeadAssignment
from paddock.newsroom.tests.factories import UserFactory

from .factories import DealerFactory, DealerStaffFactory, LeadAssignmentFactory, LeadFactory

pytestmark = pytest.mark.django_db

LEADS_MODELS = ("dealer", "dealerstaff", "lead", "leadassignment")
# What the Administrators group holds for leads (it holds every permission), and the Editors.
ACTIONS = ("add", "change", "delete", "view")
ADMINISTRATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    *(f"leads.{action}_{model}" for model in LEADS_MODELS for action in ACTIONS),
    "leads.route_lead",
]
EDITOR_PERMISSIONS = ["wagtailadmin.access_admin", "leads.route_lead"]


def member_of(name: str, codenames: list[str]):
    group, _ = Group.objects.get_or_create(name=name)
    permissions = []
    for code in codenames:
        app_label, codename = code.split(".")
        permissions.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    group.permissions.set(permissions)
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def administrator():
    return member_of("Administrators", ADMINISTRATOR_PERMISSIONS)


@pytest.fixture
def editor():
    return member_of("Editors", EDITOR_PERMISSIONS)


@pytest.fixture
def unrouted(vehicle):
    return LeadFactory(vehicle_model=vehicle, zip_code="10001", unrouted=True, name="Pat Hidden")


def refused(response) -> bool:
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_superuser_sees_svg_charts(client):
    LeadAssignmentFactory(status="sold", dealer__name="Chart Motors")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("leads_admin:stats"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg role="img"') == 4
    assert "Chart Motors" in html
    assert client.get(reverse("wagtailsnippets_leads_dealer:list")).status_code == 200


def test_administrators_manage_dealers_and_see_stats_without_being_superusers(
    client, administrator, make
):
    assert not administrator.is_superuser
    client.force_login(administrator)
    assert client.get(reverse("leads_admin:stats")).status_code == 200
    assert client.get(reverse("leads_admin:unrouted")).status_code == 200
    for viewset in ("dealer", "dealerstaff", "lead"):
        assert client.get(reverse(f"wagtailsnippets_leads_{viewset}:list")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_leads_dealer:add"),
        {
            "name": "Harbor Kaito",
            "street": "1 Pier Road",
            "city": "Hoboken",
            "state": "NJ",
            "zip_code": "07030",
            "makes": [make.pk],
            "notification_emails": "sales@harbor.example",
            "active": "on",
            "daily_lead_cap": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dealer = DealerFactory._meta.model.objects.get(name="Harbor Kaito")
    assert dealer.latitude is not None and list(dealer.makes.all()) == [make]
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Lead statistics" in menu and "Unrouted leads" in menu


def test_editors_route_leads_but_see_neither_dealers_nor_stats(client, editor, unrouted):
    client.force_login(editor)
    assert refused(client.get(reverse("leads_admin:stats")))
    for viewset in ("dealer", "dealerstaff", "lead"):
        response = client.get(reverse(f"wagtailsnippets_leads_{viewset}:list"))
        assert response.status_code in (302, 403), viewset
    page = client.get(reverse("leads_admin:unrouted"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kaito Motor Nami" in html and "10001" in html
    # The list names the car and the area, not the shopper.
    assert "Pat Hidden" not in html and unrouted.email not in html
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Unrouted leads" in menu and "Lead statistics" not in menu


@pytest.mark.parametrize("who", ["reader-with-admin-access", "dealer-staff", "stats-only"])
def test_routing_again_is_refused_without_the_permission(client, unrouted, make, who):
    DealerFactory(zip_code="10019", makes=[make])
    if who == "reader-with-admin-access":
        user = member_of("Readers with admin", ["wagtailadmin.access_admin"])
    elif who == "stats-only":
        user = member_of("Analysts", ["wagtailadmin.access_admin", "leads.view_lead"])
    else:
        user = DealerStaffFactory().user
    client.force_login(user)
    response = client.post(reverse("leads_admin:route", args=[unrouted.pk]))
    assert refused(response) or response.status_code in (302, 403)
    assert refused(client.get(reverse("leads_admin:unrouted"))) or who == "dealer-staff"
    unrouted.refresh_from_db()
    assert unrouted.unrouted and not LeadAssignment.objects.exists()


def test_anonymous_visitors_cannot_route_again(client, unrouted, make):
    DealerFactory(zip_code="10019", makes=[make])
    response = client.post(reverse("leads_admin:route", args=[unrouted.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not LeadAssignment.objects.exists()


def test_routing_again_needs_a_post(client, editor, unrouted, make):
    DealerFactory(zip_code="10019", makes=[make])
    client.force_login(editor)
    assert client.get(reverse("leads_admin:route", args=[unrouted.pk])).status_code == 405
    assert not LeadAssignment.objects.exists()


def test_an_editor_routes_a_lead_again_once_a_dealer_is_added(
    client, editor, unrouted, make, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leads_admin:route", args=[unrouted.pk]), follow=True)
    assert "stays unrouted" in response.content.decode()
    assert not DBTaskResult.objects.exists()  # the editors heard of it when it came in

    far = DealerFactory(name="Far Kaito", zip_code="90210", makes=[make])
    near = DealerFactory(name="Near Kaito", zip_code="10019", makes=[make])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leads_admin:route", args=[unrouted.pk]), follow=True)
    assert "went to Near Kaito" in response.content.decode()
    unrouted.refresh_from_db()
    assert not unrouted.unrouted
    assert [a.dealer for a in unrouted.assignments.all()] == [near]
    assert not far.assignments.exists()
    # The dealer and the shopper are told, through the queue.
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "paddock.leads.tasks.notify_dealers",
        "paddock.leads.tasks.send_confirmation",
    ]
    assert "Every lead has gone to a dealer" in response.content.decode()

    # A routed lead is not routed twice.
    response = client.post(reverse("leads_admin:route", args=[unrouted.pk]), follow=True)
    assert "already went to dealers" in response.content.decode()
    assert unrouted.assignments.count() == 1


def test_deleted_and_anonymised_leads_are_not_routed(client, editor, unrouted, make):
    DealerFactory(zip_code="10019", makes=[make])
    client.force_login(editor)
    Lead.objects.filter(pk=unrouted.pk).update(name="", email="", anonymised_at=unrouted.created_at)
    response = client.post(reverse("leads_admin:route", args=[unrouted.pk]), follow=True)
    assert "was anonymised" in response.content.decode()
    Lead.objects.filter(pk=unrouted.pk).delete()
    response = client.post(reverse("leads_admin:route", args=[unrouted.pk]), follow=True)
    assert "no longer exists" in response.content.decode()
    assert not LeadAssignment.objects.exists()


def test_anonymous_is_sent_to_admin_login(client):
    for name in ("stats", "unrouted"):
        response = client.get(reverse(f"leads_admin:{name}"))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_consent_a_shopper_gave_cannot_be_edited_in_the_admin(client, administrator):
    lead = LeadFactory(name="Pat Shopper")
    client.force_login(administrator)
    url = reverse("wagtailsnippets_leads_lead:edit", args=[lead.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="consent_text"' not in page.content.decode()
    assert lead.consent_text in page.content.decode()
    inspect = client.get(reverse("wagtailsnippets_leads_lead:inspect", args=[lead.pk]))
    assert inspect.status_code == 200 and "Pat Shopper" in inspect.content.decode()
