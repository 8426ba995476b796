"""The discussion's rules that reading and writing both need: how long a comment may be, when
an article's discussion is open, and how long its author may edit a comment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from paddock.newsroom.models import ArticlePage

from .models import Comment

MAX_LENGTH = 10_000


def comments_open(article: ArticlePage) -> bool:
    """Whether readers may still comment: not closed by an editor, nor by age."""
    if article.comments_closed:
        return False
    days = settings.PADDOCK_COMMENTS_CLOSE_AFTER_DAYS
    if days and article.published_at:
        return timezone.now() < article.published_at + dt.timedelta(days=days)
    return True


def edit_window_open(comment: Comment) -> bool:
    window = dt.timedelta(minutes=settings.PADDOCK_COMMENT_EDIT_MINUTES)
    return timezone.now() < comment.created_at + window
