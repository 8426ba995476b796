"""The discussion's rules that reading and writing both need: how long a comment may be, when
a page's discussion is open, and how long its author may edit a comment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from paddock.newsroom.models import ArticlePage

from .models import Comment

MAX_LENGTH = 10_000


def comments_open(page: Page) -> bool:
    """Whether readers may still comment: on an article not closed by an editor, nor by age.
    Other pages (a standard page that came with its comments from an imported site) show
    their discussion but take no new comments. `page` may be a plain Page (a comment's
    `article`): its article is then read from `article__articlepage` when that was selected
    with it, else in one query."""
    article = page if isinstance(page, ArticlePage) else getattr(page, "articlepage", None)
    if article is None:
        return False
    if article.comments_closed:
        return False
    days = settings.PADDOCK_COMMENTS_CLOSE_AFTER_DAYS
    if days and article.published_at:
        return timezone.now() < article.published_at + dt.timedelta(days=days)
    return True


def edit_window_open(comment: Comment) -> bool:
    window = dt.timedelta(minutes=settings.PADDOCK_COMMENT_EDIT_MINUTES)
    return timezone.now() < comment.created_at + window
