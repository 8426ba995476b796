"""A reader's email preferences, unsubscribing from a notification email, following a
discussion."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.preferences_edit, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/<id:article_id>/", views.follow, name="follow"),
]
