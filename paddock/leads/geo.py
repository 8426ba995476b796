"""Postal codes to coordinates, offline: US ZIP codes from the `zipcodes` package, Canadian
postal codes by their forward sortation area (the first three characters) from the
`pypostalcode` package (Statistics Canada's FSA centroids, all 1,645 of them). The country is
told by the code's shape."""

from __future__ import annotations

import functools
import math
import re

import zipcodes
from pypostalcode import PostalCodeDatabase

ZIP_RE = re.compile(r"^\d{5}$")
# Canada Post never uses D, F, I, O, Q or U, nor W or Z as the first letter. A whole code
# ("K1A 0B1", the space optional) or its forward sortation area alone ("K1A").
CA_RE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?: ?(\d[ABCEGHJ-NPRSTV-Z]\d))?$")
EARTH_RADIUS_MILES = 3958.8

POSTAL_CODE_HELP = "a five-digit US ZIP code (90210) or a Canadian postal code (K1A 0B1)"


def normalise_postal(code: str) -> str:
    """The code as stored: five digits, or a Canadian code in capitals with its one space."""
    code = " ".join((code or "").split()).upper()
    match = CA_RE.match(code)
    if match:
        return " ".join(part for part in match.groups() if part)
    return code


def postal_country(code: str) -> str | None:
    """ "US" or "CA" from the code's shape alone, or None when it has neither."""
    code = normalise_postal(code)
    if ZIP_RE.match(code):
        return "US"
    if CA_RE.match(code):
        return "CA"
    return None


@functools.cache
def _fsa_database() -> PostalCodeDatabase:
    return PostalCodeDatabase()


def _fsa_location(fsa: str) -> tuple[float, float] | None:
    places = _fsa_database().get(fsa)
    if not places:
        return None
    return float(places[0].latitude), float(places[0].longitude)


@functools.lru_cache(maxsize=4096)
def postal_location(code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a known US ZIP code or Canadian postal code, else None."""
    code = normalise_postal(code)
    country = postal_country(code)
    if country == "CA":
        return _fsa_location(code[:3])
    if country != "US":
        return None
    try:
        matches = zipcodes.matching(code)
    except (ValueError, TypeError):
        return None
    for match in matches:
        try:
            return float(match["lat"]), float(match["long"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles; plenty for "which dealer is nearer"."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))
