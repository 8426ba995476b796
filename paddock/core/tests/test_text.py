"""normalise_for_matching folds look-alike spellings together."""

import pytest

from paddock.core.text import normalise_for_matching


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Admin", "admin"),
        ("Adm1n", "admin"),
        ("AdmIn", "admin"),
        ("ＡＤＭＩＮ", "admin"),
        ("M o d e r a t o r", "moderator"),
        ("m.o-d_e/r*a+t(o)r", "moderator"),
        ("Моderatоr", "moderator"),  # Cyrillic М and о
        ("Ρaddοck", "paddock"),  # Greek Ρ and ο
        ("5T4FF", "staff"),
        ("Éditör", "editor"),
        ("$upp0rt", "support"),
        ("adrninistrator", "administrator"),
        ("Jаnе Dое", "janedoe"),  # Cyrillic а, е, о, е
        ("李小龍", "李小龍"),
        ("", ""),
    ],
)
def test_look_alikes_fold_together(text, expected):
    assert normalise_for_matching(text) == expected


def test_result_has_only_letters_and_digits():
    folded = normalise_for_matching("a\u200bb\u202ec\x00d e\tf!?")
    assert folded.isalnum()


def _texts() -> list[str]:
    import random

    rng = random.Random(20261204)
    pieces = ["a", "Z", " ", "é", "e\u0301", "\u0301", "ß", "日本", "🚗", "<b>", "&amp;", "…", "\n"]
    texts = ["", "short", "x" * 300, "Ωmega " * 60, "e\u0301" * 150]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(400)]
    texts += [
        "".join(rng.choice("abc def.") for _ in range(rng.randint(0, 60))) for _ in range(200)
    ]
    return texts


@pytest.mark.parametrize(
    "truncate", [None, "…", "...", "", "%(truncated_text)s [more]", "e\u0301!"]
)
def test_truncate_chars_gives_what_djangos_truncator_gives(truncate):
    from django.utils.text import Truncator

    from paddock.core.text import truncate_chars

    for text in _texts():
        for length in (-1, 0, 1, 2, 3, 5, 10, 25, 40, 59, 300):
            expected = Truncator(text).chars(length, truncate)
            assert truncate_chars(text, length, truncate) == expected, (text, length, truncate)


def test_templates_cut_with_truncatechars_as_djangos_filter_does():
    from django.template import Context, Template
    from django.template.defaultfilters import truncatechars as djangos
    from django.utils.safestring import mark_safe

    template = Template("{{ value|truncatechars:n }}")
    for text in _texts()[:150]:
        for n in (0, 4, 20, "x"):
            expected = djangos(text, n)
            assert template.render(Context({"value": text, "n": n})) == (
                Template("{% autoescape on %}{{ e }}{% endautoescape %}").render(
                    Context({"e": expected})
                )
            )
    # Safe text stays safe, as with Django's filter (is_safe).
    rendered = Template("{{ value|truncatechars:5 }}").render(
        Context({"value": mark_safe("<b>bold words</b>")})
    )
    assert rendered == "<b>b…"
    # Every template gets this filter, not Django's, without loading anything.
    from paddock.core.templatetags import text_filters

    (node,) = Template("{{ v|truncatechars:3 }}").nodelist
    assert node.filter_expression.filters[0][0] is text_filters.truncatechars
