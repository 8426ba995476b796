"""Every lead rule's threshold, in one place with safe defaults; settings may override each."""

from __future__ import annotations

from django.conf import settings

CONSENT_TEXT = (
    "I agree that Paddock may share my name, email address, phone number and ZIP or postal code "
    "with up to three dealers near me, who may contact me by email or phone about this "
    "vehicle. I can ask for my request to be deleted at any time."
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


def crm_max_attempts() -> int:
    """How many times a lead is POSTed to a dealer's CRM before the editors are alerted."""
    return int(getattr(settings, "PADDOCK_LEADS_CRM_MAX_ATTEMPTS", 5))


def crm_backoff_seconds(attempt: int) -> float:
    """Wait after failed attempt number `attempt` (1, 2, …): doubling from the base, an hour
    at most."""
    base = float(getattr(settings, "PADDOCK_LEADS_CRM_RETRY_BASE_SECONDS", 60))
    return min(base * 2 ** (attempt - 1), 3600.0)


def crm_timeout_seconds() -> float:
    return float(getattr(settings, "PADDOCK_LEADS_CRM_TIMEOUT_SECONDS", 10))
