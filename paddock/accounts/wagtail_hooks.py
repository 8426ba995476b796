"""The admin shows staff the avatar they have on the site, not a Gravatar.

Wagtail's default asks gravatar.com for an avatar by the hash of each person's email address,
which tells a third party who uses the admin and when. Gravatar is opt-in (PADDOCK_GRAVATAR);
until then a staff member's uploaded avatar or identicon stands in.
"""

from __future__ import annotations

from django.conf import settings
from wagtail import hooks

from .models import Profile


@hooks.register("get_avatar_url")
def site_avatar(user, size: int) -> str | None:
    """The user's site avatar; None lets Wagtail decide (an avatar uploaded in the admin's
    account settings, Gravatar when switched on, else its own default picture)."""
    if getattr(settings, "WAGTAIL_GRAVATAR_PROVIDER_URL", None):
        return None
    admin_profile = getattr(user, "wagtail_userprofile", None)
    if admin_profile is not None and admin_profile.avatar:
        return None
    try:
        return user.profile.avatar_url
    except (Profile.DoesNotExist, AttributeError):
        return None
