"""URL wiring: the admin, the newsroom's own pages, then Wagtail's page tree as the catch-all."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from paddock.accounts import views as account_views
from paddock.core import views as core_views
from paddock.moderation.urls import admin_urlpatterns as moderation_admin_urls
from paddock.newsroom.sitemaps import sitemap

urlpatterns = [
    # Moderation's pages use the admin's look but answer refusals with 403 themselves.
    path("admin/moderation/", include(moderation_admin_urls, namespace="moderation_admin")),
    # Before Wagtail's own: the admin's sign-in and password reset are for staff only, under
    # the same limits as the site's.
    path("admin/login/", account_views.StaffLoginView.as_view(), name="wagtailadmin_login"),
    path(
        "admin/password_reset/",
        account_views.StaffPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("csrf/", core_views.csrf_token, name="csrf_token"),
    path("healthz", core_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("", include("paddock.accounts.urls")),
    path("comments/", include("paddock.comments.urls")),
    path("moderation/", include("paddock.moderation.urls")),
    path("", include("paddock.newsroom.urls")),
    path("", include("paddock.leads.urls")),
    path("newsletter/", include("paddock.newsletter.urls")),
    path("notifications/", include("paddock.notifications.urls")),
    path("", include("paddock.pages.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", core_views.media, name="media"),
    ]

urlpatterns += [path("", include(wagtail_urls))]

# allauth answers its rate limits through this (with Retry-After).
handler429 = "paddock.core.views.too_many_requests"
handler500 = "paddock.core.views.server_error"
