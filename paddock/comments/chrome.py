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
from django.contrib.auth.models import Group
from django.db.models.signals import post_save

from paddock.accounts.display_names import DELETED_TEXT
from paddock.core import chrome, pagecache, roles
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
            "author_profile__display_name",
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


def _staff_query() -> tuple[str, tuple]:
    """Every account in a staff group, with the group's name, then every account with Django's
    staff or superuser flag (found through a partial index on the flags, accounts' migration
    0003), then the staff groups that the ids written into the SQL miss (a group deleted and
    made again since): in each part, the rows of the few, whatever the number of readers.
    SQL of its own: the group ids are written into it (core.roles.group_ids_sql)."""
    User = get_user_model()
    users, groups = User._meta.db_table, Group._meta.db_table
    memberships = User.groups.through._meta.db_table
    names = (MODERATORS, *STAFF_ROLES)
    ids = roles.group_ids_sql(names)
    among = ", ".join(["%s"] * len(names))
    sql = (
        f'SELECT m.user_id, g.name, 0 FROM "{memberships}" m '  # noqa: S608 (tables, ids)
        f'INNER JOIN "{groups}" g ON g.id = m.group_id '
        f"WHERE m.group_id IN ({ids}) AND g.name IN ({among}) "
        f'UNION ALL SELECT u.id, NULL, 1 FROM "{users}" u WHERE u.is_staff OR u.is_superuser '
        f'UNION ALL SELECT NULL, g.name, 0 FROM "{groups}" g '
        f"WHERE g.name IN ({among}) AND g.id NOT IN ({ids})"
    )
    return sql, names + names


def _staff(rows) -> Staff:
    if any(pk is None for pk, _, _ in rows):
        raise chrome.OutOfDate  # a staff group the SQL does not know the id of
    badges: dict[int, str] = {}
    for pk, group, _ in rows:
        if group == MODERATORS:
            badges[pk] = BADGE_MODERATOR
        else:
            badges.setdefault(pk, BADGE_STAFF)
    return Staff(
        badges=MappingProxyType(badges),
        flagged=frozenset(pk for pk, _, flagged in rows if flagged),
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
