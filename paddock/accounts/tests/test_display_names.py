"""Display names: what is accepted, what is refused with a message, and that nothing passes for
the newsroom."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from paddock.accounts.display_names import display_name_clean
from paddock.newsroom.tests.factories import ContributorFactory

from .factories import ReaderFactory

pytestmark = pytest.mark.django_db


def _refusal(value: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        display_name_clean(value, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    "name",
    ["José Ñúñez", "李小龍", "Ана Петрова", "Ελένη", "O.K_Go-2", "Rally Driver 77", "ÆØÅ Fan"],
)
def test_names_in_any_script_with_digits_and_dot_underscore_hyphen_are_accepted(name):
    assert display_name_clean(name) == name


def test_surrounding_blanks_are_trimmed_and_length_counts_after_trimming():
    assert display_name_clean("   Trimmed Name \t") == "Trimmed Name"
    assert display_name_clean("  abc  ") == "abc"
    assert display_name_clean(" " + "x" * 30 + " ") == "x" * 30


def test_decomposed_accents_are_composed_not_refused():
    assert display_name_clean("Jose\u0301") == "José"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("<script>alert(1)</script>", "html"),
        ('<img src=x onerror="alert(1)">', "html"),
        ("Tom & Jerry", "html"),
        ('"Quoted"', "html"),
        ("O'Reilly", "html"),
        ("x" * 31, "too_long"),
        ("y" * 5000, "too_long"),
        ("ab", "too_short"),
        ("   ", "too_short"),
        ("Bob\x00by", "invisible"),
        ("Bob\x1b[31mRed", "invisible"),
        ("Ann\nSmith", "invisible"),
        ("\u202eevil name", "invisible"),
        ("Zero\u200bWidth", "invisible"),
        ("\ufeffByteOrder", "invisible"),
        ("javascript:alert", "alphabet"),
        ("{{ 7*7 }}", "alphabet"),
        ("Racer \U0001f697", "alphabet"),
        ("Bob\u3000Smith", "alphabet"),
        ("Z\u0337\u0322\u031ba\u0338lgo", "alphabet"),
        ("\u0301Accent first", "alphabet"),
        ("Two  Spaces", "spaces"),
        ("123 456", "no_letter"),
        ("...---___", "no_letter"),
    ],
)
def test_hostile_names_are_refused_with_a_message(name, code):
    error = _refusal(name)
    assert error.code == code
    assert error.messages[0]  # a sentence the form shows beside the field


@pytest.mark.parametrize(
    "name",
    [
        "Adm1n",
        "admin",
        "ＡＤＭＩＮ",
        "Ädmïn",
        "The Administrator",
        "M o d e r a t o r",
        "M.o.d-e_r a t 0 r",
        "Моderatоr",
        "Paddock Fan",
        "P4ddock",
        "Chief Ed1tor",
        "5taff",
        "Supp0rt Team",
        "adrnin",
    ],
)
def test_reserved_words_are_refused_however_they_are_spelt(name):
    assert _refusal(name).code == "reserved"


def test_staff_may_use_reserved_words():
    editor = ReaderFactory(is_staff=True)
    assert display_name_clean("Paddock Editor", user=editor) == "Paddock Editor"


@pytest.mark.parametrize(
    "lookalike",
    [
        "Jane Porter",
        "jane.porter",
        "JANE_PORTER",
        "J a n e P o r t e r",
        "Jаnе Pоrtеr",  # Cyrillic а, е, о
        "Jane P0rter",
        "Jáne Pörter",
    ],
)
def test_staff_display_names_cannot_be_imitated(lookalike):
    ReaderFactory(is_staff=True, display_name="Jane Porter")
    assert _refusal(lookalike).code == "impersonation"


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Contributors"])
def test_members_of_editorial_groups_count_as_staff(group):
    ReaderFactory(display_name="Sam Reyes", groups=[group])
    assert _refusal("5am Reyes").code == "impersonation"


def test_newsroom_contributor_names_cannot_be_imitated():
    writer = ReaderFactory(display_name="Ana Writes", groups=["Contributors"])
    ContributorFactory(display_name="Ana Ruiz", user=writer)
    ContributorFactory(display_name="Marco Vitale")  # on the masthead, no account
    assert _refusal("Аnа Ruіz").code == "impersonation"  # Cyrillic А, а, і
    assert _refusal("Marc0 Vita1e").code == "impersonation"


def test_a_reader_name_like_an_ordinary_readers_is_not_impersonation():
    ReaderFactory(display_name="Jane Porter")  # not staff
    assert display_name_clean("Jane P0rter") == "Jane P0rter"


def test_staff_keep_their_own_name():
    editor = ReaderFactory(is_staff=True, display_name="Jane Porter")
    ContributorFactory(display_name="Jane Porter", user=editor)
    assert display_name_clean("Jane Porter", user=editor) == "Jane Porter"


def test_names_are_unique_regardless_of_case():
    ReaderFactory(display_name="Track Fan")
    assert _refusal("track FAN").code == "taken"


def test_own_name_is_not_taken_by_oneself():
    reader = ReaderFactory(display_name="Track Fan")
    assert display_name_clean("TRACK FAN", user=reader) == "TRACK FAN"
