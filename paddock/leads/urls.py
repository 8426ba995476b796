"""Public quote pages under /quote/ and the dealer portal under /dealer/."""

from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("quote/", views.quote, name="quote"),
    path("quote/models/", views.quote_models, name="quote_models"),
    path("quote/sent/<str:token>/", views.quote_sent, name="sent"),
    path("quote/received/", views.quote_received, name="received"),
    path("quote/delete/<str:token>/", views.lead_delete, name="delete"),
    path("dealer/", views.portal, name="portal"),
    path("dealer/leads/<id:lead_id>/", views.portal_detail, name="portal_detail"),
    path("dealer/leads/<id:lead_id>/status/", views.portal_status, name="portal_status"),
    path("dealer/leads/<id:lead_id>/notes/", views.portal_note, name="portal_note"),
    path("dealer/statistics/", views.portal_stats, name="portal_stats"),
    path("dealer/settings/", views.portal_settings, name="portal_settings"),
    path("dealer/leads.csv", views.portal_export, name="portal_export"),
]
