"""Signed, stateless links, each purpose with its own salt: confirming a sign-up request,
managing a subscriber's preferences (and exporting or deleting the data), unsubscribing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core import signing

from . import policy

# Over a sign-up request's key (models.SignupRequest), never a subscriber's.
SIGNUP_SALT = "paddock.newsletter.signup-request"
MANAGE_SALT = "paddock.newsletter.manage"
UNSUBSCRIBE_SALT = "paddock.newsletter.unsubscribe"


class LinkExpired(Exception):
    """The link was ours but is too old."""


class LinkInvalid(Exception):
    """The link was not made by this site (tampered with, cut short, or from elsewhere)."""


@dataclass(frozen=True)
class Unsubscribe:
    key: uuid.UUID
    edition_id: int | None


def _load(token: str, salt: str, max_age: int | None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid from exc


def _key(value) -> uuid.UUID:
    try:
        return uuid.UUID(hex=str(value))
    except (ValueError, TypeError) as exc:
        raise LinkInvalid from exc


def confirm_token(request_key: uuid.UUID) -> str:
    return signing.dumps(request_key.hex, salt=SIGNUP_SALT)


def confirm_key(token: str) -> uuid.UUID:
    """The sign-up request a confirmation link is for; it expires after policy's days."""
    return _key(_load(token, SIGNUP_SALT, policy.confirm_max_age()))


def manage_token(key: uuid.UUID) -> str:
    return signing.dumps(key.hex, salt=MANAGE_SALT)


def manage_key(token: str) -> uuid.UUID:
    return _key(_load(token, MANAGE_SALT, policy.manage_max_age()))


def unsubscribe_token(key: uuid.UUID, edition_id: int | None = None) -> str:
    # Never expires: an unsubscribe link in an old email must still work.
    payload = [key.hex, edition_id] if edition_id else [key.hex]
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_data(token: str) -> Unsubscribe:
    payload = _load(token, UNSUBSCRIBE_SALT, None)
    if not isinstance(payload, list) or not 1 <= len(payload) <= 2:
        raise LinkInvalid
    edition_id = payload[1] if len(payload) == 2 else None
    if edition_id is not None and not isinstance(edition_id, int):
        raise LinkInvalid
    return Unsubscribe(key=_key(payload[0]), edition_id=edition_id)
