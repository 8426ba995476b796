"""A reader's public identity: display name, country and avatar, beside Django's user."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django_countries.fields import CountryField


def _avatar_seed() -> str:
    return secrets.token_hex(8)


def _avatar_path(instance: Profile, filename: str) -> str:
    return f"avatars/{instance.user_id}-{secrets.token_hex(4)}.png"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=30)
    country = CountryField(blank=True)
    avatar = models.ImageField(upload_to=_avatar_path, blank=True)
    # Seeds the generated identicon; random, so the picture tells nothing about the account.
    avatar_seed = models.CharField(max_length=16, default=_avatar_seed, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="profile_display_name_ci_unique")
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"pk": self.pk})

    @property
    def avatar_url(self) -> str:
        if self.avatar:
            return self.avatar.url
        return reverse("accounts:identicon", kwargs={"seed": self.avatar_seed})
