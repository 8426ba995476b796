"""Fixtures for account tests: uploads go to a temporary media folder, mail is read for links."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from .factories import READER_PASSWORD

_URL = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture(autouse=True)
def remove_new_avatars():
    """Delete the avatar files a test stored, so that runs leave the media folder as they found it.

    (MEDIA_ROOT is not swapped for a temporary folder: config/urls.py reads it once, when first
    imported, to serve /media/, and a swapped value would outlive the test that set it.)
    """
    from django.core.files.storage import default_storage

    def stored() -> set[str]:
        if not default_storage.exists("avatars"):
            return set()
        return {f"avatars/{name}" for name in default_storage.listdir("avatars")[1]}

    before = stored()
    yield
    for name in stored() - before:
        default_storage.delete(name)


def mail_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def mail_link(message: EmailMessage, containing: str) -> str:
    """The path of the one link in the mail whose URL contains `containing`."""
    links = [urlsplit(url).path for url in _URL.findall(mail_text(message)) if containing in url]
    assert len(links) == 1, f"expected one {containing!r} link in:\n{mail_text(message)}"
    return links[0]


def sign_in(client: Client, email: str, password: str = READER_PASSWORD) -> None:
    """Sign in through allauth's form, as a reader does (so it counts as a recent sign-in)."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
