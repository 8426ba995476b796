"""No answer of the site's account forms tells a stranger whether an address has an account.

Sign-up, password reset and email change answer a known address exactly as a new one; the
address's owner is told by mail instead, through a real SMTP server.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from paddock.accounts.tests.conftest import mail_text, sign_in
from paddock.accounts.tests.factories import READER_PASSWORD, ReaderFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

_TOKEN = re.compile(r'(name="(?:csrfmiddlewaretoken|started)" value=")[^"]*(")')


_ACCOUNT_LINK = re.compile(r'<a class="site-account__me".*?</a>')


def _page(response, address: str) -> str:
    """The page as the stranger reads it, less what differs by design: the tokens made for each
    render, the address they typed (shown back to them) and who they are signed in as."""
    page = _TOKEN.sub(r"\1…\2", response.content.decode())
    return _ACCOUNT_LINK.sub("…", page.replace(address, "ADDRESS"))


def _answer(client: Client, url: str, data: dict) -> tuple[int, str, str]:
    """Status, redirect and the page the browser ends on, for one POST."""
    response = client.post(url, data)
    location = response.get("Location", "")
    final = client.get(location) if response.status_code == 302 else response
    return response.status_code, location, _page(final, data["email"])


def _signup(client: Client, email: str) -> tuple[int, str, str]:
    return _answer(
        client,
        reverse("account_signup"),
        {
            "display_name": "Curious Stranger",
            "email": email,
            "password1": READER_PASSWORD,
            "password2": READER_PASSWORD,
        },
    )


def test_signup_with_a_known_address_answers_as_a_new_one_and_mails_the_owner(smtp_server):
    owner = ReaderFactory(email="owner@example.com")

    new = _signup(Client(), "newcomer@example.com")
    User.objects.filter(email="newcomer@example.com").delete()  # the display name again free
    smtp_server.messages.clear()
    known = _signup(Client(), "owner@example.com")

    assert known == new
    assert known[0] == 302
    assert "already registered" not in known[2]
    assert User.objects.filter(email="owner@example.com").count() == 1
    assert [m["To"] for m in smtp_server.messages] == [owner.email]
    notice = mail_text(smtp_server.messages[0])
    assert "/accounts/login/" in notice
    assert "/accounts/password/reset/" in notice


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(smtp_server):
    ReaderFactory(email="owner@example.com")
    url = reverse("account_reset_password")

    known = _answer(Client(), url, {"email": "owner@example.com"})
    unknown = _answer(Client(), url, {"email": "nobody@example.com"})

    assert known == unknown
    assert known[0] == 302
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "nobody@example.com",
        "owner@example.com",
    ]


def test_email_change_answers_the_same_for_taken_and_free_addresses(smtp_server):
    ReaderFactory(email="owner@example.com")
    answers = []
    for address in ("free@example.com", "owner@example.com"):
        reader = ReaderFactory()
        client = Client()
        sign_in(client, reader.email)
        client.post(reverse("account_reauthenticate"), {"password": READER_PASSWORD})
        status, location, page = _answer(
            client, reverse("account_email"), {"email": address, "action_add": ""}
        )
        answers.append((status, location, page.replace(reader.email, "READER")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
