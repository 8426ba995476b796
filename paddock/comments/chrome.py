"""Recent Comments, the sidebar's list on every page, as a part of the site chrome
(paddock/core/chrome.py): kept under the `site` and `recent` tags, which
`services.discussion_changed` bumps whenever the list or one comment in it changes."""

from __future__ import annotations

from typing import NamedTuple

from paddock.accounts.display_names import DELETED_TEXT
from paddock.core import chrome
from paddock.core.urls import reverse_one

from . import markup
from .models import Comment
from .selectors import RECENT_COUNT

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


def register() -> None:
    chrome.register(RECENT, ("site", "recent"), _query, _load)
