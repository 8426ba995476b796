"""Django's widgets, kept by the process for each plain context, render as Django renders them."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.translation import gettext_lazy

from paddock.core import form_renderer
from paddock.core.form_renderer import KeptWidgetsRenderer


class Sample(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(required=False, max_length=30)
    count = forms.IntegerField(required=False)
    agree = forms.BooleanField(required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("c", "<C>")], required=False)
    search = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("This field is required.")}),
    )


def _both(**kwargs) -> tuple[str, str]:
    ours = Sample(renderer=KeptWidgetsRenderer(), **kwargs)
    django = Sample(renderer=DjangoTemplates(), **kwargs)
    return ours.as_div(), django.as_div()


def test_widgets_render_as_djangos_first_time_and_kept():
    form_renderer._kept.clear()
    for data in (
        None,
        {"email": "ana@example.com", "name": "<b>Ana</b>", "count": "1", "agree": "on"},
        {"email": "not an address", "count": "x", "stamp": "1733220000:abc", "kind": "c"},
        {"email": "a@b.c", "count": "1", "agree": ""},  # 1 and True render differently
    ):
        for _ in range(2):  # made, then from what the process kept
            ours, django = _both(data=data) if data is not None else _both()
            assert ours == django
    assert form_renderer._kept  # some were kept
    # A select's options are not plain values: never kept.
    assert not any("select" in key[0] for key in form_renderer._kept)


def test_a_lazy_translation_is_kept_in_each_language():
    form_renderer._kept.clear()
    seen = []
    for language in ("en", "de", "en"):
        with translation.override(language):
            ours, django = _both()
            assert ours == django
            seen.append(ours)
    assert "Dieses Feld" in seen[1] and seen[0] == seen[2] != seen[1]


def test_a_full_store_is_forgotten_and_filled_again(monkeypatch):
    monkeypatch.setattr(form_renderer, "MAX_ENTRIES", 3)
    form_renderer._kept.clear()
    ours, django = _both(data={"email": "x@example.com", "stamp": "1"})
    assert ours == django and len(form_renderer._kept) <= 3


def test_a_long_value_is_rendered_not_kept():
    form_renderer._kept.clear()
    long_text = "x" * (form_renderer.MAX_VALUE + 1)
    ours, django = _both(data={"email": "a@b.c", "name": long_text, "body": long_text})
    assert ours == django and long_text in ours
    assert not any(long_text in str(key) for key in form_renderer._kept)


def test_an_inputs_value_is_put_into_its_kept_html_at_each_render():
    from django.utils.safestring import mark_safe

    form_renderer._kept.clear()
    values = [
        "1733220000:abc",
        "1733220001:abd",
        '"><script>alert(1)</script>',
        "it's & <that>",
        "",
        "x" * (form_renderer.MAX_VALUE * 3),
        " spaced ",
    ]
    for value in values:
        ours, django = _both(data={"email": value, "name": value, "stamp": value, "count": "7"})
        assert ours == django
    # One input's HTML kept for all its values: the store does not grow with them.
    # (Besides the input with no value: an empty one is left out.)
    stamps = [key for key in form_renderer._kept if key[0].endswith("/hidden.html") and key[-1]]
    assert len(stamps) == 1
    assert not any("alert" in str(key) for key in form_renderer._kept)
    # Values given to a widget directly: numbers, text marked safe, a lazy translation.
    for widget, value in (
        (forms.HiddenInput(), 12),
        (forms.HiddenInput(), 0),
        (forms.TextInput(attrs={"class": "a"}), mark_safe("<b>safe</b>")),
        (forms.TextInput(attrs={"class": "a"}), "<b>not safe</b>"),
        (forms.TextInput(), gettext_lazy("This field is required.")),
    ):
        for _ in range(2):
            assert widget.render("v", value, renderer=KeptWidgetsRenderer()) == widget.render(
                "v", value, renderer=DjangoTemplates()
            )
    assert "paddockwidgetvalueslot" not in str(
        forms.TextInput().render("v", "x", renderer=KeptWidgetsRenderer())
    )


def test_an_input_whose_attributes_hold_the_slot_text_is_rendered_each_time():
    form_renderer._kept.clear()
    widget = forms.TextInput(attrs={"title": form_renderer._SLOT})
    for value in ("a", "b"):
        assert widget.render("v", value, renderer=KeptWidgetsRenderer()) == widget.render(
            "v", value, renderer=DjangoTemplates()
        )
    assert not form_renderer._kept
