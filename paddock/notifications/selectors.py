"""Reads of a reader's follows and email choices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .models import Follow
from .preferences import frequencies


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


def personal_data(user, emails) -> dict[str, Any]:
    return {
        "followed_discussions": _follows(user),
        "notification_emails": frequencies(user),
    }
