"""A reader deletes their account: personal data goes, the discussion stays readable."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from paddock.accounts.models import Profile
from paddock.accounts.services import account_delete
from paddock.comments.models import Comment
from paddock.newsroom.tests.factories import make_article, make_section

from .conftest import sign_in
from .factories import READER_PASSWORD, ReaderFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def article():
    return make_article(make_section("News"))


def _comment(article, author, body="My opinion") -> Comment:
    return Comment.objects.create(
        article=article,
        author=author,
        body=body,
        body_html=f"<p>{body}</p>",
        body_text=body,
        ip_address="203.0.113.9",
    )


def _reader_with_avatar(client) -> User:
    reader = ReaderFactory(display_name="Leaving Reader", first_name="Lea", last_name="Ving")
    sign_in(client, reader.email)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "PNG")
    client.post(
        reverse("accounts:edit"),
        {
            "display_name": "Leaving Reader",
            "avatar": SimpleUploadedFile("a.png", buffer.getvalue()),
        },
    )
    reader.profile.refresh_from_db()
    assert reader.profile.avatar
    return reader


def test_delete_page_asks_for_password_and_about_comments(client):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    html = client.get(reverse("accounts:delete")).content.decode()
    assert 'name="password"' in html
    assert 'name="delete_comments"' in html
    assert "Also delete my comments" in html
    assert "csrfmiddlewaretoken" in html


def test_wrong_password_deletes_nothing(client):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    response = client.post(reverse("accounts:delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert "not your current password" in response.content.decode()
    reader.refresh_from_db()
    assert reader.is_active


def test_deleting_removes_personal_data_and_keeps_comments_anonymous(
    client, article, django_capture_on_commit_callbacks
):
    reader = _reader_with_avatar(client)
    avatar_file = reader.profile.avatar.name
    profile_url = reader.profile.get_absolute_url()
    comment = _comment(article, reader)
    other_session = Client()
    sign_in(other_session, reader.email)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": READER_PASSWORD})

    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    reader.refresh_from_db()
    assert reader.username.startswith("deleted-")
    assert len(reader.username) == len("deleted-") + 16
    assert (reader.email, reader.first_name, reader.last_name) == ("", "", "")
    assert not reader.has_usable_password()
    assert not reader.is_active
    assert not Profile.objects.filter(user=reader).exists()
    assert not EmailAddress.objects.filter(user=reader).exists()
    assert not default_storage.exists(avatar_file)

    comment.refresh_from_db()
    assert comment.author is None
    assert comment.ip_address is None
    assert comment.body == "My opinion"
    assert not comment.is_deleted

    # Signed out here and in every other session; the old credentials no longer work.
    assert client.get(reverse("accounts:edit")).status_code == 302
    assert other_session.get(reverse("accounts:edit")).status_code == 302
    assert not Client().login(username=reader.email, password=READER_PASSWORD)
    assert client.get(profile_url).status_code == 404


def test_deleting_with_comments_blanks_them(client, article):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    comments = [_comment(article, reader, f"Words {n}") for n in range(3)]
    someone_else = _comment(article, ReaderFactory(), "Not mine")

    client.post(reverse("accounts:delete"), {"password": READER_PASSWORD, "delete_comments": "on"})

    for comment in comments:
        comment.refresh_from_db()
        assert comment.author is None
        assert comment.is_deleted
        assert (comment.body, comment.body_html, comment.body_text) == ("[deleted]",) * 3
    someone_else.refresh_from_db()
    assert someone_else.body == "Not mine"
    assert someone_else.author is not None


def test_account_delete_service_strips_staff_rights_and_groups():
    editor = ReaderFactory(is_staff=True, is_superuser=True, groups=["Editors"])
    account_delete(user=editor, delete_comments=False)
    editor.refresh_from_db()
    assert not editor.is_staff
    assert not editor.is_superuser
    assert not editor.groups.exists()


def test_the_email_and_display_name_can_be_used_again(client, smtp_server):
    reader = ReaderFactory(display_name="Second Life", email="again@example.com")
    account_delete(user=reader, delete_comments=False)
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Second Life",
            "email": "again@example.com",
            "password1": READER_PASSWORD,
            "password2": READER_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="again@example.com").profile.display_name == "Second Life"
