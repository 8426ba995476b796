from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "paddock.demo"
    label = "demo"
    verbose_name = "Demo site"
