"""The moderation policy in force, read once per request or task (it changes rarely)."""

from __future__ import annotations

from .models import ModerationPolicy


def current() -> ModerationPolicy:
    """The site's policy; its defaults, unsaved, while nobody has edited it (reading the policy
    never writes, so judging a comment can be tried without changing anything)."""
    return ModerationPolicy.objects.order_by("pk").first() or ModerationPolicy()
