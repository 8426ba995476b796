"""Where notifications join the layers below: a comment posted visible or let through later
(comments' `comment_posted` and `comment_published`: the reply's parent author, the readers it
mentions and the discussion's followers are told), a featured comment and a moderation notice
(moderation's `comment_featured` and `notice_sent`), and an account being deleted (its follows
and email choices go). Every signal is sent inside the writing transaction, so a notification
commits or rolls back with what it tells. Connected in NotificationsConfig.ready."""

from __future__ import annotations

from django.dispatch import receiver

from paddock.accounts.hooks import account_deleting
from paddock.comments.hooks import comment_posted, comment_published
from paddock.comments.models import Comment
from paddock.core.db import after_commit
from paddock.moderation.signals import comment_featured, notice_sent

from . import services
from .models import Follow
from .preferences import preferences_forget
from .tasks import notify_followers


def _tell_followers(comment: Comment) -> None:
    """A visible top-level comment: its discussion's followers are told once it commits
    (paddock/notifications/follows.py)."""
    if comment.parent_id is not None or not comment.is_visible:
        return
    # Most discussions have no follower: no task for them (one indexed query).
    followed = Follow.objects.filter(article_id=comment.article_id).exclude(
        user_id=comment.author_id
    )
    if not followed.exists():
        return
    pk = comment.pk
    after_commit(lambda: notify_followers.enqueue(pk), what=f"followers of comment {pk}")


@receiver(comment_posted, dispatch_uid="notifications_comment_posted")
def _posted(sender, comment: Comment, notify: bool = True, **kwargs) -> None:
    """`notify` False: a historical load, nobody is told. An edit the screen held is not a
    new comment for followers."""
    if not notify:
        return
    services.comment_published(comment)  # nothing unless everyone can see it
    if comment.edited_at is None:
        _tell_followers(comment)


@receiver(comment_published, dispatch_uid="notifications_comment_published")
def _published(sender, comment: Comment, **kwargs) -> None:
    services.comment_published(comment)
    _tell_followers(comment)


@receiver(comment_featured, dispatch_uid="notifications_comment_featured")
def _featured(sender, comment, by=None, **kwargs) -> None:
    services.comment_featured(comment, by=by)


@receiver(notice_sent, dispatch_uid="notifications_notice_sent")
def _notice(sender, notice, **kwargs) -> None:
    services.notice_mirror(notice)


@receiver(account_deleting, dispatch_uid="notifications_account_deleting")
def _account_deleting(sender, user, **kwargs) -> None:
    Follow.objects.filter(user_id=user.pk).delete()
    preferences_forget(user=user)
