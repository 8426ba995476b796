"""Admin for leads: dealers, staff and leads as snippets, a statistics page and the list of
unrouted leads, each sent to dealers again on request. Everything is gated by model
permissions, so a group (Administrators, Editors) gets exactly what its permissions say:

- dealers and their staff: leads.add/change/delete/view_dealer and _dealerstaff;
- leads and their statistics: leads.view_lead;
- the unrouted leads and routing them again: leads.route_lead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from paddock.accounts.hooks import PERSONAL_DATA_HOOK
from paddock.core.admin_menu import PermissionMenuItem

from . import policy, selectors, services
from .models import Dealer, DealerStaff, Lead

STATS_PERMISSION = "leads.view_lead"
ROUTE_PERMISSION = "leads.route_lead"


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
    inspect_view_enabled = True


class LeadsGroup(SnippetViewSetGroup):
    menu_label = "Dealer leads"
    menu_icon = "mail"
    menu_order = 250
    items = (DealerViewSet, DealerStaffViewSet, LeadViewSet)
    # The statistics and the unrouted leads join the group's menu through this hook, so leads
    # have one entry in the admin menu rather than the group and stray items beside it.
    submenu_hook = "register_leads_menu_item"


register_snippet(LeadsGroup)


def stats_view(request):
    if not request.user.has_perm(STATS_PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "leads/admin/stats.html",
        {"stats": selectors.lead_stats(), "page_title": "Lead statistics"},
    )


def unrouted_view(request):
    if not request.user.has_perm(ROUTE_PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "leads/admin/unrouted.html",
        {
            "leads": selectors.unrouted_leads(),
            "radius": policy.radius_miles(),
            "page_title": "Unrouted leads",
        },
    )


@require_POST
def route_view(request, pk: int):
    if not request.user.has_perm(ROUTE_PERMISSION):
        raise PermissionDenied
    try:
        assignments = services.lead_reroute(lead_id=pk)
    except services.LeadError as exc:
        messages.error(request, str(exc))
    else:
        if assignments:
            names = ", ".join(a.dealer.name for a in assignments)
            messages.success(request, f"Lead {pk} went to {names}; they and the shopper are told.")
        else:
            messages.warning(
                request,
                f"Still no active dealer of this make within {policy.radius_miles():g} miles "
                f"with room today; lead {pk} stays unrouted.",
            )
    return redirect("leads_admin:unrouted")


@hooks.register("register_admin_urls")
def register_leads_admin_urls():
    urls = (
        [
            path("stats/", stats_view, name="stats"),
            path("unrouted/", unrouted_view, name="unrouted"),
            path("unrouted/<id:pk>/route/", route_view, name="route"),
        ],
        "leads_admin",
    )
    return [path("leads/", include(urls, namespace="leads_admin"))]


@hooks.register(LeadsGroup.submenu_hook)
def register_stats_menu_item():
    return PermissionMenuItem(
        "Lead statistics",
        reverse("leads_admin:stats"),
        icon_name="table",
        order=11,
        permission=STATS_PERMISSION,
    )


@hooks.register(LeadsGroup.submenu_hook)
def register_unrouted_menu_item():
    return PermissionMenuItem(
        "Unrouted leads",
        reverse("leads_admin:unrouted"),
        icon_name="warning",
        order=10,
        permission=ROUTE_PERMISSION,
    )


# What a reader downloads of their own: quote requests sent with their verified addresses.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
