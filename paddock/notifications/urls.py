"""A reader's notifications and marking them read, their email preferences, unsubscribing
from a notification email, following a discussion."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/read/", views.mark_read, name="read"),
    path("read/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences_edit, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/<id:article_id>/", views.follow, name="follow"),
]
