from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paddock.accounts"
    label = "accounts"
    verbose_name = "Reader accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401
