from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "paddock.comments"
    label = "comments"
    verbose_name = "Comments"
