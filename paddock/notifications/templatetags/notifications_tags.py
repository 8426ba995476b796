from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """How many notifications the signed-in reader has not marked read. Only pages rendered for
    a signed-in reader show it: the page cache never stores those (docs/caching.md)."""
    return selectors.unread_count(context["request"].user)
