"""US ZIP codes to coordinates, from the offline database of the `zipcodes` package."""

from __future__ import annotations

import functools
import math
import re

import zipcodes

ZIP_RE = re.compile(r"^\d{5}$")
EARTH_RADIUS_MILES = 3958.8


@functools.lru_cache(maxsize=4096)
def zip_location(zip_code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of an active five-digit US ZIP code, else None."""
    zip_code = (zip_code or "").strip()
    if not ZIP_RE.match(zip_code):
        return None
    try:
        matches = zipcodes.matching(zip_code)
    except (ValueError, TypeError):
        return None
    for match in matches:
        try:
            return float(match["lat"]), float(match["long"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def zip_state(zip_code: str) -> str:
    try:
        matches = zipcodes.matching(zip_code)
    except (ValueError, TypeError):
        return ""
    return matches[0]["state"] if matches else ""


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles; plenty for "which dealer is nearer"."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))
