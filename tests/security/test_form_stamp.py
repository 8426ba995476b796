"""The stamp of when a public form was shown: one copy cannot be replayed from another browser,
on another form, or for days, and a form from a cached page still works, with JavaScript
(static/js/csrf.js) and without (the CSRF failure page's one confirming click)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.leads.models import Lead
from paddock.newsletter.models import SignupRequest
from paddock.newsroom.tests.factories import (
    MakeFactory,
    VehicleModelFactory,
    make_article,
    make_section,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def people_take_time(settings):
    settings.PADDOCK_FORM_MIN_SECONDS = 3
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 2
    settings.PADDOCK_LEADS_MIN_SUBMIT_SECONDS = 3


@pytest.fixture
def clock():
    with freeze_time(START) as frozen:
        yield frozen


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


@pytest.fixture
def vehicle(db):
    return VehicleModelFactory(make=MakeFactory(name="Kaito Motor"), name="Nami")


def field(html: str, name: str, form_id: str = "") -> str:
    """The value of a form's field; of the form with id `form_id` when given."""
    if form_id:
        html = html[html.index(f'id="{form_id}"') :]
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no {name} field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def browser() -> Client:
    """A browser as a person has one: CSRF checks on, its own cookies."""
    return Client(enforce_csrf_checks=True)


def signed_in(reader) -> Client:
    client = browser()
    client.force_login(reader)
    return client


def comment_form(client: Client, article) -> tuple[str, str]:
    html = client.get(article.url).content.decode()
    return (
        field(html, "csrfmiddlewaretoken", "comment-form"),
        field(html, "started", "comment-form"),
    )


def post_comment(client: Client, article, token: str, started: str):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {"body": "A considered comment.", "started": started, "csrfmiddlewaretoken": token},
    )


def newsletter_form(client: Client) -> tuple[str, str]:
    html = client.get(reverse("newsletter:signup")).content.decode()
    return field(html, "csrfmiddlewaretoken"), field(html, "started")


def post_newsletter(client: Client, token: str, started: str, email="reader@example.com"):
    return client.post(
        reverse("newsletter:signup"),
        {"email": email, "started": started, "csrfmiddlewaretoken": token},
    )


def quote_data(vehicle, token: str, started: str) -> dict:
    return {
        "make": vehicle.make.slug,
        "model": vehicle.slug,
        "timeframe": "month",
        "zip_code": "10001",
        "name": "Pat Shopper",
        "email": "pat@example.com",
        "phone": "(212) 555-0147",
        "consent": "on",
        "started": started,
        "csrfmiddlewaretoken": token,
    }


def test_a_stamp_from_one_session_is_refused_in_another(article, clock):
    ana, bob = signed_in(ReaderFactory()), signed_in(ReaderFactory())
    _, anas_stamp = comment_form(ana, article)
    bobs_token, bobs_stamp = comment_form(bob, article)
    clock.tick(10)
    replayed = post_comment(bob, article, bobs_token, anas_stamp)
    assert replayed.status_code == 400
    assert "This form has expired" in replayed.content.decode()
    assert not Comment.objects.exists()
    assert post_comment(bob, article, bobs_token, bobs_stamp).status_code == 302
    assert Comment.objects.count() == 1


def test_a_stamp_from_one_browser_is_refused_in_another_without_sessions(clock):
    first, second = browser(), browser()
    _, first_stamp = newsletter_form(first)
    token, own_stamp = newsletter_form(second)
    clock.tick(10)
    replayed = post_newsletter(second, token, first_stamp)
    assert "This form has expired" in replayed.content.decode()
    assert not SignupRequest.objects.exists()
    fresh = post_newsletter(second, token, field(replayed.content.decode(), "started"))
    assert not SignupRequest.objects.exists()  # the fresh stamp is too fresh to send at once
    clock.tick(10)
    assert post_newsletter(second, token, own_stamp).status_code == 302
    assert SignupRequest.objects.count() == 1
    assert fresh.status_code == 200


def test_a_newsletter_stamp_is_refused_on_the_comment_form(article, clock):
    reader = signed_in(ReaderFactory())
    _, newsletter_stamp = newsletter_form(reader)
    token, _ = comment_form(reader, article)
    clock.tick(10)
    response = post_comment(reader, article, token, newsletter_stamp)
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_newsletter_stamp_is_refused_on_the_quote_form(vehicle, clock):
    shopper = browser()
    _, newsletter_stamp = newsletter_form(shopper)
    html = shopper.get(reverse("leads:quote")).content.decode()
    token, quote_stamp = field(html, "csrfmiddlewaretoken"), field(html, "started")
    clock.tick(10)
    url = reverse("leads:quote")
    refused = shopper.post(url, quote_data(vehicle, token, newsletter_stamp))
    assert "This form has expired" in refused.content.decode()
    assert not Lead.objects.exists()
    accepted = shopper.post(url, quote_data(vehicle, token, quote_stamp))
    assert accepted.status_code == 302 and Lead.objects.count() == 1


def test_a_stamp_expires_within_hours(article, settings, clock):
    settings.PADDOCK_FORM_MAX_AGE = 4 * 3600
    reader = signed_in(ReaderFactory())
    token, old_stamp = comment_form(reader, article)
    clock.tick(4 * 3600 + 60)
    expired = post_comment(reader, article, token, old_stamp)
    assert expired.status_code == 400
    assert "This form has expired" in expired.content.decode()
    assert "A considered comment." in expired.content.decode()  # nothing typed is lost
    token, fresh_stamp = comment_form(reader, article)
    clock.tick(5)
    assert post_comment(reader, article, token, fresh_stamp).status_code == 302


@pytest.fixture
def page_cache(settings):
    # On, as in production: what matters here is what a cached page hands to everyone.
    settings.PADDOCK_PAGE_CACHE = True
    settings.PADDOCK_FRAGMENT_CACHE = True


@pytest.mark.usefixtures("page_cache")
def test_a_cached_page_holds_a_shared_stamp_that_the_browser_swaps(article, clock):
    first = browser().get(article.url)
    second = browser().get(article.url)
    assert second["X-Page-Cache"] == "HIT"
    html = second.content.decode()
    shared = field(html, "started")
    assert 'data-stamp-fill="newsletter"' in html
    # Everyone got the same page, so its stamp vouches for no one...
    visitor = browser()
    token = visitor.get(reverse("csrf_token")).json()["token"]
    clock.tick(10)
    refused = post_newsletter(visitor, token, shared)
    assert "This form has expired" in refused.content.decode()
    # ...while the one /csrf/ hands out with the token (what csrf.js does) works.
    assert first.content == second.content
    answer = visitor.get(reverse("csrf_token"), {"form": "newsletter"}).json()
    clock.tick(10)
    sent = post_newsletter(visitor, answer["token"], answer["stamps"]["newsletter"])
    assert sent.status_code == 302
    assert SignupRequest.objects.count() == 1


@pytest.mark.usefixtures("page_cache")
def test_without_javascript_the_confirming_click_binds_the_shared_stamp(article, clock):
    visitor = browser()
    html = visitor.get(article.url).content.decode()
    shared = field(html, "started")
    clock.tick(10)
    # No CSRF cookie yet (the page came from the cache): the form comes back to confirm.
    page = visitor.post(
        reverse("newsletter:signup"),
        {"email": "noscript@example.com", "started": shared, "source": article.url},
    )
    assert page.status_code == 403 and "Send it again" in page.content.decode()
    resend = page.content.decode()
    rebound = field(resend, "started")
    assert rebound and rebound != shared
    response = post_newsletter(
        visitor, field(resend, "csrfmiddlewaretoken"), rebound, email="noscript@example.com"
    )
    assert response.status_code == 302
    assert SignupRequest.objects.filter(email="noscript@example.com").exists()
    # The stamp it was given is this browser's only.
    other = browser()
    token = other.get(reverse("csrf_token")).json()["token"]
    replayed = post_newsletter(other, token, rebound, email="other@example.com")
    assert "This form has expired" in replayed.content.decode()
