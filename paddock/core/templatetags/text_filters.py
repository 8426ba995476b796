"""`truncatechars` as Django's filter, giving the same text, cut by `core.text.truncate_chars`
(no walk through every character of an ASCII text, nor of one short enough). Installed as a
template builtin (config/settings.py), so that it stands in for Django's filter in every
template: the meta descriptions of every article and page go through it."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import stringfilter

from paddock.core.text import truncate_chars

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value, arg):
    try:
        length = int(arg)
    except ValueError:  # as Django's: a length that is not a number leaves the text whole
        return value
    return truncate_chars(value, length)
