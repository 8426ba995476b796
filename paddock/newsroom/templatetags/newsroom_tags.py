"""Site chrome drawn from the newsroom (the section menu and the masthead), and the cards,
bylines and dates of articles (rendering.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from paddock.core import chrome

from .. import rendering
from ..chrome import CONTRIBUTORS, MODERATORS, menu_sections

register = template.Library()


@register.simple_tag
def nav_sections():
    """The sections in the menu, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return menu_sections()


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The section menu, from the site chrome's snapshot (rendering.site_nav)."""
    return rendering.site_nav(menu_sections(), context.get("page"), context.get("request"))


@register.simple_tag(takes_context=True)
def related_list(context, articles) -> SafeString:
    """The related articles under a story (rendering.related_list)."""
    return rendering.related_list(articles, context.get("request"))


@register.simple_tag
def masthead() -> SafeString:
    """Writers and moderators, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return rendering.masthead(chrome.get(CONTRIBUTORS), chrome.get(MODERATORS))


@register.simple_tag
def published_time(value, shown: str = "F j, Y") -> SafeString:
    """<time datetime="…">Month day, year</time> for a date (rendering.published_time)."""
    return rendering.published_time(value, shown)


@register.simple_tag
def byline(authors, date) -> SafeString:
    """The byline, "By A, B and C on <date>" (rendering.byline)."""
    return rendering.byline(authors, date)


@register.simple_tag(takes_context=True)
def article_card(context, article, excerpt: str = "") -> SafeString:
    """An article's card in a list, its URLs for this request (rendering.article_card)."""
    return rendering.article_card(article, context.get("request"), excerpt=excerpt)


@register.simple_tag(takes_context=True)
def article_cards(context, articles) -> SafeString:
    """A list's cards, each kept until the site changes (rendering.article_cards)."""
    return rendering.article_cards(articles, context.get("request"))


def _details(context) -> dict:
    """The article page's details (selectors.article_detail_context) from its context."""
    lists = ("authors", "sources", "tags", "makes", "vehicle_models")
    return {name: context.get(name) or [] for name in lists} | {
        name: context.get(name) for name in ("lead_rendition", "structured_data")
    }


@register.simple_tag(takes_context=True)
def article_story(context) -> SafeString:
    """The article page's story, from its context (rendering.article_story)."""
    return rendering.article_story(context["page"], context.get("request"), _details(context))


@register.simple_tag(takes_context=True)
def article_head(context) -> SafeString:
    """The article page's meta tags and structured data (rendering.article_head)."""
    return rendering.article_head(
        context["page"], context.get("request"), _details(context), context.get("SITE_NAME", "")
    )
