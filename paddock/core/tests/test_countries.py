"""Country names looked up once a process are django-countries' own, in the language in use."""

from __future__ import annotations

from django.utils import translation
from django_countries.fields import Country

from paddock.core.countries import country_name


def test_a_country_name_is_django_countries_own():
    for code in ("DE", "NO", "JP", "US"):
        assert country_name(code) == Country(code).name
    assert country_name("") == ""


def test_a_country_name_follows_the_language_in_use():
    english = country_name("DE")
    with translation.override("de"):
        assert country_name("DE") == Country("DE").name == "Deutschland"
    assert country_name("DE") == english == "Germany"
