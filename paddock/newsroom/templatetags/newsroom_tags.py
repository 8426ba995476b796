"""Site chrome drawn from the newsroom: the section menu and the masthead lists."""

from __future__ import annotations

from django import template

from .. import selectors
from ..models import SectionPage

register = template.Library()


@register.simple_tag
def nav_sections():
    """The sections in the menu (base.html keeps the rendered menu, see {% fragment %})."""
    return list(
        SectionPage.objects.live().in_menu().order_by("path").only("title", "url_path", "slug")
    )


@register.inclusion_tag("newsroom/includes/masthead.html")
def masthead():
    """Writers and moderators (base.html keeps the rendered lists, see {% fragment %})."""
    return {
        "contributors": list(selectors.contributors_with_articles()),
        "moderators": list(selectors.moderators()),
    }
