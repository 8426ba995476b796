"""Database ids from outside: URLs, query strings and form fields.

Ids are positive and fit a signed 64-bit integer (what PostgreSQL's bigint and SQLite's INTEGER
hold). Anything else names no row: it is refused before it reaches a query, where PostgreSQL
would raise on it and SQLite would overflow, and the reader gets a 404 or a form error.

URLs name rows with `<id:pk>` (the converter is registered by the core app); query strings and
POST bodies go through `parse_id` or the form field `IdField`.
"""

from __future__ import annotations

from django import forms

MAX_ID = 2**63 - 1
# Enough digits for MAX_ID; a longer string is refused before int() has to read it.
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """The id in `value` (an int or a string of ASCII digits), or None when no row can have it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:pk>`: a row's id in a URL; anything out of range does not match, so it is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value!r} is not a database id.")
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


class IdField(forms.IntegerField):
    """A form field for a row's id: a positive integer a database column can hold."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": "That is not the number of anything here.",
        "min_value": "That is not the number of anything here.",
        "max_value": "That is not the number of anything here.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
