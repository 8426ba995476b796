"""The email provider's tracking webhook: a bounce or complaint posted by a stranger must never
change a subscriber. The route exists only when a provider sends the mail, refuses every post
without the provider's credentials, and a provider set up without any refuses to start."""

from __future__ import annotations

import base64
import json

import pytest
from django.core import checks
from django.test import Client

from paddock.newsletter.models import Subscriber, SubscriberStatus
from paddock.newsletter.tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

URL = "/newsletter/anymail/postmark/tracking/"
SECRET = "hook:a-long-random-password"
POSTMARK = "anymail.backends.postmark.EmailBackend"


def _bounce(email: str) -> dict:
    return {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 42,
        "MessageID": "",
        "Email": email,
        "BouncedAt": "2026-11-22T10:00:00Z",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account does not exist.",
        "Metadata": {},
    }


def _complaint(email: str) -> dict:
    return {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "Email": email,
        "BouncedAt": "2026-11-22T10:00:00Z",
        "MessageID": "x",
        "Metadata": {},
    }


def _post(payload: dict, *, url: str = URL, auth: str | None = None):
    headers = {}
    if auth is not None:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return Client().post(url, json.dumps(payload), content_type="application/json", **headers)


def _status(subscriber) -> str:
    return Subscriber.objects.get(pk=subscriber.pk).status


def test_without_a_provider_there_is_no_webhook(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ANYMAIL = {}
    subscriber = SubscriberFactory(email="victim@example.com")
    for payload in (_bounce("victim@example.com"), _complaint("victim@example.com")):
        assert _post(payload).status_code == 404
        assert _post(payload, url="/newsletter/anymail/sendgrid/tracking/").status_code == 404
    assert _status(subscriber) == SubscriberStatus.ACTIVE


def test_with_a_provider_unauthenticated_posts_are_refused(settings):
    settings.EMAIL_BACKEND = POSTMARK
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": SECRET}
    subscriber = SubscriberFactory(email="victim@example.com")
    for auth in (None, "hook:wrong", "other:a-long-random-password", ""):
        for payload in (_bounce("victim@example.com"), _complaint("victim@example.com")):
            response = _post(payload, auth=auth)
            assert response.status_code in (401, 403), (auth, response.status_code)
    # Another provider's route is not there at all.
    assert (
        _post(
            _bounce("victim@example.com"), url="/newsletter/anymail/mailjet/tracking/", auth=SECRET
        ).status_code
        == 404
    )
    assert _status(subscriber) == SubscriberStatus.ACTIVE


def test_with_valid_credentials_the_bounce_is_applied(settings):
    settings.EMAIL_BACKEND = POSTMARK
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": SECRET}
    subscriber = SubscriberFactory(email="gone@example.com")
    assert _post(_bounce("gone@example.com"), auth=SECRET).status_code == 200
    assert _status(subscriber) == SubscriberStatus.BOUNCED


def test_a_provider_without_webhook_authentication_fails_loudly(settings):
    settings.EMAIL_BACKEND = POSTMARK
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token"}
    subscriber = SubscriberFactory(email="victim@example.com")
    errors = [e for e in checks.run_checks() if e.id == "newsletter.E001"]
    assert errors and errors[0].level == checks.ERROR
    assert "WEBHOOK_SECRET" in errors[0].hint
    # And should it be served anyway, the webhook takes nothing.
    for payload in (_bounce("victim@example.com"), _complaint("victim@example.com")):
        assert _post(payload).status_code in (401, 403)
    assert _status(subscriber) == SubscriberStatus.ACTIVE

    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": SECRET}
    assert not [e for e in checks.run_checks() if e.id == "newsletter.E001"]
