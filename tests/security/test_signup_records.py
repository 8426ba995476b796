"""Anyone can type anyone's address into the newsletter sign-up and the dealer quote form. What
a stranger asks for is kept aside until the address's owner follows the emailed link; nothing
about an existing subscriber or lead changes before that, the emails carry no text the stranger
typed, the page answers the same for known and unknown addresses, and one address gets a
limited number of emails a day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paddock.core.tests.stamps import stamp_for
from paddock.leads.models import Lead
from paddock.leads.tests.factories import DealerFactory
from paddock.newsletter import tokens
from paddock.newsletter.models import Frequency, Subscriber, SubscriberStatus
from paddock.newsletter.tests.conftest import html_part, link, text_part
from paddock.newsletter.tests.factories import SubscriberFactory
from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TYPED = "Claim your prize at evil.example"
STRANGER_IP = "198.51.100.66"


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    settings.PADDOCK_LEADS_MIN_SUBMIT_SECONDS = 0
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"


def _signup(email: str, *, client: Client | None = None, headers: dict | None = None, **extra):
    client = client or Client()
    data = {
        "email": email,
        "name": TYPED,
        "frequency": Frequency.DAILY,
        "started": stamp_for(client, "newsletter"),
        "website": "",
        "source": "/stranger/",
    }
    data.update(extra)
    return client.post(
        reverse("newsletter:signup"), data, REMOTE_ADDR=STRANGER_IP, **(headers or {})
    )


def _snapshot(subscriber: Subscriber) -> dict:
    row = Subscriber.objects.filter(pk=subscriber.pk).values().get()
    row["sections"] = list(subscriber.sections.values_list("pk", flat=True))
    return row


def _page(response) -> str:
    """A page's HTML without its per-visitor CSRF token."""
    page = Client().get(response["Location"]) if response.status_code == 302 else response
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.text)


def _no_typed_text(message) -> None:
    for part in (text_part(message), html_part(message) if message.is_multipart() else ""):
        assert TYPED not in part and "evil.example" not in part
    assert TYPED not in str(message["Subject"])


@pytest.mark.parametrize(
    "status", [SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.BOUNCED, SubscriberStatus.PENDING]
)
def test_a_strangers_signup_changes_nothing_until_the_link_is_followed(
    status, smtp_server, drain_background_tasks
):
    subscriber = SubscriberFactory(
        email="owner@example.com",
        name="Ada Owner",
        status=status,
        frequency=Frequency.WEEKLY,
        consent_ip="203.0.113.1",
        consent_text="The words Ada agreed to",
        consent_source="/ada/",
    )
    before = _snapshot(subscriber)
    assert _signup("Owner@Example.com").status_code == 302
    drain_background_tasks()
    assert _snapshot(subscriber) == before

    [message] = smtp_server.messages
    assert message["To"] == "owner@example.com"
    _no_typed_text(message)
    confirm = link(message, "/newsletter/confirm/")
    # Opening the link only asks; a mail scanner following it changes nothing.
    assert Client().get(confirm).status_code == 200
    assert _snapshot(subscriber) == before

    # The owner presses the button: now, and only now, the request is applied.
    assert Client().post(confirm, REMOTE_ADDR="203.0.113.2").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_ip == "203.0.113.2"
    assert subscriber.consent_ip == STRANGER_IP
    assert subscriber.frequency == Frequency.DAILY


def test_a_new_address_is_not_recorded_as_a_subscriber_before_confirming(
    smtp_server, drain_background_tasks
):
    _signup("new@example.com")
    drain_background_tasks()
    assert not Subscriber.objects.exists()
    [message] = smtp_server.messages
    _no_typed_text(message)
    Client().post(link(message, "/newsletter/confirm/"))
    subscriber = Subscriber.objects.get(email="new@example.com")
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.consent_source == "/stranger/"


def test_an_active_subscriber_is_untouched_and_told_without_the_strangers_words(
    smtp_server, drain_background_tasks
):
    subscriber = SubscriberFactory(email="reader@example.com", name="Real Reader")
    before = _snapshot(subscriber)
    _signup("reader@example.com")
    drain_background_tasks()
    assert _snapshot(subscriber) == before
    [message] = smtp_server.messages
    _no_typed_text(message)
    assert "Real Reader" not in text_part(message)


def test_the_answer_is_the_same_for_known_and_unknown_addresses(settings):
    settings.PADDOCK_NEWSLETTER_RESEND_SECONDS = 0
    SubscriberFactory(email="active@example.com")
    SubscriberFactory(email="gone@example.com", status=SubscriberStatus.UNSUBSCRIBED)
    answers = [
        _signup(email) for email in ("nobody@example.com", "active@example.com", "gone@example.com")
    ]
    assert {a.status_code for a in answers} == {302}
    assert len({_page(a) for a in answers}) == 1
    htmx = [
        _signup(email, headers={"HTTP_HX_REQUEST": "true"})
        for email in ("nobody2@example.com", "active@example.com")
    ]
    assert htmx[0].status_code == htmx[1].status_code == 200
    assert htmx[0].text == htmx[1].text


def test_repeated_signups_email_an_address_a_few_times_a_day_at_most(
    settings, smtp_server, drain_background_tasks
):
    settings.PADDOCK_NEWSLETTER_RESEND_SECONDS = 0
    SubscriberFactory(email="known@example.com", status=SubscriberStatus.UNSUBSCRIBED)
    first = _signup("victim@example.com")
    for _ in range(9):
        again = _signup("victim@example.com")
        assert again.status_code == 302 and _page(again) == _page(first)
        _signup("known@example.com")
        Client().post(reverse("newsletter:resend"), {"email": "victim@example.com"})
    drain_background_tasks()
    to = [m["To"] for m in smtp_server.messages]
    assert 1 <= to.count("victim@example.com") <= 3
    assert 1 <= to.count("known@example.com") <= 3


def test_the_confirmation_link_is_signed_with_its_own_salt_and_expires(
    smtp_server, drain_background_tasks
):
    subscriber = SubscriberFactory(email="owner@example.com", status=SubscriberStatus.UNSUBSCRIBED)
    _signup("owner@example.com")
    drain_background_tasks()
    confirm = link(smtp_server.messages[0], "/newsletter/confirm/")
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    payload = signing.loads(token, salt=tokens.SIGNUP_SALT)
    # A link for the subscriber itself, or signed for another purpose, confirms nothing.
    for forged in (
        signing.dumps(subscriber.key.hex, salt="paddock.newsletter.confirm"),
        signing.dumps(payload, salt=tokens.MANAGE_SALT),
        tokens.manage_token(subscriber.key),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    ):
        assert Client().post(reverse("newsletter:confirm", args=[forged])).status_code == 400
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("paddock.newsletter.policy.confirm_max_age", lambda: -1)
        assert Client().post(confirm).status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


# --- The dealer quote form ------------------------------------------------------------------


@pytest.fixture
def vehicle(db):
    vehicle = VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")
    DealerFactory(name="Midtown Kaito", zip_code="10019", makes=[vehicle.make])
    return vehicle


def _quote(vehicle, **overrides):
    data = {
        "make": vehicle.make.slug,
        "model": vehicle.slug,
        "year": "",
        "trim": TYPED[:60],
        "timeframe": "month",
        "zip_code": "10001",
        "name": TYPED,
        "email": "shopper@example.com",
        "phone": "(212) 555-0147",
        "consent": "on",
        "website": "",
    }
    client = Client()
    data["started"] = stamp_for(client, "quote")
    data.update(overrides)
    return client.post(reverse("leads:quote"), data, follow=True)


def test_the_quote_confirmation_carries_no_typed_text(vehicle, smtp_server, drain_background_tasks):
    assert _quote(vehicle).status_code == 200
    drain_background_tasks()
    [message] = [m for m in smtp_server.messages if m["To"] == "shopper@example.com"]
    body = message.get_content()
    assert "Midtown Kaito" in body
    assert TYPED not in body and "evil.example" not in body
    assert TYPED not in str(message["Subject"])


def test_a_repeat_quote_changes_nothing_and_shows_nothing_of_the_first(
    vehicle, smtp_server, drain_background_tasks
):
    _quote(vehicle, name="Pat Owner", trim="GT")
    drain_background_tasks()
    lead = Lead.objects.get()
    Lead.objects.filter(pk=lead.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    before = Lead.objects.filter(pk=lead.pk).values().get()
    sent = len(smtp_server.messages)

    page = _quote(vehicle, email="SHOPPER@example.com")
    assert page.status_code == 200
    assert "Pat Owner" not in page.text and "Midtown Kaito" not in page.text
    drain_background_tasks()
    assert Lead.objects.filter(pk=lead.pk).values().get() == before
    assert Lead.objects.count() == 1
    assert len(smtp_server.messages) == sent
