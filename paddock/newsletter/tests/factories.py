"""Factories for newsletter tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from paddock.newsletter.models import Edition, EditionKind, Subscriber, SubscriberStatus


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    name = factory.Sequence(lambda n: f"Reader {n}")
    status = SubscriberStatus.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    kind = EditionKind.SPECIAL
    subject = factory.Sequence(lambda n: f"Special edition {n}")
    preheader = "Inside: the big story"
    body = "<p>The <b>big</b> story of the week.</p>"
