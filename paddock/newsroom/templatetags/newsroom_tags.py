"""Site chrome drawn from the newsroom: the section menu and the masthead lists."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from paddock.core import chrome

from ..chrome import CONTRIBUTORS, MODERATORS, menu_sections
from ..selectors import card_rendition as card_rendition_for

register = template.Library()


@register.simple_tag
def nav_sections():
    """The sections in the menu, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return menu_sections()


@register.inclusion_tag("newsroom/includes/masthead.html")
def masthead():
    """Writers and moderators, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return {"contributors": chrome.get(CONTRIBUTORS), "moderators": chrome.get(MODERATORS)}


@register.simple_tag
def card_rendition(article):
    """{% image article.lead_image fill-640x360 as img %} for a list's card, from what the
    list read for its cards (selectors.card_rendition)."""
    return card_rendition_for(article)


@register.simple_tag
def published_time(value) -> str:
    """<time datetime="…">Month day, year</time> for a byline's date in the current time zone,
    as Django's date filter writes them, made once a process for each date, zone and language:
    the filter takes about 30 µs for the two, and a list shows a dozen bylines."""
    local = template_localtime(value)
    # Its time zone in the key too: datetimes at the same instant are equal, and hash alike.
    return _published_time(local, getattr(local, "tzinfo", None), get_language())


@lru_cache(maxsize=4096)
def _published_time(local, zone, language: str | None) -> str:
    return format_html(
        '<time datetime="{}">{}</time>', date_filter(local, "c"), date_filter(local, "F j, Y")
    )
