"""The newsletter: subscribers with double opt-in, digests and special editions, delivery."""

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "paddock.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the email provider's tracking events
