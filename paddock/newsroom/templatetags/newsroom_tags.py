"""Site chrome drawn from the newsroom: the section menu and the masthead lists."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from paddock.core import fragments

from .. import selectors
from ..models import SectionPage

register = template.Library()


@register.simple_tag
def nav_sections():
    """The sections in the menu, remembered until the site's pages change."""
    return fragments.memo(
        "nav-sections",
        ["site"],
        lambda: list(
            SectionPage.objects.live().in_menu().order_by("path").only("title", "url_path", "slug")
        ),
    )


@register.simple_tag
def masthead() -> SafeString:
    """Writers and moderators, rendered once until the site's pages or people change."""
    html = fragments.memo("masthead", ["site"], _render_masthead)
    return mark_safe(html)  # noqa: S308 - rendered and escaped by the template


def _render_masthead() -> str:
    return render_to_string(
        "newsroom/includes/masthead.html",
        {
            "contributors": list(selectors.contributors_with_articles()),
            "moderators": list(selectors.moderators()),
        },
    )
