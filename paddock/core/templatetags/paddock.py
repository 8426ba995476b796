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
