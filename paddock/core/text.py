"""Text helpers shared by apps: folding text into a form where look-alike spellings compare equal,
escaping it for markup built in Python, and cutting it to a length.

`normalise_for_matching` is for *comparing* text (a display name against staff names, a comment
against banned words), never for showing it: what it returns is lossy on purpose.
"""

from __future__ import annotations

import html
import unicodedata

from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length


def truncate_chars(value, length: int, truncate: str | None = None) -> str:
    """Django's `Truncator(value).chars(length, truncate)`, the same answer without its walk
    through every character when none can be combining (ASCII) or none needs cutting: it
    cuts the meta descriptions and the comments' excerpts on every page that shows them."""
    length = int(length)
    if length <= 0:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if len(text) <= length:  # combining characters only make it count shorter
        return text
    if text.isascii():  # no combining characters: each character counts as one
        return add_truncation_text(
            text[: calculate_truncate_chars_length(length, truncate)], truncate
        )
    return Truncator(text).chars(length, truncate)


def escape(value) -> str:
    """HTML-escape as Django's escape does, without its lazy-string wrapper: for markup built
    in Python, a value at a time (comments/rendering.py, newsroom/rendering.py)."""
    return html.escape(str(value), quote=True)


# Characters that readers use to dodge a word filter, folded to the Latin letter they imitate.
# Applied after NFKC and casefold, so full-width and mathematical letters (ａ, 𝐚) and capitals
# are already plain lower-case by then. "1", "l", "|" and "!" all become "i": next to each other
# they are indistinguishable in many fonts, so "Adm1n", "AdmIn" and "Admln" meet in one spelling.
_LOOKALIKES = str.maketrans(
    {
        # Digits and symbols.
        "0": "o",
        "1": "i",
        "l": "i",
        "|": "i",
        "!": "i",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        # Cyrillic.
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        # Greek.
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        # Latin letters that read as others.
        "ı": "i",
        "ſ": "s",
        "ß": "ss",
    }
)
# Pairs of letters that together look like one; folded after the single characters.
_DIGRAPHS = (("rn", "m"), ("vv", "w"))


def normalise_for_matching(text: str) -> str:
    """Fold text so that spellings meant to look alike compare equal.

    NFKC, casefold, common look-alikes mapped to Latin letters (0→o, 1/l→i, 3→e, 5→s, Cyrillic
    а/е/о/р/с/х, Greek ο/α…), accents dropped, then everything but letters and digits removed:
    "M o d e r a t o r", "Ad-m1n" and "Моderatоr" (Cyrillic М/о) become "moderator", "admin"
    and "moderator". Compare only normalised with normalised text.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LOOKALIKES)
    # Decompose so that accents become separate combining marks, then drop them (é → e).
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))
    # NFKD can yield new look-alikes (e.g. "¹" → "1"); fold once more, then the digraphs.
    kept = kept.translate(_LOOKALIKES)
    for pair, letter in _DIGRAPHS:
        kept = kept.replace(pair, letter)
    return kept
