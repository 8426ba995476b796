"""Reader pages outside allauth's own: account page, deletion, public profiles and identicons."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # Beside allauth's pages under /accounts/ (its urls are included first and have neither).
    path("accounts/profile/", views.edit, name="edit"),
    path("accounts/delete/", views.delete, name="delete"),
    path("accounts/my-data/", views.personal_data, name="personal_data"),
    path("readers/<id:pk>/", views.profile, name="profile"),
    path("avatars/<str:seed>.svg", views.identicon, name="identicon"),
]
