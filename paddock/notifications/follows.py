"""Following a discussion without commenting in it: the one writer of Follow, and the
notifications a new top-level comment sends to the discussion's followers.

A comment posted through the screen is announced by comments' `comment_posted` signal inside
its transaction; when it is a visible top-level comment (published, not shadowed: a held or
shadowed one tells nobody) and the post asked for notifications (historical loads do not),
a background task is queued once the comment commits. The task writes one `follow`
notification per follower but the author, through `services.notify`, which is idempotent per
comment and reader: a retried task tells nobody twice. The fan-out runs in the background so
that a discussion with thousands of followers does not slow the post down.

Replies are not announced to followers: the reader who was answered hears of them, and the
emails would otherwise follow every exchange. Following is opt-in: commenting does not
follow a discussion.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from paddock.comments.models import Comment
from paddock.core.errors import Refused
from paddock.newsroom.models import ArticlePage

from . import services
from .models import Follow, Notification


def is_following(user, article_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user_id=user.pk, article_id=article_id).exists()


def follow_start(*, user, article_id: int) -> Follow:
    """Follow a published article's discussion; following it again changes nothing."""
    if not user.is_authenticated or not user.is_active:
        raise Refused("Sign in to follow a discussion.", 403)
    if not ArticlePage.objects.published().filter(pk=article_id).exists():
        raise Refused("That article does not exist or is not published.", 404)
    try:
        with transaction.atomic():
            follow, _ = Follow.objects.get_or_create(user_id=user.pk, article_id=article_id)
    except IntegrityError:  # the same reader's other request made it a moment ago
        follow = Follow.objects.get(user_id=user.pk, article_id=article_id)
    return follow


def follow_stop(*, user, article_id: int) -> int:
    """Stop following; how many follows went (0 when the reader did not follow it)."""
    deleted, _ = Follow.objects.filter(user_id=user.pk, article_id=article_id).delete()
    return deleted


def followers_notify(comment_id: int) -> int:
    """Tell each follower of the discussion of this new top-level comment; how many were told
    for the first time."""
    comment = (
        Comment.objects.visible()
        .filter(pk=comment_id, parent__isnull=True)
        .select_related("author", "article")
        .first()
    )
    if comment is None:  # deleted, hidden or held since it was posted
        return 0
    followers = (
        Follow.objects.filter(article_id=comment.article_id, user__is_active=True)
        .exclude(user_id=comment.author_id)
        .select_related("user")
        .order_by("pk")
    )
    told = 0
    for follow in followers.iterator(chunk_size=500):
        notification = services.notify(
            recipient=follow.user,
            kind=Notification.Kind.FOLLOW,
            comment=comment,
            article=comment.article,
            actor=comment.author,
        )
        told += notification is not None
    return told
