"""A Site saved by another process (migrate giving it BASE_URL, the admin on another worker)
reaches every page URL this process builds, even when Wagtail's own copy of the site root paths
sits in this process's memory (the default cache without Redis)."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from paddock.core import pagecache
from paddock.newsroom.memos import site_root_paths

pytestmark = pytest.mark.django_db


def test_site_root_paths_follow_a_site_saved_elsewhere():
    site = Site.objects.get(is_default_site=True)
    assert site_root_paths()[0].root_url == site.root_url
    # Wagtail's copy is warm here; another process changes the row and says so.
    Site.objects.filter(pk=site.pk).update(hostname="paddock.test", port=8123)
    pagecache.bump("site")
    assert site_root_paths()[0].root_url == "http://paddock.test:8123"
