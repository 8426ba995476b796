"""Every newsletter threshold and timing in one place, with safe defaults; settings override."""

from __future__ import annotations

from django.conf import settings

CONSENT_TEXT = (
    "Send me the {site} newsletter by email. I can change what I get or unsubscribe at any "
    "time with the link in every issue."
)


def _get(name: str, default):
    return getattr(settings, f"PADDOCK_NEWSLETTER_{name}", default)


def consent_text() -> str:
    return CONSENT_TEXT.format(site=settings.WAGTAIL_SITE_NAME)


def confirm_max_age() -> int:
    """Seconds a confirmation link stays valid."""
    return int(_get("CONFIRM_DAYS", 7)) * 24 * 60 * 60


def manage_max_age() -> int:
    """Seconds a preferences link stays valid (every email carries a fresh one)."""
    return int(_get("MANAGE_DAYS", 60)) * 24 * 60 * 60


def resend_interval() -> int:
    """Seconds before the same address may be emailed another confirmation or link."""
    return int(_get("RESEND_SECONDS", 120))


def notices_per_day() -> int:
    """Sign-up, "already subscribed" and preferences-link emails one address gets per day at
    most, however often its address is typed into the forms."""
    return max(1, int(_get("NOTICES_PER_DAY", 3)))


def request_keep_days() -> int:
    """Days a sign-up request is kept (confirmed or not) before it is erased."""
    return max(1, int(_get("REQUEST_KEEP_DAYS", 30)))


def min_submit_seconds() -> float:
    """A person takes longer than this to type an address in; a script usually does not."""
    return float(_get("MIN_SUBMIT_SECONDS", 2))


def batch_size() -> int:
    """Deliveries a worker claims at a time."""
    return max(1, int(_get("BATCH_SIZE", 200)))


def rate() -> float:
    """Messages per second per worker; 0 sends as fast as the mail server takes them."""
    return max(0.0, float(_get("RATE", 0)))


def lease_seconds() -> int:
    """How long a claim on a batch lasts before another worker may take it over."""
    return max(1, int(_get("LEASE_SECONDS", 600)))


def parallel_tasks() -> int:
    """Delivery tasks queued per edition: how many workers may share one sending."""
    return max(1, int(_get("PARALLEL_TASKS", 2)))


def max_attempts() -> int:
    return max(1, int(_get("MAX_ATTEMPTS", 5)))


def backoff_seconds(attempt: int) -> int:
    """Wait before retry number `attempt` (1, 2, ...): 1, 4, 16, 64 minutes, capped at 4 h."""
    base = int(_get("RETRY_BASE_SECONDS", 60))
    return min(base * 4 ** (attempt - 1), 4 * 60 * 60)


def resend_in_doubt() -> bool:
    """Whether a message whose worker died between handing it over and recording it is sent
    again (at-least-once) instead of being set aside as in doubt (at-most-once)."""
    return bool(_get("RESEND_IN_DOUBT", False))


def digest_hour() -> int:
    """Local hour (TIME_ZONE) at which digests go out."""
    return int(_get("DIGEST_HOUR", 7))


def weekly_day() -> int:
    """Weekday of the weekly digest: 0 is Monday."""
    return int(_get("WEEKLY_DAY", 0))


def digest_max_articles() -> int:
    return int(_get("DIGEST_MAX_ARTICLES", 20))


def postal_address() -> str:
    """The sender's postal address, shown in every footer when set (CAN-SPAM asks for one)."""
    return str(_get("POSTAL_ADDRESS", ""))
