"""The signed, stateless unsubscribe link of notification emails: one reader, one kind.

It never expires (an old email's link must still stop the emails) and carries no secret but
its signature: anyone holding it can only turn that reader's emails of that kind off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from .preferences import DIGEST, EMAILED_KINDS

UNSUBSCRIBE_SALT = "paddock.notifications.unsubscribe"


class LinkInvalid(Exception):
    """The link was not made by this site (tampered with, cut short, or from elsewhere)."""


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_data(token: str) -> Unsubscribe:
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    if not isinstance(user_id, int) or kind not in (*EMAILED_KINDS, DIGEST):
        raise LinkInvalid
    return Unsubscribe(user_id=user_id, kind=kind)
