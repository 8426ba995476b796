from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "paddock.moderation"
    label = "moderation"
    verbose_name = "Moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once every app is loaded: it registers moderation's screen and receivers on
        # the discussion's extension points (paddock/comments/hooks.py).
        from . import receivers

        receivers.connect()
