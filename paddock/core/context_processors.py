"""Template context every page needs: the site's name and canonical base URL."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
