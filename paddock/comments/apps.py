from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "paddock.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        # Importing the module connects its receivers, once every app is loaded.
        from . import chrome, receivers  # noqa: F401

        chrome.register()
