"""backup → restore gives back the same site: every table's rows, passwords that still sign
in, and the uploaded files, on either database."""

from __future__ import annotations

import io
import json
import shutil
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from paddock.core.backup import _empty, _encode, _Row, tables
from paddock.demo import content

pytestmark = pytest.mark.django_db


def site_rows() -> dict[str, tuple[int, list]]:
    """Per table: its number of rows, and its first and last three rows as the backup writes
    them (so PostgreSQL's and SQLite's values compare alike)."""
    seen = {}
    holder = _Row()
    for table in tables():
        names = [f.attname for f in table.fields]
        rows = table.model._base_manager.order_by(table.model._meta.pk.attname).values_list(*names)
        count = rows.count()
        sample = list(rows[:3]) + list(rows.reverse()[:3])
        seen[table.label] = (
            count,
            [
                [_encode(f, v, holder) for f, v in zip(table.fields, row, strict=True)]
                for row in sample
            ],
        )
    return seen


@pytest.fixture
def media_root(settings, tmp_path):
    """The demo's uploaded images, in a media folder of this test's own."""
    source = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(source, settings.MEDIA_ROOT)
    return settings.MEDIA_ROOT


def test_backup_then_restore_into_an_empty_site_gives_back_the_same_site(
    demo, media_root, tmp_path, client, settings
):
    before = site_rows()
    for label in (
        "comments.comment",
        "accounts.profile",
        "newsletter.subscriber",
        "leads.lead",
        "moderation.auditentry",
        "wagtailimages.image",
        "newsroom.articlepage",
    ):
        assert before[label][0] > 0, label
    image = get_image_model().objects.order_by("pk").first()
    image_bytes = (media_root / image.file.name).read_bytes()

    out = io.StringIO()
    backup = tmp_path / "site.zip"
    call_command("backup", str(backup), stdout=out)
    assert out.getvalue() == ""  # quiet when not on a terminal
    with zipfile.ZipFile(backup) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format_version"] == 1
    assert manifest["database"] in ("sqlite", "postgresql")
    assert "wagtailcore" in manifest["migrations"]
    assert manifest["settings"]["WAGTAIL_SITE_NAME"] == settings.WAGTAIL_SITE_NAME
    assert not any("SECRET" in name for name in manifest["settings"])
    assert manifest["media"]["files"] >= 1

    # A site with content is not replaced unless asked to.
    with pytest.raises(CommandError, match="not empty.*--force"):
        call_command("restore", str(backup), stdout=out)

    # An empty site: no rows, no uploaded files.
    _empty("default")
    shutil.rmtree(media_root)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(backup), stdout=out, verbosity=2)
    assert "Restored" in out.getvalue()

    after = site_rows()
    assert after == before

    # A restored reader signs in with their password, and the restored image is served.
    reader = get_user_model().objects.get(email="reader-1@example.com")
    assert client.login(username=reader.username, password=content.DEMO_PASSWORD)
    response = client.get(f"/media/{image.file.name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes
    # And the pages are there, found by the rebuilt search index too.
    home = client.get("/")
    assert home.status_code == 200
    article = demo_article_title()
    assert article in client.get("/search/", {"q": article.split()[0]}).content.decode()


def demo_article_title() -> str:
    from wagtail.models import Page

    return Page.objects.live().filter(depth=4).order_by("path").first().title


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    stray = tmp_path / "notes.zip"
    with zipfile.ZipFile(stray, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(CommandError, match="not a Paddock backup"):
        call_command("restore", str(stray))
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(junk))
