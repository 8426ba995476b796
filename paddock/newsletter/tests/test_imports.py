"""Subscribers and sent editions brought in from elsewhere (another newsletter tool, the demo):
stored with their consent and dates in a few queries, no email sent, and past unsubscribes and
bounces dated when they happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from paddock.newsletter import policy, services
from paddock.newsletter.models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
)

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def _subscribers(count: int, *, start: int = 0) -> list[Subscriber]:
    joined = timezone.now() - dt.timedelta(days=20)
    return [
        Subscriber(
            email=f"Reader{n}@Example.COM",
            status=SubscriberStatus.ACTIVE,
            consent_at=joined,
            consent_text=policy.consent_text(),
            confirmed_at=joined + dt.timedelta(minutes=5),
        )
        for n in range(start, start + count)
    ]


def test_imported_subscribers_keep_their_consent_and_nobody_is_emailed(
    mailoutbox, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="reader1@example.com", name="Here first")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        new = services.subscribers_bulk_import(subscribers=_subscribers(3))
    assert not callbacks and not mailoutbox
    assert [s.email for s in new] == ["reader0@example.com", "reader2@example.com"]
    assert all(s.pk for s in new)
    assert Subscriber.objects.get(email="reader1@example.com").name == "Here first"
    stored = Subscriber.objects.get(email="reader0@example.com")
    assert stored.consent_at == new[0].consent_at and stored.status == SubscriberStatus.ACTIVE


def test_subscribers_without_consent_or_confirmation_are_refused():
    (no_consent,) = _subscribers(1)
    no_consent.consent_text = ""
    (unconfirmed,) = _subscribers(1, start=1)
    unconfirmed.confirmed_at = None
    for subscriber in (no_consent, unconfirmed):
        with pytest.raises(services.NewsletterError):
            services.subscribers_bulk_import(subscribers=[subscriber])
    with pytest.raises(services.NewsletterError, match="twice"):
        services.subscribers_bulk_import(subscribers=_subscribers(1) + _subscribers(1))
    assert not Subscriber.objects.exists()


def test_importing_subscribers_and_an_edition_takes_the_same_queries_for_few_or_many():
    counts = {}
    # Forty rows stay within one insert on every database (SQLite's 999 parameters).
    for name, count, start in (("few", 3, 0), ("many", 40, 100)):
        with CaptureQueriesContext(connection) as queries:
            subscribers = services.subscribers_bulk_import(
                subscribers=_subscribers(count, start=start)
            )
            started = timezone.now() - dt.timedelta(days=1)
            services.edition_import_sent(
                edition=Edition(
                    subject=f"Special {name}",
                    started_at=started,
                    finished_at=started + dt.timedelta(minutes=2),
                ),
                deliveries=[
                    Delivery(subscriber=s, status=DeliveryStatus.SENT, sent_at=started)
                    for s in subscribers
                ],
            )
        counts[name] = len(queries.captured_queries)
    assert counts["few"] == counts["many"], counts
    assert Delivery.objects.count() == 43


def test_a_sent_edition_counts_its_deliveries_and_past_leavers_and_bounces_keep_their_dates():
    subscribers = services.subscribers_bulk_import(subscribers=_subscribers(3))
    started = timezone.now() - dt.timedelta(days=6)
    edition = services.edition_import_sent(
        edition=Edition(
            subject="Inside the price war",
            started_at=started,
            finished_at=started + dt.timedelta(minutes=3),
        ),
        deliveries=[
            Delivery(
                subscriber=s,
                status=DeliveryStatus.SENT,
                attempts=1,
                sent_at=started,
                message_id=f"<{i}@mail.example>",
            )
            for i, s in enumerate(subscribers)
        ],
    )
    edition.refresh_from_db()
    assert (edition.status, edition.recipients) == (EditionStatus.SENT, 3)

    left, bounced = started + dt.timedelta(hours=5), started + dt.timedelta(hours=1)
    services.subscriber_unsubscribe(subscriber=subscribers[0], edition_id=edition.pk, at=left)
    services.subscriber_mark_bounced(message_id="<1@mail.example>", detail="550", at=bounced)

    first, second = (Subscriber.objects.get(pk=s.pk) for s in subscribers[:2])
    assert (first.status, first.unsubscribed_at, first.unsubscribed_edition_id) == (
        SubscriberStatus.UNSUBSCRIBED,
        left,
        edition.pk,
    )
    assert (second.status, second.bounced_at) == (SubscriberStatus.BOUNCED, bounced)
    assert Delivery.objects.get(message_id="<1@mail.example>").bounced


def test_only_a_new_edition_with_its_times_is_imported_as_sent():
    with pytest.raises(services.NewsletterError, match="times"):
        services.edition_import_sent(edition=Edition(subject="No dates"), deliveries=[])
    assert not Edition.objects.exists()
