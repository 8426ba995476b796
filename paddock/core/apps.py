from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "paddock.core"
    label = "core"
    verbose_name = "Paddock core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import pagecache  # noqa: F401 - its request signal receivers
        from .db import compiled_timestamps
        from .ids import IdConverter
        from .roles import discover, roles_after_migrate
        from .sites import site_address_after_migrate

        # Before any URLconf is read: every app's urls name rows with <id:...>.
        register_converter(IdConverter, "id")
        connection_created.connect(compiled_timestamps, dispatch_uid="core_compiled_timestamps")
        # Every app's roles.py grants its own permissions; the groups get them after migrate.
        discover()
        post_migrate.connect(roles_after_migrate, dispatch_uid="core_roles")
        # BASE_URL onto Wagtail's default Site, so every link names the served address.
        post_migrate.connect(site_address_after_migrate, dispatch_uid="core_site_address")
