"""Digests: built per frequency and per subscriber's sections from the period's articles, sent
by the periodic task once per period however often it runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from paddock.newsletter import services, tasks
from paddock.newsletter.models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionKind,
    EditionStatus,
    Frequency,
)
from paddock.newsroom.tests.factories import make_article

from .conftest import html_part, text_part
from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A Monday, after the default digest hour (07:00 in TIME_ZONE, UTC in tests).
MONDAY = timezone.make_aware(dt.datetime(2026, 11, 23, 8, 30))


def _articles(sections):
    return {
        "news_today": make_article(
            sections["news"],
            title="Factory reopens after flood",
            published_at=MONDAY - dt.timedelta(hours=5),
        ),
        "review_today": make_article(
            sections["reviews"],
            title="Tested: the compact estate",
            published_at=MONDAY - dt.timedelta(hours=10),
        ),
        "news_last_week": make_article(
            sections["news"],
            title="Price cuts across the range",
            published_at=MONDAY - dt.timedelta(days=4),
        ),
        "too_old": make_article(
            sections["news"], title="Ancient history", published_at=MONDAY - dt.timedelta(days=9)
        ),
    }


def test_daily_and_weekly_digests_per_sections(sections, drain_background_tasks, smtp_server):
    _articles(sections)
    everything = SubscriberFactory(email="all@example.com", frequency=Frequency.DAILY)
    reviews_only = SubscriberFactory(email="reviews@example.com", frequency=Frequency.DAILY)
    reviews_only.sections.set([sections["reviews"]])
    weekly = SubscriberFactory(email="weekly@example.com", frequency=Frequency.WEEKLY)
    SubscriberFactory(email="specials@example.com", frequency=Frequency.NONE)

    started = services.digests_send_due(now=MONDAY)
    assert {e.kind for e in started} == {EditionKind.DAILY, EditionKind.WEEKLY}
    drain_background_tasks()

    by_to = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(by_to) == {everything.email, reviews_only.email, weekly.email}

    daily_all = text_part(by_to[everything.email])
    assert "Factory reopens after flood" in daily_all
    assert "Tested: the compact estate" in daily_all
    assert "Price cuts" not in daily_all
    assert "http://testserver/news/" in daily_all
    assert by_to[everything.email]["Subject"] == "Your daily Paddock digest, November 23"
    assert by_to[everything.email]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    daily_reviews = html_part(by_to[reviews_only.email])
    assert "Tested: the compact estate" in daily_reviews
    assert "Factory reopens" not in daily_reviews

    weekly_text = text_part(by_to[weekly.email])
    assert "Price cuts across the range" in weekly_text
    assert "Factory reopens after flood" in weekly_text
    assert "Ancient history" not in weekly_text
    assert "this past week" in weekly_text


def test_running_again_in_the_period_sends_nothing_twice(
    sections, drain_background_tasks, smtp_server
):
    _articles(sections)
    SubscriberFactory(frequency=Frequency.DAILY)
    for minutes in (0, 15, 30):
        services.digests_send_due(now=MONDAY + dt.timedelta(minutes=minutes))
    drain_background_tasks()
    services.digests_send_due(now=MONDAY + dt.timedelta(hours=3))
    drain_background_tasks()
    assert len(smtp_server.messages) == 1
    assert Edition.objects.filter(kind=EditionKind.DAILY).count() == 1

    # The next day is a new period.
    services.digests_send_due(now=MONDAY + dt.timedelta(days=1))
    assert Edition.objects.filter(kind=EditionKind.DAILY).count() == 2


def test_nothing_is_due_before_the_hour_or_on_another_weekday(sections):
    SubscriberFactory(frequency=Frequency.WEEKLY)
    assert services.digests_send_due(now=MONDAY.replace(hour=6)) == []
    services.digests_send_due(now=MONDAY + dt.timedelta(days=2))
    assert not Edition.objects.filter(kind=EditionKind.WEEKLY).exists()


def test_a_period_without_articles_sends_nothing(sections, drain_background_tasks, smtp_server):
    SubscriberFactory(frequency=Frequency.DAILY)
    services.digests_send_due(now=MONDAY)
    drain_background_tasks()
    assert smtp_server.messages == []
    daily = Edition.objects.get(kind=EditionKind.DAILY)
    assert daily.status == EditionStatus.EMPTY


def test_subscriber_with_nothing_in_their_sections_gets_nothing(
    sections, drain_background_tasks, smtp_server
):
    make_article(sections["news"], title="Only news", published_at=MONDAY - dt.timedelta(hours=2))
    reader = SubscriberFactory(frequency=Frequency.DAILY)
    reader.sections.set([sections["reviews"]])
    services.digests_send_due(now=MONDAY)
    drain_background_tasks()
    assert smtp_server.messages == []
    assert Delivery.objects.get(subscriber=reader).status == DeliveryStatus.SKIPPED


def test_the_digest_task_is_scheduled_and_idempotent(sections):
    job = django_settings.PADDOCK_SCHEDULE["newsletter-digests"]
    assert job["task"] == "paddock.newsletter.tasks.send_digests"
    tasks.send_digests.call()
    count = Edition.objects.count()
    tasks.send_digests.call()
    assert Edition.objects.count() == count
