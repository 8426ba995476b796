from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "paddock.core"
    label = "core"
    verbose_name = "Paddock core"

    def ready(self) -> None:
        from . import pagecache  # noqa: F401 - its request signal receivers
