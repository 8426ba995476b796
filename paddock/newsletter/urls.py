"""Public newsletter pages under /newsletter/, and the email provider's tracking webhooks."""

from django.urls import path

from . import views, webhooks

app_name = "newsletter"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("check-your-inbox/", views.sent, name="sent"),
    path("resend/", views.resend, name="resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/", views.manage, name="manage"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("preferences/<str:token>/export.json", views.export, name="export"),
    path("preferences/<str:token>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/one-click/", views.one_click, name="one_click"),
    path("account/subscribe/", views.account_subscribe, name="account_subscribe"),
    path("account/preferences/", views.account_preferences, name="account_preferences"),
    # Bounces and complaints from the email provider EMAIL_BACKEND names, authenticated; a
    # 404 for any other provider and without one (see webhooks.py, docs/newsletter.md).
    path("anymail/<slug:provider>/tracking/", webhooks.tracking, name="tracking_webhook"),
]
