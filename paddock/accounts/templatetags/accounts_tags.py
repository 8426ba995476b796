"""Template helpers of reader accounts: what a gone account is shown as."""

from __future__ import annotations

from django import template

from paddock.accounts.display_names import DELETED_TEXT

register = template.Library()


@register.filter
def or_deleted(name: str | None) -> str:
    """A display name, or "[deleted]" when there is none (the account is gone)."""
    return name or DELETED_TEXT


@register.simple_tag
def deleted_text() -> str:
    """What a gone account's name and a deleted comment's text are replaced by."""
    return DELETED_TEXT
