"""Signing up, verifying the address through the mail that really arrives, signing in and out."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from paddock.accounts.services import email_verified, user_can_comment
from paddock.newsroom.tests.factories import make_article, make_section

from .conftest import mail_link, mail_text, sign_in
from .factories import READER_PASSWORD, ReaderFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _signup(client, **overrides):
    data = {
        "display_name": "Track Fan",
        "email": "fan@example.com",
        "password1": READER_PASSWORD,
        "password2": READER_PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def test_signup_page_asks_for_display_name_email_and_password_in_site_chrome(client):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("display_name", "email", "password1", "password2", "csrfmiddlewaretoken"):
        assert f'name="{name}"' in html
    assert 'class="site-header"' in html
    assert html.index('name="display_name"') < html.index('name="email"')


@pytest.mark.real_password_hashers
def test_signup_mails_a_verification_link_and_following_it_verifies(client, smtp_server):
    response = _signup(client, display_name="  Track Fan ")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="fan@example.com")
    assert user.profile.display_name == "Track Fan"
    assert user.check_password(READER_PASSWORD)
    assert user.password.startswith("argon2")
    # Not signed in before verifying (sign-up answers a taken address the same way).
    assert "_auth_user_id" not in client.session
    assert not email_verified(user)
    assert not user_can_comment(user)

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "fan@example.com"
    assert "Track Fan" in mail_text(message)
    link = mail_link(message, "/accounts/confirm-email/")

    page = client.get(link)
    assert page.status_code == 200
    assert "fan@example.com" in page.content.decode()
    assert not email_verified(user)  # a GET alone (a mail scanner) verifies nothing

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/accounts/profile/"
    assert email_verified(user)
    assert user_can_comment(user)
    # The browser that signed up is signed in by the verification.
    assert client.session["_auth_user_id"] == str(user.pk)


def test_verification_link_works_when_signed_out(client, smtp_server):
    _signup(client)
    client.post(reverse("account_logout"))
    link = mail_link(smtp_server.messages[0], "/accounts/confirm-email/")
    client.post(link)
    assert email_verified(User.objects.get(email="fan@example.com"))


def test_signup_keeps_next_so_the_reader_returns_to_the_discussion(client, smtp_server):
    response = _signup(client, next="/news/some-story/#respond")
    assert response["Location"] == reverse("account_email_verification_sent")
    link = mail_link(smtp_server.messages[0], "/accounts/confirm-email/")
    assert client.post(link)["Location"] == "/news/some-story/#respond"


def test_the_page_after_signup_says_where_the_link_went(client, smtp_server):
    response = _signup(client, next="/news/some-story/#respond")
    landed = client.get(response["Location"]).content.decode()
    assert "We sent a link to fan@example.com." in landed
    assert landed.count("We sent a link to") == 1  # shown once, by the site's chrome
    # Read once: the next page does not say it again.
    assert "We sent a link to" not in client.get(response["Location"]).content.decode()


def test_duplicate_display_name_is_refused_case_insensitively(client, smtp_server):
    ReaderFactory(display_name="Track Fan")
    response = _signup(client, display_name="tRACK fAN")
    assert response.status_code == 200
    assert "Another reader already uses that name" in response.content.decode()
    assert not User.objects.filter(email="fan@example.com").exists()
    assert smtp_server.messages == []


def test_a_name_taken_while_signing_up_is_reported_not_a_crash(client, monkeypatch, smtp_server):
    # Another reader takes the name between validation and saving: the database's
    # case-insensitive constraint catches it, and nothing of the new account is kept.
    ReaderFactory(display_name="Track Fan")
    monkeypatch.setattr("paddock.accounts.forms.display_name_clean", lambda value, user: value)
    response = _signup(client, display_name="track fan")
    assert response.status_code == 200
    assert "has just taken that name" in response.content.decode()
    assert not User.objects.filter(email="fan@example.com").exists()
    assert not EmailAddress.objects.filter(email="fan@example.com").exists()
    assert smtp_server.messages == []


def test_impersonating_display_name_is_refused_at_signup(client, smtp_server):
    ReaderFactory(display_name="Jane Porter", groups=["Moderators"])
    response = _signup(client, display_name="Jаnе Pоrtеr")  # Cyrillic а, е, о
    assert response.status_code == 200
    assert "someone in our newsroom" in response.content.decode()
    assert not User.objects.filter(email="fan@example.com").exists()


def test_hostile_display_name_error_is_shown_escaped(client):
    response = _signup(client, display_name="<script>alert(1)</script>")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the value, re-shown inert
    assert "can&#x27;t contain" in html


def test_signup_with_a_taken_email_creates_nothing_and_tells_the_owner(client, smtp_server):
    ReaderFactory(email="fan@example.com")
    response = _signup(client, display_name="Someone Else")
    # Answered as any sign-up is (tests/security/test_enumeration.py compares the two).
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="fan@example.com").count() == 1
    assert [m["To"] for m in smtp_server.messages] == ["fan@example.com"]
    assert "already has an account" in mail_text(smtp_server.messages[0])


def test_unverified_reader_cannot_comment_and_verified_one_can():
    unverified = ReaderFactory(verified=False)
    verified = ReaderFactory()
    assert not email_verified(unverified)
    assert not user_can_comment(unverified)
    assert email_verified(verified)
    assert user_can_comment(verified)


def test_inactive_or_anonymous_users_cannot_comment():
    from django.contrib.auth.models import AnonymousUser

    inactive = ReaderFactory(is_active=False)
    assert not user_can_comment(inactive)
    assert not user_can_comment(AnonymousUser())
    assert not email_verified(AnonymousUser())
    assert not user_can_comment(None)


def test_only_a_verified_primary_address_counts():
    reader = ReaderFactory(verified=False)
    EmailAddress.objects.create(user=reader, email="other@example.com", verified=True)
    assert not email_verified(reader)


def test_login_returns_to_the_comment_form(client):
    section = make_section("News")
    article = make_article(section, title="Rally report")
    reader = ReaderFactory()
    next_url = f"{article.url}#respond"
    page = client.get(f"{reverse('account_login')}?next={next_url}")
    assert 'name="next"' in page.content.decode()

    response = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": READER_PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_login_ignores_a_next_url_on_another_site(client):
    reader = ReaderFactory()
    response = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": READER_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


@pytest.mark.real_password_hashers
def test_wrong_password_is_refused(client):
    reader = ReaderFactory()
    response = client.post(reverse("account_login"), {"login": reader.email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client):
    reader = ReaderFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": reader.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": reader.email, "password": READER_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_signups_from_one_address_are_rate_limited(client):
    for _ in range(5):
        assert client.post(reverse("account_signup"), {}).status_code == 200
    response = client.post(reverse("account_signup"), {})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_login", {"login": "a@example.com", "password": "x"}),
        ("account_signup", {"email": "a@example.com"}),
        ("account_reset_password", {"email": "a@example.com"}),
    ],
)
def test_entrance_forms_refuse_posts_without_a_csrf_token(url_name, data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse(url_name), data)
    assert response.status_code == 403
