"""Writes on the newsroom's pages made outside Wagtail's editor."""

from __future__ import annotations

from django.db import transaction

from paddock.core import pagecache

from .models import ArticlePage


def article_comments_closed_set(*, article_id: int, closed: bool) -> bool:
    """Close or reopen comments on an article; True when that changed anything.

    An update, not a save(): the live page changes without a new revision, as the switch is
    about the discussion, not the article's text. Once committed, the article's page is stale,
    and so is "site": the article kept for routing (memos.article_at) holds the switch.
    """
    with transaction.atomic():
        changed = (
            ArticlePage.objects.filter(pk=article_id)
            .exclude(comments_closed=closed)
            .update(comments_closed=closed)
        )
        if changed:
            pagecache.invalidate(f"article:{article_id}", "site")
    return bool(changed)
