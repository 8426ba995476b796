"""Absolute URLs for places with no request at hand: emails and background tasks."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
