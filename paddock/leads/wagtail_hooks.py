"""Admin for leads: dealers, staff and leads as snippets, and a statistics page. Only users
with the leads permissions (superusers, unless an administrator grants them) see any of it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import selectors
from .models import Dealer, DealerStaff, Lead

STATS_PERMISSION = "leads.view_lead"


class DealerViewSet(SnippetViewSet):
    model = Dealer
    icon = "home"
    list_display = ["name", "city", "state", "zip_code", "active", "daily_lead_cap"]
    list_filter = ["active", "state", "makes"]
    search_fields = ["name", "city", "zip_code"]


class DealerStaffViewSet(SnippetViewSet):
    model = DealerStaff
    icon = "user"
    list_display = ["user", "dealer"]


class LeadViewSet(SnippetViewSet):
    model = Lead
    icon = "mail"
    list_display = ["__str__", "zip_code", "created_at", "unrouted", "repeat_count"]
    list_filter = ["unrouted", "make"]


class LeadsGroup(SnippetViewSetGroup):
    menu_label = "Dealer leads"
    menu_icon = "mail"
    menu_order = 250
    items = (DealerViewSet, DealerStaffViewSet, LeadViewSet)


register_snippet(LeadsGroup)


def stats_view(request):
    if not request.user.has_perm(STATS_PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "leads/admin/stats.html",
        {"stats": selectors.lead_stats(), "page_title": "Lead statistics"},
    )


@hooks.register("register_admin_urls")
def register_stats_url():
    urls = ([path("", stats_view, name="stats")], "leads_admin")
    return [path("leads/stats/", include(urls, namespace="leads_admin"))]


class StatsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STATS_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_stats_menu_item():
    return StatsMenuItem(
        "Lead statistics", reverse("leads_admin:stats"), icon_name="table", order=251
    )
