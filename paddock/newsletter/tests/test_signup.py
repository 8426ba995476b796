"""Signing up with double opt-in, through the task queue and a real SMTP server on loopback:
the confirmation email, confirming, consent, resending, and answers that never tell whether an
address subscribes."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from paddock.newsletter import tokens
from paddock.newsletter.models import SignupRequest, Subscriber, SubscriberStatus

from .conftest import html_part, link, text_part
from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _signup(client: Client, email: str, **extra):
    form = client.get(reverse("newsletter:signup"))
    started = form.context["form"]["started"].value()
    data = {"email": email, "name": "", "started": started, "website": "", "source": "/news/x/"}
    data.update(extra)
    return client.post(reverse("newsletter:signup"), data, REMOTE_ADDR="203.0.113.9")


def _page(url: str) -> str:
    """A page's HTML without its per-visitor CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", Client().get(url).text)


def test_sign_up_confirm_and_consent_is_recorded(drain_background_tasks, smtp_server):
    client = Client()
    response = _signup(client, "Ada@Example.com", name="Ada")
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:sent")
    # Until the link is followed there is only a request, kept aside with its consent.
    assert not Subscriber.objects.exists()
    request = SignupRequest.objects.get()
    assert request.email == "ada@example.com"
    assert request.name == "Ada"
    assert request.consent_ip == "203.0.113.9"
    assert smtp_server.messages == []  # queued, not sent inline

    drain_background_tasks()
    [message] = smtp_server.messages
    assert message["To"] == "ada@example.com"
    assert message["Subject"].startswith("Confirm your subscription")
    assert "Confirm my subscription" in html_part(message)
    confirm = link(message, "/newsletter/confirm/")

    # A GET only asks (mail scanners follow links); the button confirms.
    page = client.get(confirm)
    assert page.status_code == 200
    assert b"Confirm my subscription" in page.content
    assert not Subscriber.objects.exists()

    done = client.post(confirm, REMOTE_ADDR="198.51.100.7")
    assert done.status_code == 200
    assert b"You are subscribed" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ada@example.com"
    assert subscriber.name == "Ada"
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.consent_ip == "203.0.113.9"
    assert subscriber.consent_source == "/news/x/"
    assert "newsletter" in subscriber.consent_text
    assert subscriber.confirmed_ip == "198.51.100.7"
    assert subscriber.confirmed_at is not None

    # Clicking again is harmless and says so.
    again = client.post(confirm)
    assert again.status_code == 200
    assert b"already confirmed" in again.content


def test_known_address_gets_the_same_answer_and_the_right_email(
    drain_background_tasks, smtp_server
):
    SubscriberFactory(email="known@example.com")
    new = _signup(Client(), "stranger@example.com")
    known = _signup(Client(), "known@example.com")
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"]
    assert _page(new["Location"]) == _page(known["Location"])
    drain_background_tasks()
    by_to = {m["To"]: m for m in smtp_server.messages}
    assert by_to["stranger@example.com"]["Subject"].startswith("Confirm your subscription")
    assert by_to["known@example.com"]["Subject"].startswith("You already get")
    assert "/newsletter/preferences/" in text_part(by_to["known@example.com"])
    assert Subscriber.objects.get(email="known@example.com").status == SubscriberStatus.ACTIVE


def test_resend_is_throttled_per_address(drain_background_tasks, smtp_server, settings):
    settings.PADDOCK_NEWSLETTER_RESEND_SECONDS = 3600
    client = Client()
    _signup(client, "pat@example.com")
    # The "check your inbox" page offers to send it again, to this browser's address.
    page = client.get(reverse("newsletter:sent"))
    assert b"Send the email again" in page.content
    client.post(reverse("newsletter:resend"))
    client.post(reverse("newsletter:resend"))
    _signup(Client(), "pat@example.com")
    drain_background_tasks()
    assert len(smtp_server.messages) == 1  # no way to flood someone's inbox

    settings.PADDOCK_NEWSLETTER_RESEND_SECONDS = 0
    response = client.post(reverse("newsletter:resend"), follow=True)
    assert b"If that address has signed up" in response.content
    drain_background_tasks()
    assert len(smtp_server.messages) == 2
    assert {m["Subject"] for m in smtp_server.messages} == {
        "Confirm your subscription to the Paddock newsletter"
    }


def test_expired_link_explains_and_offers_a_new_one(drain_background_tasks, smtp_server, settings):
    settings.PADDOCK_NEWSLETTER_RESEND_SECONDS = 0
    _signup(Client(), "late@example.com")
    request = SignupRequest.objects.get()
    token = tokens.confirm_token(request.key)
    client = Client()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("paddock.newsletter.policy.confirm_max_age", lambda: -1)
        response = client.get(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 410
    assert b"too old" in response.content
    again = client.post(reverse("newsletter:resend"), {"email": "late@example.com"})
    assert again.status_code == 302
    drain_background_tasks()
    assert len(smtp_server.messages) == 2  # the first link, then a fresh one
    fresh = link(smtp_server.messages[-1], "/newsletter/confirm/")
    assert client.post(fresh).status_code == 200
    assert Subscriber.objects.get(email="late@example.com").status == SubscriberStatus.ACTIVE


def test_manage_link_request_answers_the_same_for_anyone(drain_background_tasks, smtp_server):
    SubscriberFactory(email="member@example.com")
    url = reverse("newsletter:manage")
    known = Client().post(url, {"email": "member@example.com"})
    unknown = Client().post(url, {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert re.sub(r'value="[^"]+"', "", known.text) == re.sub(r'value="[^"]+"', "", unknown.text)
    drain_background_tasks()
    [message] = smtp_server.messages
    assert message["To"] == "member@example.com"
    assert Client().get(link(message, "/newsletter/preferences/")).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 300, signing.dumps("x", salt="other"), "%00%ff", "..%2f..%2fetc"],
)
def test_tampered_links_are_400_not_500(token):
    for name in ("confirm", "preferences", "unsubscribe", "delete", "export"):
        response = Client().get(reverse(f"newsletter:{name}", args=[token]))
        assert response.status_code == 400, name
        assert b"This link does not work" in response.content
    assert Client().post(reverse("newsletter:one_click", args=[token])).status_code == 400


def test_tampered_signature_is_refused():
    subscriber = SubscriberFactory()
    token = tokens.confirm_token(SignupRequest.objects.create(email=subscriber.email).key)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().get(reverse("newsletter:confirm", args=[forged])).status_code == 400
    # A token made for one purpose does not work for another.
    manage = tokens.manage_token(subscriber.key)
    assert Client().get(reverse("newsletter:confirm", args=[manage])).status_code == 400


def test_confirmation_email_is_retried_when_the_mail_server_fails(
    drain_background_tasks, picky_smtp_server
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    _signup(Client(), "flaky-reader@example.com")
    drain_background_tasks()
    assert picky_smtp_server.messages == []  # 451: queued again for later
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    drain_background_tasks()
    [message] = picky_smtp_server.messages
    assert message["To"] == "flaky-reader@example.com"


def test_the_same_form_sent_twice_signs_up_once_and_is_answered_alike(client):
    form = client.get(reverse("newsletter:signup"))
    started = form.context["form"]["started"].value()
    data = {"email": "twice@example.com", "name": "", "started": started, "website": ""}
    first = client.post(reverse("newsletter:signup"), data)
    again = client.post(reverse("newsletter:signup"), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert SignupRequest.objects.filter(email="twice@example.com").count() == 1
