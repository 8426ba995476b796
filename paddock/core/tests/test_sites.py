"""The site's address: BASE_URL onto Wagtail's default Site, and the favicon."""

from __future__ import annotations

import io

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from wagtail.models import Site

from paddock.core.sites import address_parse, site_address_after_migrate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "hostname", "port"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000),
        ("http://127.0.0.1:8000/", "127.0.0.1", 8000),
        ("https://news.example.com", "news.example.com", 443),
        ("http://news.example.com", "news.example.com", 80),
    ],
)
def test_address_parse(url, hostname, port):
    address = address_parse(url)
    assert (address.hostname, address.port) == (hostname, port)
    assert address.root_url == url.rstrip("/")


@pytest.mark.parametrize("url", ["news.example.com", "ftp://x", "https://x:8443", "http://x:no"])
def test_address_parse_refuses_what_wagtail_cannot_name(url):
    with pytest.raises(ImproperlyConfigured):
        address_parse(url)


def test_the_command_puts_base_url_on_the_default_site(settings):
    settings.PADDOCK_PUBLIC_URL = "http://127.0.0.1:8000"
    out = io.StringIO()
    call_command("site_address", stdout=out)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert "now http://127.0.0.1:8000/" in out.getvalue()
    call_command("site_address", "https://news.example.com", stdout=out)
    site.refresh_from_db()
    assert site.root_url == "https://news.example.com"


def test_the_command_explains_a_missing_address(settings):
    settings.PADDOCK_PUBLIC_URL = ""
    with pytest.raises(CommandError, match="BASE_URL is not set"):
        call_command("site_address")
    with pytest.raises(CommandError, match="absolute http or https"):
        call_command("site_address", "news.example.com")


def test_migrate_corrects_an_existing_site_only_when_base_url_is_set(settings):
    from django.apps import apps

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    settings.PADDOCK_PUBLIC_URL = ""
    site_address_after_migrate(apps.get_app_config("wagtailcore"))
    assert Site.objects.get(is_default_site=True).port == 80
    settings.PADDOCK_PUBLIC_URL = "http://paddock.test:8123"
    site_address_after_migrate(apps.get_app_config("wagtailcore"))
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("paddock.test", 8123)


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    # Served by the static files (whitenoise) in production; here, found where they are kept.
    icon = finders.find("favicon.ico")
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO
    assert finders.find("favicon.svg")
