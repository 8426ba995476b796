"""Password reset and email change, following the links in the mail the SMTP server received."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from paddock.accounts.services import email_verified, user_can_comment

from .conftest import mail_link, mail_text, sign_in
from .factories import READER_PASSWORD, ReaderFactory

# About passwords: hashed as the site hashes them.
pytestmark = [pytest.mark.django_db, pytest.mark.real_password_hashers]
NEW_PASSWORD = "Turbo-Intercooler-Boost-77"


def test_password_reset_by_mail(client, smtp_server):
    reader = ReaderFactory(display_name="Reset Reader")

    response = client.post(reverse("account_reset_password"), {"email": reader.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == reader.email
    link = mail_link(message, "/accounts/password/reset/key/")

    # The key moves from the URL into the session, then the form asks for the new password.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()
    action = form_page.redirect_chain[-1][0]
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert not Client().login(username=reader.email, password=READER_PASSWORD)
    sign_in(Client(), reader.email, NEW_PASSWORD)
    # The link is spent.
    again = client.get(link, follow=True)
    assert "not valid" in again.content.decode()


def test_password_reset_for_an_unknown_address_looks_the_same(client, smtp_server):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    # The owner of the address learns that no account uses it; no reset link is sent.
    assert "/accounts/password/reset/key/" not in mail_text(smtp_server.messages[0])


def test_password_reset_requests_are_rate_limited_per_address(client, smtp_server):
    reader = ReaderFactory()
    for _ in range(3):
        client.post(reverse("account_reset_password"), {"email": reader.email})
    response = client.post(reverse("account_reset_password"), {"email": reader.email})
    assert response.status_code == 429
    assert len(smtp_server.messages) == 3


def test_email_change_is_verified_before_it_takes_effect(client, smtp_server):
    reader = ReaderFactory(email="old@example.com")
    sign_in(client, "old@example.com")

    page = client.get(reverse("account_email"))
    assert "old@example.com" in page.content.decode()
    response = client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})
    # The password is asked again, then the change goes ahead.
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": READER_PASSWORD})
    assert response.status_code == 302

    # Until the new address is verified the old one stays in use, and commenting goes on.
    reader.refresh_from_db()
    assert reader.email == "old@example.com"
    assert user_can_comment(reader)
    assert "new@example.com" in client.get(reverse("account_email")).content.decode()
    assert [m["To"] for m in smtp_server.messages] == ["new@example.com"]
    link = mail_link(smtp_server.messages[0], "/accounts/confirm-email/")

    client.post(link)
    reader.refresh_from_db()
    assert reader.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=reader).values_list("email", "verified")) == [
        ("new@example.com", True)
    ]
    assert email_verified(reader)
    # The old address is told about the change.
    assert "old@example.com" in [m["To"] for m in smtp_server.messages[1:]]


def test_email_change_needs_the_password_again(client, smtp_server):
    reader = ReaderFactory(email="old@example.com")
    sign_in(client, reader.email)
    response = client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new@example.com").exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    wrong = client.post(response["Location"], {"password": "not-it"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="new@example.com").exists()
    client.post(response["Location"], {"password": READER_PASSWORD})
    assert EmailAddress.objects.filter(email="new@example.com", verified=False).exists()


def test_change_password_page_is_in_the_site_chrome(client):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    html = client.get(reverse("account_change_password")).content.decode()
    assert 'class="site-header"' in html
    assert 'name="oldpassword"' in html
    assert 'aria-label="Your account"' in html
