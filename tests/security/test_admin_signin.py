"""The admin's sign-in and password reset are the newsroom's, not a side door for readers.

A reader who knows their password is not signed in at /admin/login/ but pointed to the site's
sign-in; the admin's reset mails no reader; and both count against the same limits as the
site's own sign-in and reset, answering 429 with Retry-After once over them.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from paddock.accounts.tests.factories import READER_PASSWORD, ReaderFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"


def _admin_sign_in(client: Client, login: str, password: str):
    return client.post(LOGIN, {"username": login, "password": password})


@pytest.fixture
def editor():
    return User.objects.create_superuser(
        username="editor", email="editor@example.com", password=READER_PASSWORD
    )


@pytest.mark.real_password_hashers
@pytest.mark.parametrize("by", ["email", "username"])
def test_a_reader_with_the_right_password_is_sent_to_the_site_sign_in(client, by):
    reader = ReaderFactory()
    response = _admin_sign_in(client, getattr(reader, by), READER_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert 'href="/accounts/login/"' in html
    assert "Readers sign in on the site" in html


@pytest.mark.real_password_hashers
def test_staff_still_sign_in_at_the_admin(client, editor):
    response = _admin_sign_in(client, "editor", READER_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert client.get("/admin/").status_code == 200


def test_admin_reset_mails_staff_only_and_answers_every_address_alike(smtp_server, editor):
    reader = ReaderFactory()
    answers = [
        Client().post(RESET, {"email": address}) for address in (reader.email, "nobody@example.com")
    ]
    assert [(a.status_code, a["Location"]) for a in answers] == [
        (302, "/admin/password_reset/done/")
    ] * 2
    assert smtp_server.messages == []

    Client().post(RESET, {"email": editor.email})
    assert [m["To"] for m in smtp_server.messages] == [editor.email]


def test_failed_admin_sign_ins_count_per_account_with_the_site_sign_in(client):
    reader = ReaderFactory()
    # Five failures in all, by email and by username, here and on the site.
    client.post("/accounts/login/", {"login": reader.email, "password": "wrong"})
    for login in (reader.email, reader.username, reader.email.upper(), reader.username):
        assert (
            _admin_sign_in(Client(REMOTE_ADDR=f"192.0.2.{len(login)}"), login, "x").status_code
            == 200
        )

    refused = _admin_sign_in(Client(REMOTE_ADDR="198.51.100.1"), reader.username, READER_PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_failed_admin_sign_ins_count_per_client_address(client):
    for n in range(10):
        assert _admin_sign_in(client, f"guess{n}@example.com", "x").status_code == 200
    refused = _admin_sign_in(client, "guess10@example.com", "x")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_admin_reset_requests_are_limited_per_address(smtp_server, editor):
    answers = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(RESET, {"email": editor.email}) for n in range(4)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert len(smtp_server.messages) == 3
