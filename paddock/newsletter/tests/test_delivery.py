"""Sending special editions through the task queue to a real SMTP server: every subscriber
once, RFC 8058 headers, retries with backoff, refused recipients, and claims left behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from paddock.newsletter import delivery, services
from paddock.newsletter.models import (
    Delivery,
    DeliveryStatus,
    EditionStatus,
    Frequency,
    SubscriberStatus,
)

from .conftest import html_part, link, text_part
from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_special_edition_reaches_every_subscriber_once(drain_background_tasks, smtp_server):
    subscribers = SubscriberFactory.create_batch(7)
    SubscriberFactory(special_editions=False)
    SubscriberFactory(status=SubscriberStatus.PENDING)
    SubscriberFactory(status=SubscriberStatus.UNSUBSCRIBED)
    SubscriberFactory(status=SubscriberStatus.BOUNCED)
    edition = EditionFactory(subject="Le Mans: the full story")
    services.edition_send(edition=edition)
    services.edition_send(edition=edition)  # a double click sends nothing twice
    drain_background_tasks()

    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == sorted(f"{s.name} <{s.email}>" for s in subscribers)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert edition.recipients == 7
    assert Delivery.objects.filter(edition=edition, status=DeliveryStatus.SENT).count() == 7

    message = smtp_server.messages[0]
    assert message["Subject"] == "Le Mans: the full story"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"].strip().startswith("<http://testserver/newsletter/unsubscribe/")
    )
    assert message["List-Id"].endswith("<newsletter.testserver>")
    assert message["Message-ID"].startswith(f"<newsletter.{edition.pk}.")
    assert "<b>big</b> story" in html_part(message)
    assert "The big story of the week." in text_part(message)
    assert "Unsubscribe: http://testserver/newsletter/unsubscribe/" in text_part(message)


def test_one_click_unsubscribe_from_the_header_works_without_a_session(
    drain_background_tasks, smtp_server
):
    subscriber = SubscriberFactory(email="leaving@example.com")
    edition = EditionFactory()
    services.edition_send(edition=edition)
    drain_background_tasks()
    [message] = smtp_server.messages
    url = message["List-Unsubscribe"].strip().strip("<>").replace("http://testserver", "")

    client = Client(enforce_csrf_checks=True)  # as a mail provider would: no cookie, no token
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_edition_id == edition.pk
    assert subscriber.unsubscribe_reason == "one-click"
    # Twice is fine.
    assert client.post(url).status_code == 200

    # Nothing more is sent to them.
    services.edition_send(edition=EditionFactory())
    drain_background_tasks()
    assert len(smtp_server.messages) == 1


def test_footer_link_unsubscribes_at_once_after_one_button(drain_background_tasks, smtp_server):
    subscriber = SubscriberFactory()
    services.edition_send(edition=EditionFactory())
    drain_background_tasks()
    url = link(smtp_server.messages[0], "/newsletter/unsubscribe/")
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE  # a link scanner changes nothing
    token = page.cookies["csrftoken"].value
    done = client.post(url, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribe_reason == "link"


def test_temporary_refusal_is_retried_with_backoff_and_permanent_one_is_a_bounce(
    drain_background_tasks, picky_smtp_server, settings
):
    settings.PADDOCK_NEWSLETTER_RETRY_BASE_SECONDS = 60
    ok = SubscriberFactory(email="ok@example.com")
    flaky = SubscriberFactory(email="flaky@example.com")
    gone = SubscriberFactory(email="gone@example.com")
    edition = EditionFactory()
    services.edition_send(edition=edition)
    drain_background_tasks()

    assert {m["To"].split("<")[-1].rstrip(">") for m in picky_smtp_server.messages} == {ok.email}
    flaky_delivery = Delivery.objects.get(subscriber=flaky)
    assert flaky_delivery.status == DeliveryStatus.PENDING
    assert flaky_delivery.attempts == 1
    assert "451" in flaky_delivery.last_error
    assert flaky_delivery.not_before > timezone.now() + dt.timedelta(seconds=50)
    gone_delivery = Delivery.objects.get(subscriber=gone)
    assert gone_delivery.status == DeliveryStatus.FAILED
    assert gone_delivery.bounced
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.BOUNCED
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING
    assert edition.wakeup_at is not None  # a follow-up is queued for the retry

    # When the retry is due, the follow-up sends it and the edition is done.
    Delivery.objects.filter(pk=flaky_delivery.pk).update(not_before=timezone.now())
    delivery.deliver_edition(edition.pk)
    assert sorted(m["To"].addresses[0].addr_spec for m in picky_smtp_server.messages) == [
        flaky.email,
        ok.email,
    ]
    assert Delivery.objects.get(subscriber=flaky).status == DeliveryStatus.SENT
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert len(picky_smtp_server.messages) == 2


def test_gives_up_after_the_last_attempt(picky_smtp_server, settings):
    settings.PADDOCK_NEWSLETTER_MAX_ATTEMPTS = 1
    SubscriberFactory(email="flaky2@example.com")
    edition = EditionFactory()
    services.edition_send(edition=edition)
    delivery.deliver_edition(edition.pk)
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_claims_of_a_stopped_worker_are_taken_back_and_in_doubt_is_not_resent(smtp_server):
    subscribers = SubscriberFactory.create_batch(4)
    edition = EditionFactory()
    services.edition_send(edition=edition)
    rows = list(Delivery.objects.filter(edition=edition).order_by("pk"))
    past = timezone.now() - dt.timedelta(seconds=5)
    # A worker claimed all four, was handing the second over, and died.
    Delivery.objects.filter(pk=rows[0].pk).update(status=DeliveryStatus.SENT, claim="dead")
    Delivery.objects.filter(pk=rows[1].pk).update(
        status=DeliveryStatus.SENDING, claim="dead", lease_until=past
    )
    Delivery.objects.filter(pk__in=[rows[2].pk, rows[3].pk]).update(
        status=DeliveryStatus.CLAIMED, claim="dead", lease_until=past
    )
    delivery.deliver_edition(edition.pk)
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == sorted(f"{s.name} <{s.email}>" for s in subscribers[2:])
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses[rows[1].pk] == DeliveryStatus.IN_DOUBT
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_live_claims_are_left_alone(smtp_server):
    SubscriberFactory.create_batch(2)
    edition = EditionFactory()
    services.edition_send(edition=edition)
    later = timezone.now() + dt.timedelta(minutes=5)
    Delivery.objects.update(status=DeliveryStatus.CLAIMED, claim="alive", lease_until=later)
    delivery.deliver_edition(edition.pk)
    assert smtp_server.messages == []
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING
    assert edition.wakeup_at > later  # it looks again once that lease has ended


def test_unsubscribing_mid_send_skips_what_was_not_handed_over(smtp_server):
    keep, leave = SubscriberFactory(), SubscriberFactory()
    edition = EditionFactory()
    services.edition_send(edition=edition)
    Delivery.objects.update(
        status=DeliveryStatus.CLAIMED,
        claim="worker",
        lease_until=timezone.now() + dt.timedelta(minutes=5),
    )
    services.subscriber_unsubscribe(subscriber=leave)
    assert Delivery.objects.get(subscriber=leave).status == DeliveryStatus.SKIPPED
    assert Delivery.objects.get(subscriber=keep).status == DeliveryStatus.CLAIMED


def test_digest_subscribers_do_not_get_special_editions_they_declined(smtp_server):
    SubscriberFactory(frequency=Frequency.DAILY, special_editions=False)
    edition = EditionFactory()
    services.edition_send(edition=edition)
    edition.refresh_from_db()
    assert edition.recipients == 0
    assert edition.status == EditionStatus.SENT
