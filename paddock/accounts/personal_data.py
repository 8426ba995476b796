"""Everything Paddock holds about a reader, as one JSON document they can download.

Accounts write the part they own (the account, its email addresses, the profile); every layer
above adds its own sections through the `PERSONAL_DATA_HOOK` (paddock/accounts/hooks.py), so a
new app that keeps something about readers registers there and the export grows with it. The
document is written as it is read, section by section and row by row, so a reader with
thousands of comments costs a few queries and little memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail import hooks

from paddock.core.urls import absolute_url

from .hooks import PERSONAL_DATA_HOOK
from .models import Profile

FORMAT_VERSION = 1

_encoder = DjangoJSONEncoder(ensure_ascii=False)


def verified_emails(user) -> list[str]:
    """The addresses this reader has proved are theirs, lower-cased."""
    return sorted(
        {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def _account(user) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
    }


def _profile(user) -> dict[str, Any] | None:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "country": profile.country.code or "",
        "avatar": profile.avatar.name or None,
        "created_at": profile.created_at,
        "public_page": absolute_url(profile.get_absolute_url()),
    }


def _email_addresses(user) -> Iterator[dict[str, Any]]:
    for address in EmailAddress.objects.filter(user=user).order_by("pk").iterator():
        yield {"email": address.email, "verified": address.verified, "primary": address.primary}


def sections(user) -> dict[str, Any]:
    """The sections of the document, in order: accounts' own, then each hook's."""
    emails = verified_emails(user)
    found: dict[str, Any] = {
        "account": _account(user),
        "email_addresses": _email_addresses(user),
        "profile": _profile(user),
    }
    for hook in hooks.get_hooks(PERSONAL_DATA_HOOK):
        for name, value in hook(user, emails).items():
            if name in found:
                raise ValueError(f"Two parts of Paddock export a section named {name!r}.")
            found[name] = value
    return found


def personal_data_json(user) -> Iterator[str]:
    """The document, in pieces: an object of sections, a list written row by row."""
    yield "{\n"
    header = {
        "format": "paddock-personal-data",
        "format_version": FORMAT_VERSION,
        "site": settings.WAGTAIL_SITE_NAME,
        "exported_at": timezone.now(),
    }
    for name, value in header.items():
        yield f"  {json.dumps(name)}: {_encoder.encode(value)},\n"
    items = list(sections(user).items())
    for position, (name, value) in enumerate(items):
        yield f"  {json.dumps(name)}: "
        if value is None or isinstance(value, Mapping | str | int | float | bool):
            yield _encoder.encode(value)
        else:
            yield from _list(value)
        yield ",\n" if position < len(items) - 1 else "\n"
    yield "}\n"


def _list(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    first = True
    yield "["
    for row in rows:
        yield ("\n    " if first else ",\n    ") + _encoder.encode(row)
        first = False
    yield "]" if first else "\n  ]"
