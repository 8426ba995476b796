"""One host throughout: after load_demo with BASE_URL set, the sitemap, canonical links and the
home page's preview all name the public address."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PUBLIC = "http://paddock.test:8123"


def test_every_sitemap_location_is_on_base_url(demo, client, settings):
    settings.PADDOCK_PUBLIC_URL = PUBLIC
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "paddock.test"]
    call_command("load_demo", stdout=io.StringIO())

    # Asked on another host name (as a proxy might), the sitemap still names the site's one.
    body = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", body)
    assert len(locations) > 40
    assert all(loc.startswith(f"{PUBLIC}/") for loc in locations), [
        loc for loc in locations if not loc.startswith(f"{PUBLIC}/")
    ]

    home = client.get("/", HTTP_HOST="paddock.test:8123").content.decode()
    assert f'<link rel="canonical" href="{PUBLIC}/">' in home
    assert f'<meta property="og:title" content="{settings.WAGTAIL_SITE_NAME}">' in home
    assert 'rel="icon"' in home
