"""Site chrome drawn from the newsroom: the section menu and the masthead lists."""

from __future__ import annotations

from django import template

from paddock.core import chrome

from ..chrome import CONTRIBUTORS, MODERATORS, menu_sections

register = template.Library()


@register.simple_tag
def nav_sections():
    """The sections in the menu, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return menu_sections()


@register.inclusion_tag("newsroom/includes/masthead.html")
def masthead():
    """Writers and moderators, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return {"contributors": chrome.get(CONTRIBUTORS), "moderators": chrome.get(MODERATORS)}
