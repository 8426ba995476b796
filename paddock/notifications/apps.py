from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "paddock.notifications"
    label = "notifications"
    verbose_name = "Notifications"
