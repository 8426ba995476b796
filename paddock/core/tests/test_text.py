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
