"""The one writer of notifications."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from paddock.core.db import after_commit

from . import delivery
from .models import Notification


def notify(
    *,
    recipient,
    kind: str,
    comment=None,
    article=None,
    actor=None,
    message: str = "",
) -> Notification | None:
    """Tell `recipient` of one event; None when there is nobody to tell (no recipient, an
    inactive account, a reader's own action) or they were already told of this comment."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    if article is None and comment is not None:
        article = comment.article
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                comment=comment,
                article=article,
                actor=actor,
                message=message[:500],
            )
    except IntegrityError:  # notification_once_per_comment: told of this comment already
        return None
    after_commit(
        lambda: delivery.notification_created(notification),
        what=f"delivery of notification {notification.pk}",
    )
    return notification
