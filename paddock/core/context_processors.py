"""Template context every page needs: the site's name, and the words in the header's search
box (none but on the search page, whose view gives them)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    # `query` given, blank, so that the templates that show it (the search box of every page)
    # find it rather than fail the lookup, which costs a raised exception each time.
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME, "query": ""}
