"""Moderation in the admin: a "Moderation" menu with the queue, the dashboard, the audit log
and the discussions editors may close; the queue and the dashboard's headline figures on the
admin's home page; banned terms as a snippet; the policy under Settings.
Each item shows only to those whose permissions allow it. Wagtail's views save banned terms and
the policy through moderation's actions (registered here), so those changes are in the audit log
too, bulk deletions of banned terms included."""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import LinkMenuItemComponent, Menu, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from paddock.accounts.hooks import PERSONAL_DATA_HOOK
from paddock.core.admin_menu import PermissionMenuItem

from . import selectors
from .actions import (
    CLOSE,
    MODERATE,
    BannedTermCreateAction,
    BannedTermDeleteAction,
    BannedTermEditAction,
    PolicyEditAction,
)
from .models import BannedTerm, ModerationPolicy

VIEW_DASHBOARD = "moderation.view_moderation_dashboard"


class BannedTermViewSet(SnippetViewSet):
    model = BannedTerm
    icon = "cross"
    menu_label = "Banned terms"
    add_to_admin_menu = False
    list_display = ["phrase", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["phrase"]


register_snippet(BannedTermViewSet)


@hooks.register("register_actions")
def register_moderation_actions(registry) -> None:
    registry.register(BannedTerm, BannedTermCreateAction)
    registry.register(BannedTerm, BannedTermEditAction)
    registry.register(BannedTerm, BannedTermDeleteAction)
    registry.register(ModerationPolicy, PolicyEditAction)


class BannedTermDeleteBulkAction(DeleteBulkAction):
    """Deleting banned terms in bulk, each through BannedTermDeleteAction (Wagtail's own bulk
    delete deletes the rows in one query, past any action)."""

    models = [BannedTerm]

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        user = user or kwargs["self"].request.user
        for term in objects:
            # The bulk view checked each term's permission (check_perm) before this.
            BannedTermDeleteAction(term, user=user).execute(skip_permission_checks=True)
        return len(objects), 0


# After Wagtail's snippet hooks (order 0), so this one answers for banned terms.
hooks.register("register_bulk_action", BannedTermDeleteBulkAction, order=1)


class QueueMenuItem(PermissionMenuItem):
    """The queue, with how many comments wait in it."""

    def render_component(self, request):
        total = selectors.queue_counts_for(request)["total"]
        label = f"{self.label} ({total})" if total else self.label
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    items = [
        QueueMenuItem(
            "Queue",
            reverse("moderation_admin:queue"),
            icon_name="tasks",
            order=1,
            permission=MODERATE,
        ),
        PermissionMenuItem(
            "Dashboard",
            reverse("moderation_admin:dashboard"),
            icon_name="view",
            order=2,
            permission=VIEW_DASHBOARD,
        ),
        PermissionMenuItem(
            "Audit log",
            reverse("moderation_admin:audit"),
            icon_name="history",
            order=3,
            permission="moderation.view_auditentry",
        ),
        PermissionMenuItem(
            "Discussions",
            reverse("moderation_admin:discussions"),
            icon_name="lock",
            order=4,
            permission=CLOSE,
        ),
        PermissionMenuItem(
            "Banned terms",
            reverse("wagtailsnippets_moderation_bannedterm:list"),
            icon_name="cross",
            order=5,
            permission="moderation.view_bannedterm",
        ),
    ]
    # An icon from Wagtail's own set: an unknown name draws nothing, silently.
    return SubmenuMenuItem(
        "Moderation", Menu(items=items), icon_name="comment", order=150, name="moderation"
    )


# What a reader downloads of their own: notices, decisions about them, their standing.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)


class QueuePanel(Component):
    """The moderation queue on the admin's home page, for those who work it."""

    name = "moderation_queue"
    order = 60
    template_name = "moderation/admin/home_panel.html"

    def __init__(self, request) -> None:
        self.request = request

    def get_context_data(self, parent_context):
        with_dashboard = self.request.user.has_perm(VIEW_DASHBOARD)
        return {
            "figures": selectors.home_figures(self.request, with_dashboard=with_dashboard),
            "with_dashboard": with_dashboard,
        }


@hooks.register("construct_homepage_panels")
def add_queue_panel(request, panels) -> None:
    if request.user.has_perm(MODERATE):
        panels.append(QueuePanel(request))
