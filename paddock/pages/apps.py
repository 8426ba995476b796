from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "paddock.pages"
    label = "pages"
    verbose_name = "Pages"

    def ready(self) -> None:
        from . import chrome, signals  # noqa: F401 - signals connects the cache receivers

        chrome.register()
