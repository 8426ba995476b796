"""Demo newsletter data, so that a new site's admin has statistics to show: subscribers who
joined over the last weeks (a few left, two bounced), one special edition and one weekly
digest that went out. Loaded by `load_demo`; safe to call again (it then does nothing)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from paddock.newsletter import policy
from paddock.newsletter.models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionKind,
    EditionStatus,
    Frequency,
    Subscriber,
    SubscriberStatus,
)

from .content import read

_newsletter = read("newsletter")
SUBSCRIBERS: int = _newsletter["subscribers"]
FIRST_EMAIL: str = _newsletter["first_email"]
SPECIAL_BODY: str = _newsletter["special_body"]


def demo_newsletter_loaded() -> bool:
    return Subscriber.objects.filter(email=FIRST_EMAIL).exists()


@transaction.atomic
def load_demo_newsletter() -> int:
    """Create the demo subscribers and sent editions; how many subscribers were created."""
    if demo_newsletter_loaded():
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data, fixed for identical runs
    now = timezone.now()
    subscribers = []
    for n in range(1, SUBSCRIBERS + 1):
        joined = now - dt.timedelta(days=rng.uniform(0, 40) if n > 12 else rng.uniform(41, 90))
        subscribers.append(
            Subscriber(
                email=f"newsletter-reader-{n}@example.com",
                name=f"Newsletter reader {n}",
                status=SubscriberStatus.ACTIVE,
                frequency=rng.choice([Frequency.WEEKLY, Frequency.WEEKLY, Frequency.DAILY]),
                consent_at=joined,
                consent_ip="192.0.2.10",
                consent_source="/",
                consent_text=policy.consent_text(),
                confirmed_at=joined + dt.timedelta(minutes=rng.randint(1, 90)),
            )
        )
    Subscriber.objects.bulk_create(subscribers)
    subscribers = list(Subscriber.objects.filter(email__startswith="newsletter-reader-"))
    special = Edition.objects.create(
        kind=EditionKind.SPECIAL,
        subject="Special edition: inside the new-car price war",
        preheader="Deep discounts, quiet clear-outs, and what it means for buyers",
        body=SPECIAL_BODY,
        status=EditionStatus.SENT,
        started_at=now - dt.timedelta(days=6),
        finished_at=now - dt.timedelta(days=6) + dt.timedelta(minutes=3),
    )
    week_end = timezone.localtime(now - dt.timedelta(days=2)).replace(
        hour=policy.digest_hour(), minute=0, second=0, microsecond=0
    )
    year, week, _ = week_end.isocalendar()
    digest = Edition.objects.create(
        kind=EditionKind.WEEKLY,
        subject=f"Your weekly digest, {week_end:%B} {week_end.day}",
        status=EditionStatus.SENT,
        period_key=f"weekly:demo-{year}-W{week:02d}",
        window_start=week_end - dt.timedelta(days=7),
        window_end=week_end,
        started_at=week_end,
        finished_at=week_end + dt.timedelta(minutes=2),
    )
    deliveries = []
    for edition in (special, digest):
        audience = [
            s
            for s in subscribers
            if s.confirmed_at < edition.started_at
            and (edition is special or s.frequency == Frequency.WEEKLY)
        ]
        for i, subscriber in enumerate(audience):
            failed = i % 23 == 5
            deliveries.append(
                Delivery(
                    edition=edition,
                    subscriber=subscriber,
                    status=DeliveryStatus.FAILED if failed else DeliveryStatus.SENT,
                    attempts=policy.max_attempts() if failed else 1,
                    last_error="SMTPRecipientsRefused: 450 mailbox busy" if failed else "",
                    sent_at=None if failed else edition.started_at + dt.timedelta(seconds=i),
                )
            )
        Edition.objects.filter(pk=edition.pk).update(recipients=len(audience))
    Delivery.objects.bulk_create(deliveries)
    # A few leave after each edition, two addresses bounce.
    for edition, leavers in ((special, subscribers[3:7]), (digest, subscribers[9:11])):
        Subscriber.objects.filter(pk__in=[s.pk for s in leavers]).update(
            status=SubscriberStatus.UNSUBSCRIBED,
            unsubscribed_at=edition.started_at + dt.timedelta(hours=5),
            unsubscribed_edition=edition,
            unsubscribe_reason="link",
        )
    bounced = subscribers[20:22]
    Subscriber.objects.filter(pk__in=[s.pk for s in bounced]).update(
        status=SubscriberStatus.BOUNCED,
        bounced_at=special.started_at + dt.timedelta(hours=1),
        bounce_detail="550 5.1.1 The email account does not exist.",
    )
    Delivery.objects.filter(edition=special, subscriber__in=bounced).update(bounced=True)
    return len(subscribers)
