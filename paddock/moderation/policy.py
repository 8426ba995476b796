"""The moderation policy in force, read once per request or task (it changes rarely)."""

from __future__ import annotations

from .models import ModerationPolicy


def current() -> ModerationPolicy:
    return ModerationPolicy.load()
