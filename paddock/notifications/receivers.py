"""Where notifications join the layers below: a comment posted visible or let through later
(comments' `comment_posted` and `comment_published`), a featured comment and a moderation
notice (moderation's `comment_featured` and `notice_sent`). Every signal is sent inside the
writing transaction, so a notification commits or rolls back with what it tells. Connected in
NotificationsConfig.ready."""

from __future__ import annotations

from django.dispatch import receiver

from paddock.comments.hooks import comment_posted, comment_published
from paddock.moderation.signals import comment_featured, notice_sent

from . import services


@receiver(comment_posted, dispatch_uid="notifications_comment_posted")
def _posted(sender, comment, **kwargs) -> None:
    services.comment_published(comment)  # nothing unless everyone can see it


@receiver(comment_published, dispatch_uid="notifications_comment_published")
def _published(sender, comment, **kwargs) -> None:
    services.comment_published(comment)


@receiver(comment_featured, dispatch_uid="notifications_comment_featured")
def _featured(sender, comment, by=None, **kwargs) -> None:
    services.comment_featured(comment, by=by)


@receiver(notice_sent, dispatch_uid="notifications_notice_sent")
def _notice(sender, notice, **kwargs) -> None:
    services.notice_mirror(notice)
