"""The rules for a reader's display name, declared once and used by every form that sets one,
and what is shown in its place once the account is gone.

A display name is shown beside every comment, so it must be readable, unique and must not pass
for the newsroom: the checks refuse with a message saying what to change; nothing is stripped
silently (only surrounding blanks are trimmed).
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q

from paddock.core.roles import CONTRIBUTORS, EDITORS, MODERATORS
from paddock.core.text import normalise_for_matching
from paddock.newsroom.models import Contributor

from .models import Profile

# Shown in place of a gone account's name, and of the text of a comment its author deleted
# (templates: the `or_deleted` filter and `deleted_text` tag of accounts_tags).
DELETED_TEXT = "[deleted]"
MIN_LENGTH = 3
MAX_LENGTH = 30
# Staff are readers too; a name that folds to one of theirs or contains one of these words could
# pass for the newsroom beside a comment.
STAFF_GROUPS = (EDITORS, MODERATORS, CONTRIBUTORS)
RESERVED_WORDS = ("admin", "administrator", "moderator", "paddock", "staff", "editor", "support")
_PUNCTUATION = frozenset("._-")
# Characters with a meaning in HTML, refused even though every template escapes them: a name
# that only looks right once escaped is a trap for the next feed, email or JSON that shows it.
_HTML_SPECIAL = frozenset("<>&\"'`")
# Marks stack on the letter before them; a couple are needed by many scripts, more are "Zalgo".
_MAX_MARKS_IN_A_ROW = 2
# Beyond this the input is refused before any further work is spent on it.
_MAX_INPUT = 200


def _quote(chars: list[str]) -> str:
    return " ".join(f"“{ch}”" for ch in dict.fromkeys(chars))


def is_staff_member(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether the user speaks for the newsroom: staff, or in an editorial group."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=STAFF_GROUPS).exists()


def staff_names(*, exclude_user: AbstractBaseUser | None = None) -> list[str]:
    """The names the newsroom is known by: staff readers' display names and every masthead name.

    Every Contributor counts, with or without an account: a writer's byline is theirs to keep.
    """

    staff = get_user_model().objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=STAFF_GROUPS)
    )
    profiles = Profile.objects.filter(user__in=staff)
    contributors = Contributor.objects.all()
    if exclude_user is not None and exclude_user.pk is not None:
        profiles = profiles.exclude(user=exclude_user)
        contributors = contributors.exclude(user=exclude_user)
    return [
        *profiles.values_list("display_name", flat=True),
        *contributors.values_list("display_name", flat=True),
    ]


def _check_characters(name: str) -> None:
    invisible = [ch for ch in name if unicodedata.category(ch).startswith("C")]
    if invisible:
        raise ValidationError(
            "Display names can't contain control or invisible characters (such as zero-width "
            "spaces or text-direction marks). Type the name again without them.",
            code="invisible",
        )
    html = [ch for ch in name if ch in _HTML_SPECIAL]
    if html:
        raise ValidationError(
            "Display names can't contain %(chars)s. Use letters, digits, spaces and . _ - only.",
            code="html",
            params={"chars": _quote(html)},
        )


def _check_length(name: str) -> None:
    if len(name) < MIN_LENGTH:
        raise ValidationError(
            "Display names need at least %(min)d characters.",
            code="too_short",
            params={"min": MIN_LENGTH},
        )
    if len(name) > MAX_LENGTH:
        raise ValidationError(
            "Display names can have at most %(max)d characters (this one has %(length)d).",
            code="too_long",
            params={"max": MAX_LENGTH, "length": len(name)},
        )


def _check_alphabet(name: str) -> None:
    refused: list[str] = []
    marks_in_a_row = 0
    previous = ""
    for ch in name:
        category = unicodedata.category(ch)
        if category.startswith("M"):
            marks_in_a_row += 1
            attached = previous and (unicodedata.category(previous)[0] in "LM")
            if not attached or marks_in_a_row > _MAX_MARKS_IN_A_ROW:
                refused.append(ch)
        else:
            marks_in_a_row = 0
            if not (
                category.startswith("L") or category == "Nd" or ch == " " or ch in _PUNCTUATION
            ):
                refused.append(ch)
        previous = ch
    if refused:
        stacked = all(unicodedata.category(ch).startswith("M") for ch in refused)
        raise ValidationError(
            "Display names may only contain letters, digits, spaces and . _ - "
            + ("(with at most two accents on a letter)." if stacked else "(not %(chars)s)."),
            code="alphabet",
            params={"chars": _quote(refused)},
        )
    if "  " in name:
        raise ValidationError("Use single spaces between words.", code="spaces")
    if not any(unicodedata.category(ch).startswith("L") for ch in name):
        raise ValidationError("Display names need at least one letter.", code="no_letter")


def _check_impersonation(name: str, user: AbstractBaseUser | None) -> None:
    folded = normalise_for_matching(name)
    if not is_staff_member(user):
        for word in RESERVED_WORDS:
            if normalise_for_matching(word) in folded:
                raise ValidationError(
                    "Display names can't include “%(word)s” or anything that looks like it: "
                    "it is kept for the newsroom.",
                    code="reserved",
                    params={"word": word},
                )
    for staff_name in staff_names(exclude_user=user):
        if folded and normalise_for_matching(staff_name) == folded:
            raise ValidationError(
                "That name looks too much like the name of someone in our newsroom. "
                "Please choose another.",
                code="impersonation",
            )


def _check_unique(name: str, user: AbstractBaseUser | None) -> None:

    taken = Profile.objects.filter(display_name__iexact=name)
    if user is not None and user.pk is not None:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise ValidationError(
            "Another reader already uses that name. Please choose another.", code="taken"
        )


def display_name_clean(value: str, *, user: AbstractBaseUser | None = None) -> str:
    """The display name to store for `value`, or ValidationError saying what to change.

    `user` is the reader choosing the name (None while signing up): their own current name never
    counts as taken, and staff may use the reserved words.
    """
    # NFC only composes what is already there (e + ◌́ → é); blanks around the name are trimmed.
    name = unicodedata.normalize("NFC", value or "").strip(" \t\r\n")
    if len(name) > _MAX_INPUT:
        _check_length(name)
    _check_characters(name)
    _check_length(name)
    _check_alphabet(name)
    _check_impersonation(name, user)
    _check_unique(name, user)
    return name
