"""The page a form without a valid CSRF token gets: a forged sign-in must not come back as a
one-click login, and nothing secret is ever written back into the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from paddock.accounts.tests.factories import READER_PASSWORD, ReaderFactory

pytestmark = pytest.mark.django_db

ATTACKER_PASSWORD = "Attacker-Chosen-Pass-991"


def cross_site() -> Client:
    """A browser with no CSRF cookie for the site, as a form auto-sent from another site."""
    return Client(enforce_csrf_checks=True)


def test_a_forged_sign_in_is_refused_without_a_resend_or_the_password():
    response = cross_site().post(
        reverse("account_login"),
        {"login": "attacker@example.com", "password": ATTACKER_PASSWORD, "started": "x"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert ATTACKER_PASSWORD not in html
    assert "attacker@example.com" not in html
    assert "<form" not in html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "Send it again" not in html
    assert "reload the page" in html.lower()


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("account_signup", {"email": "a@example.com", "password1": "S3cret-Pass-x1"}),
        ("account_reset_password", {"email": "a@example.com"}),
        ("accounts:delete", {"confirm": "yes"}),
    ],
)
def test_account_forms_get_a_plain_refusal(url_name, data):
    response = cross_site().post(reverse(url_name), data)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Send it again" not in html
    assert "a@example.com" not in html and "S3cret-Pass-x1" not in html


def test_a_signed_in_reader_gets_a_plain_refusal_even_for_the_newsletter():
    client = Client(enforce_csrf_checks=True)
    client.force_login(ReaderFactory())
    response = client.post(reverse("newsletter:signup"), {"email": "r@example.com"})
    assert response.status_code == 403
    assert "Send it again" not in response.content.decode()


def test_the_newsletter_sign_up_keeps_its_resend_without_secret_fields():
    response = cross_site().post(
        reverse("newsletter:signup"),
        {
            "email": "reader@example.com",
            "name": "Reader",
            "source": "/news/x/",
            "password": READER_PASSWORD,
            "api_token": "tok-123456",
            "client_secret": "shh-654321",
        },
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Send it again" in html
    assert 'value="reader@example.com"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for secret in (READER_PASSWORD, "tok-123456", "shh-654321"):
        assert secret not in html


def test_a_form_of_an_unknown_address_gets_a_plain_refusal():
    response = cross_site().post("/no-such-form/", {"q": "anything"})
    assert response.status_code == 403
    assert "Send it again" not in response.content.decode()
