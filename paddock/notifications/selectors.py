"""Reading a reader's notifications (one page of them, how many are unread), the discussions
they follow and their email choices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.paginator import Page, Paginator

from .models import Follow, Notification
from .preferences import frequencies

PER_PAGE = 30


def notification_page(user, number: int | None) -> Page:
    """A page of the reader's notifications, newest first, with what each shows (the comment,
    its page, who acted) selected along: the same queries for 1 or 30 of them."""
    mine = Notification.objects.shown_to(user).select_related(
        "comment", "article", "actor__profile"
    )
    return Paginator(mine, PER_PAGE).get_page(number or 1)


def unread_count(user) -> int:
    """The unread notifications the header shows beside the link (0 for a visitor)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.shown_to(user).unread().count()


def personal_data(user, emails: list[str]) -> dict:
    """What the reader was told, for their download (accounts' PERSONAL_DATA_HOOK); who acted
    is left out, as it is another reader's account."""
    told = (
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "pk")
        .values("kind", "comment_id", "article_id", "message", "created_at", "read_at")
        .iterator(chunk_size=500)
    )
    return {
        "notifications": told,
        "followed_discussions": _follows(user),
        "notification_emails": frequencies(user),
    }


def _follows(user) -> Iterator[dict[str, Any]]:
    rows = (
        Follow.objects.filter(user_id=user.pk)
        .order_by("created_at", "pk")
        .values("article_id", "article__title", "created_at")
    )
    for row in rows.iterator():
        yield {
            "article_id": row["article_id"],
            "article": row["article__title"],
            "followed_at": row["created_at"],
        }
