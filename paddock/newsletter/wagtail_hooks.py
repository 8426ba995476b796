"""The newsletter in the admin: editions and subscribers as snippets (special editions are
written with a live preview of the email), an edition's review page to test, send or
schedule it, and the statistics page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from paddock.accounts.hooks import PERSONAL_DATA_HOOK

from . import admin_views, selectors, services
from .models import Edition, Subscriber


class ReviewColumn(Column):
    cell_template_name = "newsletter/admin/review_cell.html"


class EditionEditView(EditView):
    """Only a draft special edition can change; anything else opens its review page."""

    def dispatch(self, request, *args, **kwargs):
        edition = Edition.objects.filter(pk=kwargs.get("pk")).first()
        if edition is not None and not edition.is_editable:
            messages.info(request, "This edition can no longer be edited.")
            return redirect("newsletter_admin:review", pk=edition.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("newsletter_admin:review", args=[self.object.pk])


class EditionViewSet(SnippetViewSet):
    model = Edition
    icon = "mail"
    menu_label = "Editions"
    add_to_admin_menu = False
    edit_view_class = EditionEditView
    list_display = [
        "subject",
        "kind",
        "status",
        "started_at",
        "recipients",
        ReviewColumn("review", label="Review"),
    ]
    list_filter = ["kind", "status"]
    search_fields = ["subject"]
    ordering = ["-created_at"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    list_display = ["email", "name", "status", "frequency", "confirmed_at"]
    list_filter = ["status", "frequency", "special_editions"]
    search_fields = ["email", "name"]


class NewsletterGroup(SnippetViewSetGroup):
    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 240
    items = (EditionViewSet, SubscriberViewSet)
    # The statistics page joins the group's menu through this hook, so the newsletter has one
    # entry in the admin menu rather than the group and a stray item beside it.
    submenu_hook = "register_newsletter_menu_item"


register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    urls = (
        [
            path("editions/<id:pk>/", admin_views.review, name="review"),
            path("editions/<id:pk>/email/", admin_views.email_html, name="email"),
            path("editions/<id:pk>/test/", admin_views.send_test, name="test"),
            path("editions/<id:pk>/send/", admin_views.send_now, name="send"),
            path("editions/<id:pk>/schedule/", admin_views.schedule, name="schedule"),
            path("editions/<id:pk>/cancel/", admin_views.cancel, name="cancel"),
            path("stats/", admin_views.stats, name="stats"),
        ],
        "newsletter_admin",
    )
    return [path("newsletter/", include(urls, namespace="newsletter_admin"))]


class StatsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


@hooks.register(NewsletterGroup.submenu_hook)
def register_stats_menu_item():
    return StatsMenuItem(
        "Newsletter statistics",
        reverse("newsletter_admin:stats"),
        icon_name="table",
        order=10,
    )


class ReviewMenuItem(ActionMenuItem):
    label = "Review, test and send"
    name = "newsletter-review"
    icon_name = "mail"

    def is_shown(self, context):
        return context.get("view") == "edit" and context.get("instance") is not None

    def get_url(self, parent_context):
        return reverse("newsletter_admin:review", args=[parent_context["instance"].pk])


@hooks.register("register_snippet_action_menu_item")
def register_review_menu_item(model):
    return ReviewMenuItem(order=90) if model is Edition else None


@hooks.register("after_create_snippet")
def record_author(request, instance):
    if isinstance(instance, Edition):
        services.edition_record_author(edition=instance, user=request.user)
        return redirect("newsletter_admin:review", pk=instance.pk)
    return None


@hooks.register("register_snippet_listing_buttons")
def review_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Edition):
        yield ListingButton(
            "Review and send",
            reverse("newsletter_admin:review", args=[snippet.pk]),
            icon_name="mail",
            priority=5,
        )


# What a reader downloads of their own: their subscription and what it was sent.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
