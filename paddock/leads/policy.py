"""Every lead rule's threshold, in one place with safe defaults; settings may override each."""

from __future__ import annotations

from django.conf import settings

CONSENT_TEXT = (
    "I agree that Paddock may share my name, email address, phone number and ZIP code with up "
    "to three dealers near me, who may contact me by email or phone about this vehicle. I can "
    "ask for my request to be deleted at any time."
)


def radius_miles() -> float:
    return float(getattr(settings, "PADDOCK_LEADS_RADIUS_MILES", 100))


def max_dealers() -> int:
    return int(getattr(settings, "PADDOCK_LEADS_MAX_DEALERS", 3))


def duplicate_days() -> int:
    return int(getattr(settings, "PADDOCK_LEADS_DUPLICATE_DAYS", 30))


def retention_days() -> int:
    return int(getattr(settings, "PADDOCK_LEADS_RETENTION_DAYS", 365))


def min_submit_seconds() -> float:
    """A person takes longer than this to fill the form in; a script usually does not."""
    return float(getattr(settings, "PADDOCK_LEADS_MIN_SUBMIT_SECONDS", 3))
