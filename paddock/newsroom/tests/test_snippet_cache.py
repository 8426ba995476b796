"""Contributors, makes and models are Paddock's own tables: the cached pages follow their
changes because their writers say so (services.py for code, the snippet hooks for editors in
the admin), not because of a post_save receiver."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.core import pagecache
from paddock.newsroom import services
from paddock.newsroom.models import Contributor

# Invalidation happens when a change commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    settings.PADDOCK_PAGE_CACHE = True
    settings.PADDOCK_FRAGMENT_CACHE = True
    pagecache.clear_local()
    yield
    pagecache.clear_local()


def author_page(slug: str) -> tuple[str, str]:
    response = Client().get(reverse("newsroom:author", args=[slug]))
    return response.content.decode(), response.headers.get("X-Page-Cache", "")


def test_a_contributor_written_by_code_shows_at_once(page_cache):
    writer = services.contributor_create(display_name="Ines Ortega")
    author_page(writer.slug)
    html, state = author_page(writer.slug)
    assert state == "HIT" and "Ines Ortega" in html
    services.contributor_rename(contributor=writer, display_name="Ines Ortega-Vidal")
    html, state = author_page(writer.slug)
    assert state != "HIT" and "Ines Ortega-Vidal" in html


def test_an_editor_renaming_a_contributor_in_the_admin_shows_at_once(page_cache):
    writer = services.contributor_create(display_name="Paul Keane")
    author_page(writer.slug)
    assert author_page(writer.slug)[1] == "HIT"
    admin = ReaderFactory(is_superuser=True, is_staff=True)
    editor = Client()
    editor.force_login(admin)
    url = reverse("wagtailsnippets_newsroom_contributor:edit", args=[writer.pk])
    form = editor.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["display_name"] = "Paul Keane Jr"
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Contributor.objects.get(pk=writer.pk).display_name == "Paul Keane Jr"
    html, state = author_page(writer.slug)
    assert state != "HIT" and "Paul Keane Jr" in html
    response = editor.post(reverse("wagtailsnippets_newsroom_contributor:delete", args=[writer.pk]))
    assert response.status_code == 302
    assert "Paul Keane" not in author_page(writer.slug)[0]
