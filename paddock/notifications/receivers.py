"""Where notifications hear of what happens below them: a comment posted (its discussion's
followers are told of it) and an account being deleted (its follows and choices go)."""

from __future__ import annotations

from django.dispatch import receiver

from paddock.accounts.hooks import account_deleting
from paddock.comments.hooks import comment_posted
from paddock.comments.models import Comment
from paddock.core.db import after_commit

from .models import Follow
from .preferences import preferences_forget
from .tasks import notify_followers


@receiver(comment_posted, dispatch_uid="notifications_followers")
def _comment_posted(sender, comment: Comment, notify: bool = True, **kwargs) -> None:
    """A visible new top-level comment: its discussion's followers are told once it commits
    (paddock/notifications/follows.py). An edit the screen held is not a new comment."""
    if not notify or comment.parent_id is not None or not comment.is_visible:
        return
    if comment.edited_at is not None:
        return
    # Most discussions have no follower: no task for them (one indexed query).
    followed = Follow.objects.filter(article_id=comment.article_id).exclude(
        user_id=comment.author_id
    )
    if not followed.exists():
        return
    pk = comment.pk
    after_commit(lambda: notify_followers.enqueue(pk), what=f"followers of comment {pk}")


@receiver(account_deleting, dispatch_uid="notifications_account_deleting")
def _account_deleting(sender, user, **kwargs) -> None:
    Follow.objects.filter(user_id=user.pk).delete()
    preferences_forget(user=user)
