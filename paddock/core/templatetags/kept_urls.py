"""`{% url %}` as Django's, with the address of a URL name given no arguments, or only constant
ones (`{% url 'wagtail_serve' '' %}`), worked out once per process (for each script prefix,
current application and URLconf) instead of once a render: the base template alone names a
dozen such addresses on every page. Installed as a template builtin (config/settings.py), so
that it stands in for Django's tag in every template."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template import Variable, defaulttags
from django.urls import get_urlconf, reverse
from django.utils.html import conditional_escape

from paddock.core.urls import current_script_prefix

register = template.Library()

# (view name, arguments, keyword arguments, script prefix, current application, URLconf) →
# address
_kept: dict[tuple, str] = {}
_MAX_KEPT = 512


_VARIES = object()  # an argument whose value each render gives


def _constant(expression):
    """The value of a constant argument ('' or 3, without filters), else _VARIES."""
    if expression.filters or isinstance(expression.var, Variable):
        return _VARIES
    return expression.var


class KeptURLNode(defaulttags.URLNode):
    def __init__(self, view_name, args, kwargs, asvar) -> None:
        super().__init__(view_name, args, kwargs, asvar)
        # What the address is made of when every argument is a constant, else None.
        args = tuple(_constant(arg) for arg in args)
        kwargs = tuple((key, _constant(value)) for key, value in kwargs.items())
        constant = isinstance(view_name.var, str) and not view_name.filters
        if any(a is _VARIES for a in args) or any(v is _VARIES for _, v in kwargs):
            constant = False
        self._constant = (str(view_name.var), args, kwargs) if constant else None

    def render(self, context):
        if self._constant is None:
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        key = (*self._constant, current_script_prefix(), current_app, str(urlconf))
        url = _kept.get(key)
        if url is None:
            if self.asvar:  # a name that may not reverse: Django's own handling
                return super().render(context)
            name, args, kwargs = self._constant
            url = reverse(name, args=args, kwargs=dict(kwargs), current_app=current_app)
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
