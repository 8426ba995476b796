"""Factories for reader accounts, shared with other apps' tests (comments reuse ReaderFactory)."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

READER_PASSWORD = "Piston-Camshaft-Gearbox-42"


class ReaderFactory(factory.django.DjangoModelFactory):
    """A reader who can comment: active, with a verified primary email and a display name.

    `ReaderFactory(display_name="Ana", verified=False, groups=["Moderators"])`; the profile
    itself comes from the post_save signal, as in production.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(READER_PASSWORD)

    @factory.post_generation
    def display_name(obj, create: bool, extracted: str | None, **kwargs) -> None:
        if not create:
            return
        profile = obj.profile
        profile.display_name = extracted or f"Reader {obj.pk}"
        profile.save(update_fields=["display_name"])

    @factory.post_generation
    def verified(obj, create: bool, extracted: bool | None, **kwargs) -> None:
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )

    @factory.post_generation
    def groups(obj, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            obj.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))
