from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "paddock.importers"
    label = "importers"
    verbose_name = "Importers"
