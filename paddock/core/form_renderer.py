"""Django's form renderer, with the HTML of each of Django's own widgets kept by the process.

A widget of Django's (`django/forms/widgets/…`) renders from its context alone: no request, no
context processors. The same context always gives the same HTML, and rendering it through the
template engine (input.html including attrs.html) takes about 0.2 ms: a cold article page
renders four. Kept here for each context made only of plain values (names, values, attributes);
a widget whose context holds anything else (a select's option groups, a file) renders as before,
and so does every template that is not one of Django's widgets (Wagtail's admin widgets, whole
forms and fields). Settings: FORM_RENDERER.

The widgets that are Django's `input.html` alone (text, hidden, e-mail...) show their value in
one place, escaped as any text (or as it is, when marked safe): their HTML is kept without it,
and each render puts its own value in. A value that differs at every render (a form's signed
stamp of when it was shown, on every page with a form) then finds its input kept as well.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString

_WIDGETS = "django/forms/widgets/"
_PLAIN = (str, int, float, bool, type(None), Promise)
MAX_ENTRIES = 2000  # then forgotten, all at once (values such as a form's stamp vary)
# A value longer than this (what a stranger typed into a form sent back with errors, say) is
# rendered, not kept: the store stays small whatever is sent.
MAX_VALUE = 200
_kept: dict[tuple, str | tuple[str, str]] = {}
# Django's widget templates that are `input.html` and nothing else: the value is shown once,
# `value="{{ widget.value|stringformat:'s' }}"`, and only whether it is None shapes the rest.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input", "checkbox", "color", "date", "datetime", "email", "file", "hidden",
        "number", "password", "search", "tel", "text", "time", "url",
    )
)  # fmt: skip
# What stands for the value while the kept HTML is made: letters only, nothing escapes it.
_SLOT = "paddockwidgetvalueslot"


def _key(template_name: str, context) -> tuple | None:
    """A hashable copy of a widget's context, or None when it holds more than plain values.
    For an input (`_INPUTS`) with a value, its value is left out: only whether it is marked
    safe is kept, the last item of the key ("value-slot", safe)."""
    if not isinstance(context, dict) or context.keys() != {"widget"}:
        return None
    widget = context["widget"]
    attrs = widget.get("attrs", {})
    slot = None
    value = widget.get("value")
    if template_name in _INPUTS and value is not None and isinstance(value, _PLAIN):
        slot = ("value-slot", isinstance(value, SafeData))
    fields = tuple(
        sorted(
            (name, v)
            for name, v in widget.items()
            if name != "attrs" and not (slot and name == "value")
        )
    )
    if not all(_small(v) for _, v in fields) or not all(_small(v) for v in attrs.values()):
        return None
    # Types too: True and 1 are equal keys, and render differently. A lazy translation as the
    # text it is now, in the language in use.
    return (
        template_name,
        tuple((name, type(v), v) for name, v in _plain(fields)),
        tuple((name, type(v), v) for name, v in _plain(sorted(attrs.items()))),
        slot,
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
            found = self._made(template_name, context, key[-1])
            if found is None:
                return super().render(template_name, context, request)
            if len(_kept) >= MAX_ENTRIES:
                _kept.clear()
            _kept[key] = found
        if isinstance(found, str):
            return found
        before, after = found
        value = context["widget"]["value"]
        # As the template shows it: "%s" of the value, escaped unless marked safe.
        shown = str(value) if isinstance(value, SafeData) else html.escape(str(value))
        return SafeString(f"{before}{shown}{after}")

    def _made(self, template_name, context, slot) -> str | tuple[str, str] | None:
        """The HTML to keep for this key: whole, or around the value's place (None: the
        value's place could not be told apart, render it each time)."""
        if slot is None:
            return super().render(template_name, context)
        widget = {**context["widget"], "value": SafeString(_SLOT) if slot[1] else _SLOT}
        parts = super().render(template_name, {"widget": widget}).split(_SLOT)
        return (parts[0], parts[1]) if len(parts) == 2 else None
