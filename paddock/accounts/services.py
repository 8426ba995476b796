"""Writes on reader accounts, and the two checks other apps ask before letting a reader write.

`email_verified` and `user_can_comment` are the comments app's gate; every write here is keyword
only, runs in one transaction and leaves files on disk to be removed only once it has committed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from .hooks import account_deleting, profile_shown_changed
from .models import Profile

logger = logging.getLogger(__name__)


def email_verified(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether the user's primary email address has been verified (through allauth)."""
    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()


def user_can_comment(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether the user may post a comment: signed in, active, email address verified.

    Readers can sign in before verifying their address, but not comment until they have.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return email_verified(user)


def user_display(user: AbstractBaseUser) -> str:
    """How allauth names the user in its pages, messages and emails: the display name."""
    try:
        return user.profile.display_name
    except (Profile.DoesNotExist, AttributeError):
        return "reader"


def _free_display_name(base: str) -> str:
    base = (base or "reader")[:24]
    name, n = base, 2
    while Profile.objects.filter(display_name__iexact=name).exists():
        name, n = f"{base}{n}", n + 1
    return name


def profile_ensure(*, user) -> Profile:
    """The user's profile, created with a free display name derived from the account if new."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        pass
    seed = (user.get_full_name() or user.username or user.email.split("@")[0]).strip()
    for _ in range(5):
        try:
            with transaction.atomic():
                return Profile.objects.create(user=user, display_name=_free_display_name(seed))
        except IntegrityError:
            continue
    raise IntegrityError("Could not find a free display name.")


@transaction.atomic
def account_create(
    *,
    username: str,
    email: str = "",
    password_hash: str | None = None,
    first_name: str = "",
    last_name: str = "",
    groups: Iterable[Group] = (),
    email_verified: bool = False,
    superuser: bool = False,
    display_name: str = "",
    country: str = "",
    avatar_seed: str = "",
    date_joined: datetime | None = None,
) -> AbstractBaseUser:
    """An account the site makes itself rather than a reader signing up: an import's authors,
    a dealer's staff, the demo's people. The user gets the profile and the Readers group every
    new user gets (signals.py), then these groups, and its address as allauth records one,
    verified when it was checked elsewhere (`email_verified`).

    `password_hash` comes from make_password (hashing takes a good part of a second, so a caller
    making many accounts hashes once); None leaves no usable password until the owner resets
    it. `display_name` is taken when no other reader has it (else the profile keeps the free
    name made from the account); the other profile fields are set when given. `date_joined`
    dates an account that existed before it was made here (an import's, the demo's readers).
    """
    User = get_user_model()  # noqa: N806
    email = User.objects.normalize_email(email)
    user = User(
        username=username,
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        password=password_hash or make_password(None),
        is_staff=superuser,
        is_superuser=superuser,
    )
    if date_joined is not None:
        user.date_joined = date_joined
    user.save()
    groups = list(groups)
    if groups:
        user.groups.add(*groups)
    if email and email_verified:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile = profile_ensure(user=user)
    fields = []
    if display_name and display_name != profile.display_name:
        taken = Profile.objects.filter(display_name__iexact=display_name).exclude(pk=profile.pk)
        if not taken.exists():
            profile.display_name = display_name
            fields.append("display_name")
    if country:
        profile.country = country
        fields.append("country")
    if avatar_seed:
        profile.avatar_seed = avatar_seed
        fields.append("avatar_seed")
    if fields:
        profile.save(update_fields=fields)
    return user


def _delete_file_on_commit(name: str) -> None:
    def delete() -> None:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete avatar file %s", name, exc_info=True)

    if name:
        transaction.on_commit(delete)


def profile_update(
    *,
    profile: Profile,
    display_name: str,
    country: str | None = None,
    avatar: ContentFile | None = None,
    avatar_clear: bool = False,
) -> Profile:
    """Save what the reader changed on their profile; `None` leaves a field as it is.

    `display_name` must already have passed `display_names.display_name_clean`; if another
    reader took the same name in the meantime this raises ValidationError. A new `avatar`
    (already re-encoded by `avatars.avatar_from_upload`) or `avatar_clear` replaces the old
    file, which is deleted once the change has committed.
    """
    new_file = ""
    try:
        with transaction.atomic():
            locked = Profile.objects.select_for_update().get(pk=profile.pk)
            old_file = locked.avatar.name
            locked.display_name = display_name
            if country is not None:
                locked.country = country
            if avatar is not None:
                locked.avatar.save(avatar.name or "avatar.png", avatar, save=False)
                new_file = locked.avatar.name
            elif avatar_clear:
                locked.avatar = ""
            locked.save(update_fields=["display_name", "country", "avatar"])
            profile_shown_changed.send(sender=Profile, user_id=locked.user_id)
            if old_file and old_file != locked.avatar.name:
                _delete_file_on_commit(old_file)
    except IntegrityError as error:
        if new_file:
            default_storage.delete(new_file)
        raise ValidationError(
            {"display_name": "Another reader has just taken that name. Please choose another."},
            code="taken",
        ) from error
    except BaseException:
        if new_file:
            default_storage.delete(new_file)
        raise
    return locked


@transaction.atomic
def account_delete(*, user: AbstractBaseUser, delete_comments: bool) -> None:
    """Delete a reader's account at their request, keeping the discussion readable.

    The user row stays (comments and votes point at it) but keeps nothing personal: no email,
    names, usable password, profile, avatar or email addresses; it can no longer sign in and
    every session it had stops working (the password hash they were tied to is gone). Their
    comments lose their author and IP address and show as "[deleted]"; with `delete_comments`
    their text is replaced by "[deleted]" too. The caller logs the current request out.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    # What the layers above keep of the account (comments, votes) lets go of it first.
    account_deleting.send(sender=user.__class__, user=user, delete_comments=delete_comments)

    EmailAddress.objects.filter(user=user).delete()
    for profile in Profile.objects.filter(user=user):
        _delete_file_on_commit(profile.avatar.name)
        profile.delete()

    user.username = f"deleted-{secrets.token_hex(8)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
