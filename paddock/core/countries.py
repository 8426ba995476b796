"""Country names for pages that list many people (the masthead, contributors, moderators).

django-countries looks a name up afresh each time (about 25 µs: the language in use, the
translation); here each process looks it up once per language and country."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language
from django_countries import countries


def country_name(code: str, language: str | None = None) -> str:
    """The name of the country with this ISO code in the active language (or `language`, the
    active one read once for a list of people), or "" for none."""
    if not code:
        return ""
    return _name(language or get_language(), str(code))


@lru_cache(maxsize=1024)
def _name(language: str | None, code: str) -> str:
    return str(countries.name(code))
