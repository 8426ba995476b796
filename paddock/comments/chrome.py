"""The comments' parts of the site chrome (paddock/core/chrome.py):

- Recent Comments, the sidebar's list on every page: kept under the `site` and `recent` tags,
  which `services.discussion_changed` bumps whenever the list or one comment in it changes;
- the newsroom's badges (selectors.author_badges): every account in a staff group or with
  Django's staff or superuser flag, kept under `site`, which joining or leaving a staff group
  bumps (newsroom/signals.py) and so does a change to an account's flags (below)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_save

from paddock.accounts.display_names import DELETED_TEXT
from paddock.core import chrome, pagecache
from paddock.core.roles import MODERATORS
from paddock.core.urls import reverse_one

from . import markup
from .models import Comment
from .selectors import BADGE_MODERATOR, BADGE_STAFF, RECENT_COUNT, STAFF, STAFF_ROLES

RECENT = "comments.recent"


class RecentComment(NamedTuple):
    url: str
    name: str
    excerpt: str


def _query():
    # selectors.recent_comments, reduced to the columns the list shows.
    return (
        Comment.objects.visible()
        .on_live_articles()
        .order_by("-created_at", "-pk")
        .values_list(
            "pk",
            "author_id",
            "author__profile__display_name",
            "imported_author__name",
            "body_text",
        )[:RECENT_COUNT]
    )


def _load(rows) -> tuple[RecentComment, ...]:
    # As selectors.author_name, for comments that are visible (never deleted).
    return tuple(
        RecentComment(
            url=reverse_one("comments:permalink", pk),
            name=(profile_name or "") if author_id is not None else (guest or DELETED_TEXT),
            excerpt=markup.excerpt(text, 100),
        )
        for pk, author_id, profile_name, guest, text in rows
    )


class Staff(NamedTuple):
    badges: Mapping[int, str]  # account id → BADGE_MODERATOR or BADGE_STAFF
    flagged: frozenset[int]  # the accounts with Django's staff or superuser flag


def _staff_query():
    User = get_user_model()
    in_group = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    return (
        User.objects.filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Exists(in_group.filter(group__name__in=(MODERATORS, *STAFF_ROLES)))
        )
        .annotate(moderates=Exists(in_group.filter(group__name=MODERATORS)))
        .order_by()
        .values_list("pk", "moderates", "is_staff", "is_superuser")
    )


def _staff(rows) -> Staff:
    return Staff(
        badges=MappingProxyType(
            {pk: BADGE_MODERATOR if moderates else BADGE_STAFF for pk, moderates, *_ in rows}
        ),
        flagged=frozenset(pk for pk, _, is_staff, is_superuser in rows if is_staff or is_superuser),
    )


def _account_saved(
    sender, instance, created=False, update_fields=None, raw=False, **kwargs
) -> None:
    """Django's admin and Wagtail's write accounts: a change to their staff or superuser flag
    is heard here, where it is stored (a login's or a profile's save touches neither)."""
    if raw:  # loaddata: the tables may not all be there yet
        pagecache.invalidate("site")
        return
    if update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields):
        return
    flagged = bool(instance.is_staff or instance.is_superuser)
    # A new account is in no kept part yet: nothing to read to know it.
    known = False if created else instance.pk in chrome.get(STAFF).flagged
    if flagged != known:
        pagecache.invalidate("site")


def register() -> None:
    chrome.register(RECENT, ("site", "recent"), _query, _load)
    chrome.register(STAFF, ("site",), _staff_query, _staff)
    post_save.connect(_account_saved, sender=get_user_model(), dispatch_uid="comments_staff")
