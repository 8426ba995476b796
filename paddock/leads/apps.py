"""Dealers, quote requests, routing and the dealer portal."""

from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "paddock.leads"
    label = "leads"
    verbose_name = "Dealer leads"
    default_auto_field = "django.db.models.BigAutoField"
