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
    Frequency,
    Subscriber,
    SubscriberStatus,
)
from paddock.newsletter.services import (
    edition_import_sent,
    subscriber_mark_bounced,
    subscriber_unsubscribe,
    subscribers_bulk_import,
)

from .content import read

_newsletter = read("newsletter")
SUBSCRIBERS: int = _newsletter["subscribers"]
FIRST_EMAIL: str = _newsletter["first_email"]
SPECIAL_BODY: str = _newsletter["special_body"]
BOUNCE = "550 5.1.1 The email account does not exist."


def demo_newsletter_loaded() -> bool:
    return Subscriber.objects.filter(email=FIRST_EMAIL).exists()


@transaction.atomic
def load_demo_newsletter() -> int:
    """Create the demo subscribers and sent editions; how many subscribers were created.

    They come in as an import from another newsletter tool would, through the newsletter's
    services: the subscribers with their consent, then the editions that went out with their
    deliveries, then who left after which edition and whose address bounced.
    """
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
    subscribers = subscribers_bulk_import(subscribers=subscribers)
    special_at = now - dt.timedelta(days=6)
    special = Edition(
        kind=EditionKind.SPECIAL,
        subject="Special edition: inside the new-car price war",
        preheader="Deep discounts, quiet clear-outs, and what it means for buyers",
        body=SPECIAL_BODY,
        started_at=special_at,
        finished_at=special_at + dt.timedelta(minutes=3),
    )
    week_end = timezone.localtime(now - dt.timedelta(days=2)).replace(
        hour=policy.digest_hour(), minute=0, second=0, microsecond=0
    )
    year, week, _ = week_end.isocalendar()
    digest = Edition(
        kind=EditionKind.WEEKLY,
        subject=f"Your weekly digest, {week_end:%B} {week_end.day}",
        period_key=f"weekly:demo-{year}-W{week:02d}",
        window_start=week_end - dt.timedelta(days=7),
        window_end=week_end,
        started_at=week_end,
        finished_at=week_end + dt.timedelta(minutes=2),
    )
    sent: dict[tuple[str, int], Delivery] = {}
    for edition in (special, digest):
        audience = [
            s
            for s in subscribers
            if s.confirmed_at < edition.started_at
            and (edition is special or s.frequency == Frequency.WEEKLY)
        ]
        deliveries = []
        for i, subscriber in enumerate(audience):
            failed = i % 23 == 5
            delivery = Delivery(
                subscriber=subscriber,
                status=DeliveryStatus.FAILED if failed else DeliveryStatus.SENT,
                attempts=policy.max_attempts() if failed else 1,
                last_error="SMTPRecipientsRefused: 450 mailbox busy" if failed else "",
                sent_at=None if failed else edition.started_at + dt.timedelta(seconds=i),
                message_id="" if failed else f"<{edition.kind}-{i}.demo@paddock.example>",
            )
            deliveries.append(delivery)
            sent[(edition.kind, subscriber.pk)] = delivery
        edition_import_sent(edition=edition, deliveries=deliveries)
    # A few leave after each edition, two addresses bounce.
    for edition, leavers in ((special, subscribers[3:7]), (digest, subscribers[9:11])):
        for subscriber in leavers:
            subscriber_unsubscribe(
                subscriber=subscriber,
                edition_id=edition.pk,
                at=edition.started_at + dt.timedelta(hours=5),
            )
    for subscriber in subscribers[20:22]:
        delivery = sent.get((special.kind, subscriber.pk))
        subscriber_mark_bounced(
            email=subscriber.email,
            message_id=delivery.message_id if delivery else "",
            detail=BOUNCE,
            at=special.started_at + dt.timedelta(hours=1),
        )
    return len(subscribers)
