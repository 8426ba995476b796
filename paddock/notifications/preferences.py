"""Which notifications a reader is emailed about, and how often: the one writer of
EmailPreferences.

Every reader has a frequency for each kind that is emailed (reply, mention, featured, follow):
never, at once, or in the daily digest. A reader without a row has the defaults. Moderation
notices are not among them: moderation emails its notices itself (a service message about the
reader's own comment), so they are never emailed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from .models import EmailPreferences, Frequency, Notification

Kind = Notification.Kind

# The pseudo-kind of a digest's unsubscribe link (tokens.py).
DIGEST = "digest"

# The kinds a reader chooses emails for, in the order the preferences page lists them.
EMAILED_KINDS: tuple[str, ...] = (Kind.REPLY, Kind.MENTION, Kind.FEATURED, Kind.FOLLOW)

DEFAULTS: dict[str, str] = {
    Kind.REPLY: Frequency.IMMEDIATE,
    Kind.MENTION: Frequency.IMMEDIATE,
    Kind.FEATURED: Frequency.IMMEDIATE,
    # A followed discussion can be busy: one email a day with what was said in it.
    Kind.FOLLOW: Frequency.DAILY,
}

DESCRIPTIONS: dict[str, str] = {
    Kind.REPLY: "Someone replies to one of your comments",
    Kind.MENTION: "Someone mentions you by name in a comment",
    Kind.FEATURED: "An editor features one of your comments",
    Kind.FOLLOW: "Someone starts a new thread in a discussion you follow",
}


def frequencies(user) -> dict[str, str]:
    """The reader's frequency for each emailed kind (the defaults where they chose none)."""
    row = EmailPreferences.objects.filter(user_id=user.pk).first()
    return _of(row)


def frequencies_of(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The same for many readers, in one query."""
    ids = set(user_ids)
    rows = {row.user_id: row for row in EmailPreferences.objects.filter(user_id__in=ids)}
    return {user_id: _of(rows.get(user_id)) for user_id in ids}


def _of(row: EmailPreferences | None) -> dict[str, str]:
    if row is None:
        return dict(DEFAULTS)
    return {kind: row.frequency(kind) for kind in EMAILED_KINDS}


def preferences_set(*, user, choices: Mapping[str, str]) -> EmailPreferences:
    """Save the reader's choices; kinds not in `choices` keep what they had."""
    unknown = set(choices) - set(EMAILED_KINDS)
    bad = {value for value in choices.values() if value not in Frequency.values}
    if unknown or bad:
        raise ValueError(f"Unknown kinds {sorted(unknown)} or frequencies {sorted(bad)}.")
    with transaction.atomic():
        row, _ = EmailPreferences.objects.select_for_update().get_or_create(
            user_id=user.pk, defaults=dict(DEFAULTS)
        )
        for kind, value in choices.items():
            setattr(row, kind, value)
        row.save()
    return row


def preferences_stop(*, user, kind: str) -> EmailPreferences:
    """No more emails of this kind (an unsubscribe link); `digest`: no more daily digest,
    every kind that went into it set to never."""
    if kind == DIGEST:
        current = frequencies(user)
        kinds = [k for k in EMAILED_KINDS if current[k] == Frequency.DAILY]
    else:
        kinds = [kind]
    return preferences_set(user=user, choices=dict.fromkeys(kinds, Frequency.NONE))


def preferences_forget(*, user) -> None:
    """An account being deleted keeps no choices."""
    EmailPreferences.objects.filter(user_id=user.pk).delete()
