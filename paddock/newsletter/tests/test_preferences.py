"""Preferences, data export and deletion through signed links; signed-in readers subscribing
in one click; bounces and complaints from an email provider's tracking webhook."""

from __future__ import annotations

import base64
import json
import time

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from paddock.core.forms import stamp_make
from paddock.newsletter import services, tokens
from paddock.newsletter.forms import STAMP
from paddock.newsletter.models import (
    Delivery,
    Frequency,
    SignupRequest,
    Subscriber,
    SubscriberStatus,
)
from paddock.newsroom.tests.factories import UserFactory

from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _preferences_url(subscriber) -> str:
    return reverse("newsletter:preferences", args=[tokens.manage_token(subscriber.key)])


def test_preferences_change_frequency_sections_and_specials(sections):
    subscriber = SubscriberFactory()
    url = _preferences_url(subscriber)
    page = Client().get(url)
    assert page.status_code == 200
    assert b"News" in page.content and b"Reviews" in page.content
    response = Client().post(
        url,
        {
            "name": "Ada L.",
            "frequency": Frequency.DAILY,
            "sections": [str(sections["reviews"].pk)],
            "special_editions": "",
        },
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.name == "Ada L."
    assert subscriber.frequency == Frequency.DAILY
    assert not subscriber.special_editions
    assert list(subscriber.sections.all()) == [sections["reviews"].page_ptr.specific]


def test_bad_preferences_input_is_explained_not_500(sections):
    subscriber = SubscriberFactory()
    response = Client().post(
        _preferences_url(subscriber),
        {"frequency": "hourly", "sections": ["999999", "x"], "name": "A\x00B"},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.WEEKLY


def test_unsubscribed_reader_can_come_back_from_preferences():
    subscriber = SubscriberFactory(status=SubscriberStatus.UNSUBSCRIBED)
    url = _preferences_url(subscriber)
    assert b"Subscribe again" in Client().get(url).content
    Client().post(url, {"resubscribe": "1"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.unsubscribed_at is None


def test_export_holds_everything_recorded(sections):
    subscriber = SubscriberFactory(
        email="ada@example.com", consent_ip="203.0.113.5", consent_source="/news/a/"
    )
    subscriber.sections.set([sections["news"]])
    edition = EditionFactory(subject="Big news")
    Delivery.objects.create(edition=edition, subscriber=subscriber, status="sent")
    url = reverse("newsletter:export", args=[tokens.manage_token(subscriber.key)])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["email"] == "ada@example.com"
    assert data["signed_up"]["ip_address"] == "203.0.113.5"
    assert data["signed_up"]["page"] == "/news/a/"
    assert data["sections"] == ["News"]
    assert data["emails"][0]["subject"] == "Big news"


def test_delete_erases_the_subscriber_and_keeps_anonymous_counts():
    subscriber = SubscriberFactory()
    edition = EditionFactory()
    Delivery.objects.create(edition=edition, subscriber=subscriber, status="sent")
    token = tokens.manage_token(subscriber.key)
    url = reverse("newsletter:delete", args=[token])
    assert Client().post(url, {}).status_code == 200  # the box must be ticked
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    response = Client().post(url, {"confirm": "on"})
    assert b"Subscription deleted" in response.content
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert Delivery.objects.get().subscriber is None
    # The old links now say so, without an error.
    gone = Client().get(reverse("newsletter:preferences", args=[token]))
    assert gone.status_code == 404
    assert b"no longer exists" in gone.content


def _reader(email: str, verified: bool):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def test_verified_reader_subscribes_in_one_click():
    user = _reader("verified@example.com", verified=True)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("accounts:edit"))
    assert b"Subscribe in one click" in page.content
    response = client.post(reverse("newsletter:account_subscribe"))
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.user == user
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.consent_source == reverse("accounts:edit")
    page = client.get(reverse("accounts:edit"))
    assert b"Newsletter preferences" in page.content
    prefs = client.get(reverse("newsletter:account_preferences"))
    assert prefs.status_code == 302
    assert client.get(prefs["Location"]).status_code == 200


def test_unverified_reader_must_confirm_and_cannot_claim_someone_elses_subscription():
    victim = SubscriberFactory(email="victim@example.com")
    user = _reader("victim@example.com", verified=False)
    client = Client()
    client.force_login(user)
    client.post(reverse("newsletter:account_subscribe"))
    victim.refresh_from_db()
    assert victim.user is None
    response = client.get(reverse("newsletter:account_preferences"))
    assert response["Location"].startswith(reverse("accounts:edit"))


def test_signed_out_one_click_subscribe_asks_to_sign_in():
    response = Client().post(reverse("newsletter:account_subscribe"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _postmark_bounce(email: str, message_id: str = "") -> dict:
    return {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 42,
        "MessageID": message_id,
        "Email": email,
        "BouncedAt": "2026-11-22T10:00:00Z",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account does not exist.",
        "Metadata": {},
    }


WEBHOOK_SECRET = "hook:s3cret"


def _webhook(client: Client, payload: dict, secret: str = WEBHOOK_SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        "/newsletter/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def test_hard_bounce_from_the_provider_webhook_marks_the_address_undeliverable(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": WEBHOOK_SECRET}
    subscriber = SubscriberFactory(email="nobody@example.com")
    edition = EditionFactory()
    delivery = Delivery.objects.create(
        edition=edition, subscriber=subscriber, status="sent", message_id="pm-123"
    )
    wrong = _webhook(Client(), _postmark_bounce("nobody@example.com"), "hook:wrong")
    assert wrong.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE  # a wrong secret changes nothing

    response = _webhook(Client(), _postmark_bounce("nobody@example.com", "pm-123"))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.BOUNCED
    assert "550 5.1.1" in subscriber.bounce_detail
    delivery.refresh_from_db()
    assert delivery.bounced
    assert Subscriber.objects.audience(edition).count() == 0


def test_spam_complaint_unsubscribes(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": WEBHOOK_SECRET}
    subscriber = SubscriberFactory(email="annoyed@example.com")
    payload = {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "Email": "annoyed@example.com",
        "BouncedAt": "2026-11-22T10:00:00Z",
        "MessageID": "x",
        "Metadata": {"edition": "7"},
    }
    assert _webhook(Client(), payload).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribe_reason == "complaint"


def test_signup_form_refuses_bots_and_bad_addresses(sections):
    url = reverse("newsletter:signup")
    started = Client().get(url).context["form"]["started"].value()
    cases = {
        "not-an-address": b"Enter a complete email address",
        "a@b": b"Enter a complete email address",
        "x" * 250 + "@example.com": b"Ensure this value has at most 254",
    }
    for email, message in cases.items():
        response = Client().post(url, {"email": email, "started": started})
        assert response.status_code == 200
        assert message in response.content, email
    honeypot = Client().post(url, {"email": "bot@example.com", "started": started, "website": "x"})
    assert b"it is there to catch robots" in honeypot.content
    assert not Subscriber.objects.exists()


def test_signup_form_refuses_a_stamp_not_its_own(settings):
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 2
    url = reverse("newsletter:signup")
    for started in ("123", "", stamp_make(form="quote", at=time.time() - 10)):
        forged = Client().post(url, {"email": "bot@example.com", "started": started})
        assert b"This form has expired; check your address" in forged.content
    assert not SignupRequest.objects.exists()
    sent = Client().post(
        url, {"email": "bot@example.com", "started": stamp_make(form=STAMP, at=time.time() - 10)}
    )
    assert sent.status_code == 302 and SignupRequest.objects.count() == 1


def test_too_quick_submission_is_refused(settings):
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 60
    url = reverse("newsletter:signup")
    client = Client()
    started = client.get(url).context["form"]["started"].value()
    response = client.post(url, {"email": "fast@example.com", "started": started})
    assert b"That was quick" in response.content
    assert not Subscriber.objects.exists()


def test_signup_is_rate_limited_per_address(settings):
    url = reverse("newsletter:signup")
    statuses = [
        Client().post(url, {"email": "x"}, REMOTE_ADDR="192.0.2.44").status_code for _ in range(21)
    ]
    assert statuses[-1] == 429
    assert statuses[0] == 200


def test_signup_needs_csrf():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("newsletter:signup"), {"email": "a@example.com"})
    assert response.status_code == 403


def test_unsubscribe_service_is_idempotent():
    subscriber = SubscriberFactory()
    assert services.subscriber_unsubscribe(subscriber=subscriber)
    assert not services.subscriber_unsubscribe(subscriber=subscriber)
