from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "paddock.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from . import chrome, signals  # noqa: F401

        chrome.register()
