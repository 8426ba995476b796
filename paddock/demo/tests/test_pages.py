"""The demo's standard pages: About, Privacy policy, Terms of use and Contact, linked from the
footer, named as the privacy policy, and listed in the sitemap."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "/about/": "About Paddock Motor Journal",
    "/privacy/": "Privacy policy",
    "/terms/": "Terms of use",
    "/contact/": "Contact the editors",
}


def test_the_demo_ships_the_pages_every_publication_has(client, demo):
    for path, title in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert title in response.content.decode()
    home = client.get("/").content.decode()
    footer = home.split('<footer class="site-footer">')[1]
    for path in PAGES:
        assert f'href="{path}"' in footer
    assert ">Contributors</a>" in footer and ">Sitemap</a>" in footer  # the links it always had
    assert 'id="contact-form"' in client.get("/contact/").content.decode()
    assert '<a class="privacy-link" href="/privacy/">' in client.get("/quote/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in PAGES:
        assert f"{path}</loc>" in sitemap


def test_the_privacy_policy_names_everything_the_site_keeps(client, demo):
    text = client.get("/privacy/").content.decode().lower()
    for kept in (
        "account",
        "comments",
        "votes",
        "reported",
        "newsletter",
        "dealers",
        "contact page",
        "network address",
        "cookies",
        "download",
        "delete",
    ):
        assert kept in text, kept
