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


def test_a_site_served_under_a_script_prefix_links_under_it(client, demo):
    """Served below a path (SCRIPT_NAME), every link a list page builds carries it: the cards,
    their sections and writers, the menu, the masthead and the footer."""
    import re

    from django.test.utils import override_script_prefix

    # As a WSGI server passes it (the page cache's key), and as Django's handler sets it from
    # there (the test client does not).
    with override_script_prefix("/magazine/"):
        home = client.get("/", SCRIPT_NAME="/magazine").content.decode()
    links = re.findall(r'href="(/[^"]*)"', home)
    assert len(links) > 40
    # Static files are served from STATIC_URL, which is absolute (/static/).
    outside = [link for link in links if not link.startswith(("/magazine/", "/static/"))]
    assert not outside
    assert 'href="/magazine/authors/' in home and 'href="/magazine/industry/' in home
