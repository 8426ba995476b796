"""The admin menu as each role sees it: every item once, in its app's group, with an icon
Wagtail can draw."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.admin.icons import get_icons

from paddock.accounts.tests.factories import ReaderFactory
from paddock.core.roles import ADMINISTRATORS, EDITORS, MODERATORS

pytestmark = pytest.mark.django_db


def _menu(user) -> list[dict]:
    """The main menu's items as the sidebar receives them: {label, icon, children}."""
    client = Client()
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    modules = json.loads(props.group(1))["modules"]
    [main] = [m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule"]

    def item(raw) -> dict:
        attrs = raw["_args"][0]
        children = raw["_args"][1] if raw["_type"] == "wagtail.sidebar.SubMenuItem" else []
        return {
            "label": attrs["label"],
            "icon": attrs["icon_name"],
            "children": [item(c) for c in children],
        }

    return [item(raw) for raw in main["_args"][0]]


def _labels(items) -> list[str]:
    return [label for i in items for label in [i["label"], *_labels(i["children"])]]


def _group(items, label) -> dict:
    return next(i for i in items if i["label"] == label)


@pytest.mark.parametrize("role", [ADMINISTRATORS, EDITORS, MODERATORS])
def test_every_menu_item_has_an_icon_wagtail_draws(role):
    drawn = set(re.findall(r'id="icon-([\w-]+)"', get_icons()))
    menu = _menu(ReaderFactory(groups=[role]))
    missing = []

    def walk(items):
        for i in items:
            if i["icon"] not in drawn:
                missing.append((i["label"], i["icon"]))
            walk(i["children"])

    walk(menu)
    assert not missing
    if role != EDITORS:
        assert _group(menu, "Moderation")["icon"] == "comment"


def test_statistics_and_unrouted_leads_appear_once_each_in_their_group():
    menu = _menu(ReaderFactory(groups=[ADMINISTRATORS]))
    labels = _labels(menu)
    for label in ("Lead statistics", "Unrouted leads", "Newsletter statistics"):
        assert labels.count(label) == 1, label
    top = [i["label"] for i in menu]
    assert "Lead statistics" not in top and "Newsletter statistics" not in top
    assert _labels(_group(menu, "Newsletter")["children"]) == [
        "Editions",
        "Subscribers",
        "Newsletter statistics",
    ]
    assert _labels(_group(menu, "Dealer leads")["children"]) == [
        "Dealers",
        "Dealer staff",
        "Leads",
        "Unrouted leads",
        "Lead statistics",
    ]


def test_editors_find_unrouted_leads_under_dealer_leads_and_nothing_they_cannot_open():
    menu = _menu(ReaderFactory(groups=[EDITORS]))
    assert _labels(_group(menu, "Dealer leads")["children"]) == ["Unrouted leads"]
    assert "Lead statistics" not in _labels(menu)
