"""Admin registration: the contact messages' inbox, and the cache told when the footer menu
changes."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from paddock.accounts.hooks import PERSONAL_DATA_HOOK
from paddock.core import pagecache

from . import admin_views, selectors
from .models import FooterMenu


@hooks.register("after_edit_setting")
def _footer_menu_saved(request, instance) -> None:
    # Every page shows the footer, and the quote, newsletter and sign-up forms the privacy link.
    if isinstance(instance, FooterMenu):
        pagecache.invalidate("site")


@hooks.register("register_admin_urls")
def register_pages_admin_urls():
    urls = (
        [
            path("", admin_views.inbox, name="inbox"),
            path("<id:pk>/", admin_views.message, name="message"),
            path("<id:pk>/handled/", admin_views.message_handled, name="handled"),
        ],
        "pages_admin",
    )
    return [path("contact-messages/", include(urls, namespace="pages_admin"))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(
        "Contact messages", reverse("pages_admin:inbox"), icon_name="mail", order=250
    )


hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
