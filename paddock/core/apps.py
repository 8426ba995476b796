from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "paddock.core"
    label = "core"
    verbose_name = "Paddock core"

    def ready(self) -> None:
        from . import pagecache  # noqa: F401 - its request signal receivers
        from .ids import IdConverter

        # Before any URLconf is read: every app's urls name rows with <id:...>.
        register_converter(IdConverter, "id")
