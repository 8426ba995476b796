from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "paddock.pages"
    label = "pages"
    verbose_name = "Pages"
