from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paddock.accounts"
    label = "accounts"
    verbose_name = "Reader accounts"

    def ready(self) -> None:
        from allauth.core.internal import ratelimit
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        from . import signals  # noqa: F401

        # allauth counts its account limits in the default cache, which on the embedded default
        # is each process's own memory; it has no setting for another, so it is pointed at the
        # limits store every process shares (paddock/core/limitstore.py).
        ratelimit.cache = ConnectionProxy(caches, "limits")
