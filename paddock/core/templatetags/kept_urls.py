"""`{% url %}` as Django's, with the address of a URL name that takes no arguments worked out
once per process (for each script prefix, current application and URLconf) instead of once a
render: the base template alone names a dozen such addresses on every page. Installed as a
template builtin (config/settings.py), so that it stands in for Django's tag in every
template."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import get_urlconf, reverse
from django.utils.html import conditional_escape

from paddock.core.urls import current_script_prefix

register = template.Library()

# (view name, script prefix, current application, URLconf) → address
_kept: dict[tuple[str, str, str | None, str], str] = {}
_MAX_KEPT = 512


class KeptURLNode(defaulttags.URLNode):
    def render(self, context):
        name = self.view_name.var
        if self.args or self.kwargs or self.view_name.filters or not isinstance(name, str):
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        key = (str(name), current_script_prefix(), current_app, str(urlconf))
        url = _kept.get(key)
        if url is None:
            if self.asvar:  # a name that may not reverse: Django's own handling
                return super().render(context)
            url = reverse(key[0], current_app=current_app)
            if len(_kept) < _MAX_KEPT:
                _kept[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
