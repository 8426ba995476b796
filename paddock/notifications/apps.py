from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "paddock.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Imported once every app is loaded: it connects to the signals of comments and
        # moderation (receivers.py).
        from . import receivers  # noqa: F401
