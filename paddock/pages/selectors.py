"""Reads of the pages app that other parts of the site ask for."""

from __future__ import annotations

from .models import ContactMessage


def personal_data(user, emails: list[str]) -> dict:
    """Messages sent through a contact form from one of the reader's verified addresses, for
    their download (PERSONAL_DATA_HOOK): what they wrote, when, and whether it was handled."""
    messages = (
        ContactMessage.objects.filter(email__in=emails)
        .order_by("created_at", "pk")
        .values("id", "name", "email", "subject", "message", "created_at", "handled_at")
        .iterator(chunk_size=500)
    )
    return {"contact_messages": messages}
