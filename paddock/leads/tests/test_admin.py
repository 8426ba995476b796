"""Administration: the statistics page and the snippets are for administrators only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from paddock.newsroom.roles import EDITORS
from paddock.newsroom.tests.factories import UserFactory

from .factories import LeadAssignmentFactory

pytestmark = pytest.mark.django_db


def test_superuser_sees_svg_charts(client):
    LeadAssignmentFactory(status="sold", dealer__name="Chart Motors")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("leads_admin:stats"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg role="img"') == 4
    assert "Chart Motors" in html
    assert client.get(reverse("wagtailsnippets_leads_dealer:list")).status_code == 200


def test_editor_cannot_see_stats_or_dealers(client):
    editor = UserFactory()
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    response = client.get(reverse("leads_admin:stats"))
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    response = client.get(reverse("wagtailsnippets_leads_dealer:list"))
    assert response.status_code in (302, 403)


def test_anonymous_is_sent_to_admin_login(client):
    response = client.get(reverse("leads_admin:stats"))
    assert response.status_code == 302
