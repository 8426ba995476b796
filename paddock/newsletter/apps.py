"""The newsletter: subscribers with double opt-in, digests and special editions, delivery."""

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "paddock.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the email provider's tracking events; registers the check of the webhook's
        # authentication.
        from . import signals, webhooks  # noqa: F401
