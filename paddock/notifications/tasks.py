"""Background work of notifications: emailing one at once, telling a discussion's followers of
a new thread, and the periodic job (settings.PADDOCK_SCHEDULE) that sends followed
discussions' batches, daily digests and whatever a lost task left unsent (delivery.py)."""

from __future__ import annotations

from django_tasks import task

from . import delivery, follows


@task(backend="background")
def email_one(notification_id: int) -> bool:
    """Email one notification its reader wants at once; True when sent."""
    return delivery.email_one(notification_id)


@task(backend="background")
def notify_followers(comment_id: int) -> int:
    """Tell the followers of a discussion of a new top-level comment; how many were told."""
    return follows.followers_notify(comment_id)


@task(backend="background")
def send_pending() -> dict[str, int]:
    """Periodic: followed discussions' batches, daily digests, lost at-once emails."""
    return delivery.pending_send()
