"""Importing WordPress exports of other shapes: older WXR versions, dry runs, the progress line,
two sites side by side."""

from __future__ import annotations

import pytest

from paddock.comments.models import Comment
from paddock.importers.models import ImportedObject, ImportRun
from paddock.newsroom.models import ArticlePage
from paddock.pages.models import StandardPage

from .builders import Post, wxr
from .test_wordpress import article, news_site, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead(closed_port):
    return f"http://127.0.0.1:{closed_port}"


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions(home, image_server, dead, export_file, run_import, version):
    result = run_import(
        "import_wordpress",
        "--no-download",
        export_file(news_site(image_server.base, dead, version=version)),
    )
    # WXR 1.0 lists no authors: the posts' logins it cannot match are reported as skipped.
    assert result.code == (1 if version == "1.0" else 0), result.out + result.err
    assert f"WXR {version} export" in result.out
    recall = article("recall-40000-hatchbacks")
    assert recall.get_parent().slug == "news"
    assert sorted(t.name for t in recall.tags.all()) == ["Electric", "Hatchback", "Recall"]
    assert Comment.objects.filter(article=recall).count() == 6
    # WXR 1.0 lists no authors: contributors come from the posts' logins, without accounts.
    mara = recall.author_profiles[0]
    if version == "1.0":
        assert mara.display_name == "mara" and mara.user is None
    else:
        assert mara.display_name == "Mara Lindqvist"
    assert image_server.requests == []  # --no-download


def test_dry_run_writes_nothing(home, image_server, dead, export_file, run_import):
    result = run_import(
        "import_wordpress", "--dry-run", export_file(news_site(image_server.base, dead))
    )
    assert result.code == 0, result.out + result.err
    assert result.out.startswith("Dry run (nothing was written)")
    lines = table(result.out)
    assert lines["posts"] == ["6", "0", "0", "0"]
    assert lines["pages"] == ["1", "0", "0", "0"]
    assert ArticlePage.objects.count() == 0
    assert not StandardPage.objects.exists()
    assert not Comment.objects.exists() and not ImportedObject.objects.exists()
    assert not ImportRun.objects.exists()
    assert image_server.requests == []


def test_progress_line_at_verbosity_two(home, image_server, dead, export_file, run_import):
    result = run_import(
        "import_wordpress",
        "--no-download",
        export_file(news_site(image_server.base, dead)),
        verbosity=2,
    )
    assert "2/2 posts, pages and comments:" in result.err
    assert "of 0.0 MB (100%)" in result.err or "(100%)" in result.err


def test_site_key_keeps_two_sites_apart(home, export_file, run_import):
    one = wxr(items=[Post(1, title="Site one", slug="one")], site="https://one.example")
    two = wxr(items=[Post(1, title="Site two", slug="two")], site="https://two.example")
    assert run_import("import_wordpress", export_file(one, "one.xml")).code == 0
    assert run_import("import_wordpress", export_file(two, "two.xml")).code == 0
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == ["Site one", "Site two"]
