from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "paddock.pages"
    label = "pages"
    verbose_name = "Pages"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the cache receivers
