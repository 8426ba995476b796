"""The demo newsletter: subscribers and two sent editions for the admin's statistics."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from paddock.demo.newsletter import load_demo_newsletter
from paddock.newsletter.models import Edition, EditionStatus
from paddock.newsletter.tests.test_admin import EDITOR_PERMISSIONS, member_of
from paddock.newsroom.tests.factories import make_section

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editor():
    return member_of("Newsletter editors", EDITOR_PERMISSIONS)


@pytest.fixture
def sections(db):
    return {"news": make_section("News"), "reviews": make_section("Reviews")}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_stats_charts_show_the_demo(editor, sections):
    load_demo_newsletter()
    load_demo_newsletter()  # idempotent
    assert Edition.objects.filter(status=EditionStatus.SENT).count() == 2
    page = _client(editor).get(reverse("newsletter_admin:stats"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<section class="newsletter-chart"') == 2
    assert html.count('<svg role="img"') == 2
    assert "Subscribers over the last 30 days" in html
    assert "unsubscribed" in html
