"""Django's form renderer, with the HTML of each of Django's own widgets kept by the process.

A widget of Django's (`django/forms/widgets/…`) renders from its context alone: no request, no
context processors. The same context always gives the same HTML, and rendering it through the
template engine (input.html including attrs.html) takes about 0.2 ms: a cold article page
renders four. Kept here for each context made only of plain values (names, values, attributes);
a widget whose context holds anything else (a select's option groups, a file) renders as before,
and so does every template that is not one of Django's widgets (Wagtail's admin widgets, whole
forms and fields). Settings: FORM_RENDERER.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise

_WIDGETS = "django/forms/widgets/"
_PLAIN = (str, int, float, bool, type(None), Promise)
MAX_ENTRIES = 2000  # then forgotten, all at once (values such as a form's stamp vary)
# A value longer than this (what a stranger typed into a form sent back with errors, say) is
# rendered, not kept: the store stays small whatever is sent.
MAX_VALUE = 200
_kept: dict[tuple, str] = {}


def _key(template_name: str, context) -> tuple | None:
    """A hashable copy of a widget's context, or None when it holds more than plain values."""
    if not isinstance(context, dict) or context.keys() != {"widget"}:
        return None
    widget = context["widget"]
    attrs = widget.get("attrs", {})
    fields = tuple(sorted((name, v) for name, v in widget.items() if name != "attrs"))
    if not all(_small(v) for _, v in fields) or not all(_small(v) for v in attrs.values()):
        return None
    # Types too: True and 1 are equal keys, and render differently. A lazy translation as the
    # text it is now, in the language in use.
    return (
        template_name,
        tuple((name, type(v), v) for name, v in _plain(fields)),
        tuple((name, type(v), v) for name, v in _plain(sorted(attrs.items()))),
    )


def _small(value) -> bool:
    return isinstance(value, _PLAIN) and not (isinstance(value, str) and len(value) > MAX_VALUE)


def _plain(items):
    return ((name, str(v) if isinstance(v, Promise) else v) for name, v in items)


class KeptWidgetsRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if request is not None or not template_name.startswith(_WIDGETS):
            return super().render(template_name, context, request)
        key = _key(template_name, context)
        if key is None:
            return super().render(template_name, context, request)
        found = _kept.get(key)
        if found is None:
            found = super().render(template_name, context, request)
            if len(_kept) >= MAX_ENTRIES:
                _kept.clear()
            _kept[key] = found
        return found
