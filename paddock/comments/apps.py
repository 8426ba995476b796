from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "paddock.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the page cache's receivers
