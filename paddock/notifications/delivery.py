"""How a new notification reaches its reader beyond the notifications page: by email,
immediately or in a daily digest, as the reader chose for its kind."""

from __future__ import annotations

from .models import Notification


def notification_created(notification: Notification) -> None:
    """Called once the notification is committed; emails are not sent yet."""
