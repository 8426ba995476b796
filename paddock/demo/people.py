"""The demo's people: the admin and editor accounts, the masthead (writers and moderators, each
a Contributor with an account that signs in with the demo password) and the readers who discuss
the articles, all made through the accounts and newsroom services.

Accounts that already exist are used as they are: the loader never changes anyone's password,
groups or profile.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.utils import timezone

from paddock.accounts.services import account_create
from paddock.core.roles import CONTRIBUTORS, EDITORS, MODERATORS, group_ensure
from paddock.newsroom.models import Contributor
from paddock.newsroom.services import contributor_create
from paddock.notifications.models import Frequency
from paddock.notifications.preferences import preferences_set

from . import content, discussion

if TYPE_CHECKING:
    from .loader import DemoReport

# When the demo's readers signed up: between three months and two years before loading.
JOINED_DAYS_AGO = (90, 730)


def groups() -> dict[str, Group]:
    # `roles.roles_ensure` gives these groups their permissions after every migrate.
    return {name: group_ensure(name) for name in (CONTRIBUTORS, EDITORS, MODERATORS)}


def admin_user(report: DemoReport, *, password: str) -> AbstractBaseUser:
    """The superuser, created with the demo password (`password` is its hash)."""
    admin = _existing(content.ADMIN["username"])
    if admin is None:
        admin = account_create(
            username=content.ADMIN["username"],
            email=content.ADMIN["email"],
            password_hash=password,
            superuser=True,
        )
        report.users_created.append(admin.username)
        report.admin_password_set = True
    # An existing admin account keeps its password: the loader never resets credentials.
    return admin


def account(
    spec: dict, *, groups: list[Group], report: DemoReport, password: str | None = None
) -> AbstractBaseUser:
    """A masthead account: with `password` (a hash), one that can sign in with it."""
    user = _existing(spec["username"])
    if user is None:
        user = account_create(
            username=spec["username"],
            email=spec.get("email") or f"{spec['username']}@paddock.example",
            first_name=spec.get("first_name") or spec["display_name"].split(" ", 1)[0],
            last_name=spec.get("last_name") or spec["display_name"].split(" ", 1)[-1],
            password_hash=password,
            groups=groups,
        )
        report.users_created.append(user.username)
    return user


def contributors(
    specs: list[dict], *, group: Group, report: DemoReport, password: str | None = None
) -> dict[str, Contributor]:
    """Masthead profiles and their accounts; with `password` (a hash), accounts that can sign
    in."""
    profiles = {}
    for spec in specs:
        user = account(spec, groups=[group], report=report, password=password)
        profile = Contributor.objects.filter(user=user).first() or contributor_create(
            user=user,
            display_name=spec["display_name"],
            country=spec["country"],
            bio=spec["bio"],
        )
        profiles[spec["username"]] = profile
    return profiles


def readers(report: DemoReport, *, password: str) -> list[AbstractBaseUser]:
    """The demo readers: verified email addresses, profiles and the demo password (`password`
    is its hash). They joined months ago, some years ago, as a site's regulars did: only
    accounts that are really new look new to moderation."""
    rng = random.Random(f"{discussion.SEED}:readers")  # noqa: S311 - demo data, not security
    # A generator of its own, so the readers' other details stay as they were.
    since = random.Random(f"{discussion.SEED}:joined")  # noqa: S311 - demo data, not security
    now = timezone.now()
    people = []
    for n, (name, country) in enumerate(content.READERS, start=1):
        username = f"reader-{n}"
        avatar_seed = f"{rng.getrandbits(64):016x}"
        notify = rng.random() < 0.8
        joined = now - dt.timedelta(days=since.uniform(*JOINED_DAYS_AGO))
        user = _existing(username)
        if user is None:
            user = account_create(
                username=username,
                email=f"{username}@example.com",
                password_hash=password,
                email_verified=True,
                display_name=name,
                country=country,
                avatar_seed=avatar_seed,
                date_joined=joined,
            )
            if not notify:  # a few readers chose not to be emailed about replies
                preferences_set(user=user, choices={"reply": Frequency.NONE})
            report.users_created.append(username)
            if n == 1:
                report.reader_login = user.email
        people.append(user)
    report.readers = len(people)
    return people


def _existing(username: str) -> AbstractBaseUser | None:
    return get_user_model().objects.filter(username=username).first()
