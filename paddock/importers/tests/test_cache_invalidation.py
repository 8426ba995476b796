"""Imported comments show at once on pages the full-page cache already holds: an import says
which articles' discussions it changed, as every other comment write does."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from paddock.core import pagecache
from paddock.newsroom.models import ArticlePage

from .builders import SITE, Author, DisqusPost, Post, Thread, disqus, wxr
from .builders import Comment as C

# Pages go stale when an import's transaction commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITER = [Author(2, "mara", "mara@oldsite.example", "Mara")]


@pytest.fixture
def page_cache(settings, tmp_path):
    """The page and fragment caches on, as in production (the root conftest turns them off)."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    settings.PADDOCK_PAGE_CACHE = True
    settings.PADDOCK_FRAGMENT_CACHE = True
    caches["pages"].clear()
    pagecache.clear_local()
    yield
    caches["pages"].clear()
    pagecache.clear_local()


def cached_page(url: str):
    """The article as an anonymous reader gets it, once it comes from the page cache."""
    Client().get(url)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "HIT"
    return response


def fresh_page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_disqus_import_shows_at_once_on_a_cached_article(
    page_cache, home, export_file, run_import
):
    text = wxr(authors=WRITER, items=[Post(10, title="Recall", slug="recall", creator="mara")])
    assert run_import("import_wordpress", "--no-download", export_file(text, "wp.xml")).code == 0
    url = ArticlePage.objects.get(slug="recall").url
    assert "Brakes squeal from day one" not in cached_page(url).content.decode()

    threads = [Thread("t1", identifier=f"10 {SITE}/?p=10", link=f"{SITE}/?p=10")]
    posts = [
        DisqusPost("p1", "t1", "<p>Brakes squeal from day one</p>"),
        DisqusPost("p2", "t1", "<p>Mine too, replaced the pads</p>", parent="p1"),
    ]
    result = run_import("import_disqus", export_file(disqus(threads=threads, posts=posts)))
    assert result.code == 0, result.out + result.err

    page = fresh_page(url)
    assert "Brakes squeal from day one" in page
    assert "Mine too, replaced the pads" in page


def test_a_wordpress_import_of_a_new_comment_shows_at_once_on_a_cached_article(
    page_cache, home, export_file, run_import
):
    first = C(101, "<p>Lovely colour</p>")
    post = Post(10, title="Recall", slug="recall", creator="mara", comments=[first])
    text = wxr(authors=WRITER, items=[post])
    assert run_import("import_wordpress", "--no-download", export_file(text, "wp.xml")).code == 0
    url = ArticlePage.objects.get(slug="recall").url
    page = cached_page(url).content.decode()
    assert "Lovely colour" in page and "Is the recall on UK cars too" not in page

    # The newer export has the same post with one more comment: only the comment is new.
    later = C(102, "<p>Is the recall on UK cars too?</p>", date="2012-04-06 08:00:00")
    post = Post(10, title="Recall", slug="recall", creator="mara", comments=[first, later])
    newer = wxr(authors=WRITER, items=[post])
    result = run_import("import_wordpress", "--no-download", export_file(newer, "wp2.xml"))
    assert result.code == 0, result.out + result.err

    assert "Is the recall on UK cars too?" in fresh_page(url)
