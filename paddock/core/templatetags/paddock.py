"""Template helpers shared by every app: JSON-LD output and absolute URLs."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def jsonld(value) -> SafeString:
    """Serialise a dict for a <script type="application/ld+json"> block, safe inside HTML."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - escaped just above


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request and url else url


@register.simple_tag(takes_context=True)
def csrf_field(context) -> SafeString:
    """The CSRF field of a form on a page the full-page cache may keep.

    On such a page (an anonymous reader's GET) the field is left empty, so the page holds nothing
    tied to one visitor and sets no cookie; static/js/csrf.js fills it from /csrf/ when the page
    loads, and without JavaScript the form's first post comes back for one confirming click
    (paddock.core.views.csrf_failure). Elsewhere it is Django's usual field.
    """
    from django.middleware.csrf import get_token
    from django.utils.html import format_html

    from paddock.core.pagecache import shareable

    request = context.get("request")
    if request is not None and shareable(request):
        return mark_safe(  # noqa: S308 - a constant
            '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf-fill>'
        )
    token = get_token(request) if request is not None else ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
