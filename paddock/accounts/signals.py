"""Every user gets a profile, so templates and queries can rely on one being there, and joins
the Readers group, which holds what every reader may do (comment, vote, report)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from paddock.core.roles import READERS

from .services import profile_ensure


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_profile")
def _profile_for_new_user(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        profile_ensure(user=instance)
        _join_readers(instance)


def _join_readers(user) -> None:
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=READERS).first()
    if group is not None:  # absent only before the first migrate has finished
        user.groups.add(group)
