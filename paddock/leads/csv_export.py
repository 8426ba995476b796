"""CSV that a spreadsheet opens without running anything a shopper typed."""

from __future__ import annotations

import re

import phonenumbers

E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def phone_cell(value) -> str:
    """A valid E.164 number as it is, so spreadsheets see a number (its "+" starts no formula
    that could do harm); anything else neutralised as any other cell."""
    text = "" if value is None else str(value)
    if E164_RE.match(text):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(text, None)):
                return text
        except phonenumbers.NumberParseException:
            pass
    return safe_cell(text)
