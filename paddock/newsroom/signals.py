"""Signal receivers of the newsroom: role set-up after migrate, byline date on first publish."""

from __future__ import annotations

from django.db.models.signals import post_migrate
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ArticlePage
from .roles import roles_ensure


@receiver(post_migrate, dispatch_uid="newsroom_roles")
def _roles_after_migrate(sender, app_config=None, **kwargs) -> None:
    # After the last app's permissions exist, so that every role finds all of its own.
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is with_models[-1]:
        roles_ensure()


@receiver(page_published, sender=ArticlePage, dispatch_uid="newsroom_published_at")
def _date_on_first_publish(sender, instance: ArticlePage, **kwargs) -> None:
    # An editor may set the byline date by hand; otherwise it is the moment the article went live.
    if instance.published_at is None:
        moment = instance.first_published_at or instance.last_published_at
        ArticlePage.objects.filter(pk=instance.pk).update(published_at=moment)
        instance.published_at = moment
