"""The reader's own account page and the account area in the site header."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import sign_in
from .factories import ReaderFactory

pytestmark = pytest.mark.django_db


def test_account_page_needs_a_signed_in_reader(client):
    response = client.get(reverse("accounts:edit"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/accounts/profile/"


def test_account_page_shows_profile_fields_and_links(client):
    # Signed in before verifying: an account from before verification was required, whose
    # session outlived the change (signing in now needs a verified address).
    reader = ReaderFactory(display_name="Pit Lane", verified=False)
    client.force_login(reader)
    html = client.get(reverse("accounts:edit")).content.decode()
    for field in ("display_name", "country", "avatar", "csrfmiddlewaretoken"):
        assert f'name="{field}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'value="Pit Lane"' in html
    assert reverse("account_email") in html
    assert reverse("account_change_password") in html
    assert reverse("accounts:delete") in html
    assert reverse("notifications:preferences") in html  # what is emailed, chosen there
    assert "Verify your email address to comment" in html


def test_verified_readers_are_not_nagged(client):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    assert "Verify your email address" not in client.get(reverse("accounts:edit")).content.decode()


def test_saving_the_profile(client):
    reader = ReaderFactory(display_name="Old Name")
    sign_in(client, reader.email)
    response = client.post(
        reverse("accounts:edit"), {"display_name": " New Name ", "country": "NZ"}
    )
    assert response.status_code == 302
    reader.profile.refresh_from_db()
    assert reader.profile.display_name == "New Name"
    assert reader.profile.country.code == "NZ"
    assert "Your profile has been saved." in client.get(reverse("accounts:edit")).content.decode()


def test_changing_only_the_case_of_ones_own_name_is_allowed(client):
    reader = ReaderFactory(display_name="track fan")
    sign_in(client, reader.email)
    client.post(reverse("accounts:edit"), {"display_name": "Track Fan"})
    reader.profile.refresh_from_db()
    assert reader.profile.display_name == "Track Fan"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("taken one", "Another reader already uses that name"),
        ("Adm1n", "kept for the newsroom"),
        ("<b>bold</b>", "can&#x27;t contain"),
        ("a\u202eb\u200bc", "invisible characters"),
    ],
)
def test_bad_names_are_refused_on_the_account_page(client, name, message):
    ReaderFactory(display_name="Taken One")
    reader = ReaderFactory(display_name="Mine")
    sign_in(client, reader.email)
    response = client.post(reverse("accounts:edit"), {"display_name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    reader.profile.refresh_from_db()
    assert reader.profile.display_name == "Mine"


def test_unknown_country_codes_are_refused(client):
    reader = ReaderFactory(display_name="Mine")
    sign_in(client, reader.email)
    response = client.post(reverse("accounts:edit"), {"display_name": "Mine", "country": "XX"})
    assert response.status_code == 200
    reader.profile.refresh_from_db()
    assert not reader.profile.country


def test_account_forms_refuse_posts_without_a_csrf_token():
    reader = ReaderFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    for url in (reverse("accounts:edit"), reverse("accounts:delete"), reverse("account_logout")):
        assert client.post(url, {"display_name": "Whatever"}).status_code == 403


def test_header_offers_sign_in_and_register_to_visitors(client):
    html = client.get(reverse("accounts:profile", kwargs={"pk": ReaderFactory().profile.pk}))
    html = html.content.decode()
    header = html[html.index('class="site-account"') : html.index("</header>")]
    assert f"{reverse('account_login')}?next=/readers/" in header
    assert f"{reverse('account_signup')}?next=/readers/" in header
    assert "Sign out" not in header


def test_header_shows_the_signed_in_reader_and_a_sign_out_form(client):
    reader = ReaderFactory(display_name="<i>Sneaky</i>")
    sign_in(client, reader.email)
    html = client.get(reverse("accounts:edit")).content.decode()
    header = html[html.index('class="site-account"') : html.index("</header>")]
    assert "&lt;i&gt;Sneaky&lt;/i&gt;" in header
    assert "<i>Sneaky</i>" not in header
    assert reader.profile.avatar_url in header
    assert f'href="{reverse("accounts:edit")}"' in header
    assert f'method="post" action="{reverse("account_logout")}"' in header
    assert "csrfmiddlewaretoken" in header
