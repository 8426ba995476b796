"""Broken, hostile and odd exports: what cannot be imported is reported with its reason, the
rest is imported, and the exit code says which happened."""

from __future__ import annotations

import gzip

import pytest
from wagtail.contrib.redirects.models import Redirect

from paddock.comments.models import Comment
from paddock.importers import comments as services
from paddock.importers.models import ImportedObject
from paddock.newsroom.models import ArticlePage, Contributor

from .builders import Author, Post, wxr
from .builders import Comment as C

pytestmark = pytest.mark.django_db

WRITER = [Author(2, "mara", "mara@oldsite.example", "Mara Lindqvist")]


def write_and_run(export_file, run_import, text: str, *args: str, name: str = "export.xml"):
    return run_import("import_wordpress", "--no-download", *args, export_file(text, name))


def comments_of(title: str) -> dict[str, Comment]:
    article = ArticlePage.objects.get(title=title)
    mapped = dict(
        ImportedObject.objects.filter(kind="comment").values_list("object_id", "source_id")
    )
    return {mapped[c.pk]: c for c in Comment.objects.filter(article=article)}


# --- Files that cannot be imported at all (exit code 2) -------------------------------------


def test_malformed_xml_is_refused_before_any_post_is_written(home, export_file, run_import):
    text = wxr(authors=WRITER, items=[Post(1, creator="mara"), Post(2, creator="mara")])
    broken = text[: text.rindex("<item>") + 40]  # cut off in the middle of the second post
    result = write_and_run(export_file, run_import, broken)
    assert result.code == 2
    assert "not well-formed XML" in result.err and "line" in result.err
    assert not ArticlePage.objects.exists() and not Contributor.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (wxr(version="2.0"), "WXR version 2.0 is not supported"),
        (wxr().replace("<wp:wxr_version>1.2<", "<wp:wxr_version>1.3<"), "version 1.3 is not"),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
            "<item><title>x</title></item></channel></rss>",
            "no WordPress (wp:) namespace",
        ),
        ("<html><body>Not found</body></html>", "root element is <html>, not <rss>"),
        ("", "not well-formed XML: no element found"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            "<rss><channel>&b;</channel></rss>",
            "declares a DTD or XML entities",
        ),
    ],
    ids=["version-2.0", "declared-1.3", "rss-feed", "html", "empty", "entities"],
)
def test_unknown_formats_and_versions(home, export_file, run_import, text, message):
    result = write_and_run(export_file, run_import, text)
    assert result.code == 2
    assert message in result.err
    assert not ArticlePage.objects.exists()


def test_missing_file(home, run_import, tmp_path):
    result = run_import("import_wordpress", str(tmp_path / "nope.xml"))
    assert result.code == 2 and "Cannot read" in result.err


def test_gzipped_export(home, export_file, run_import, tmp_path):
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress(wxr(authors=WRITER, items=[Post(1, creator="mara")]).encode()))
    result = run_import("import_wordpress", str(path))
    assert result.code == 0, result.err
    assert ArticlePage.objects.count() == 1


# --- Records that cannot be imported (exit code 1), the rest imported ----------------------


def test_comment_with_a_missing_parent_goes_to_the_top_level(home, export_file, run_import):
    post = Post(
        1,
        title="Thread",
        creator="mara",
        comments=[C(1, "Root"), C(2, "Orphan", parent=999), C(3, "Loop A", parent=4),
                  C(4, "Loop B", parent=3), C(5, "Self", parent=5)],
    )  # fmt: skip
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=[post]))
    assert result.code == 0, result.out  # warnings only
    assert "comment 2 on post 1" in result.out and "parent 999 is missing" in result.out
    assert "parents form a loop" in result.out
    comments = comments_of("Thread")
    assert len(comments) == 5
    orphan = comments["2"]
    assert (orphan.parent_id, orphan.depth, orphan.root_id) == (None, 0, orphan.pk)
    loop = sorted((comments["3"], comments["4"]), key=lambda c: c.depth)
    assert loop[0].depth == 0 and loop[1].parent_id == loop[0].pk and loop[1].depth == 1
    assert comments["5"].parent_id is None


def test_unknown_author_is_reported_and_the_post_imported(home, export_file, run_import):
    text = wxr(authors=WRITER, items=[Post(1, title="By a ghost", creator="ghost")])
    result = write_and_run(export_file, run_import, text)
    assert result.code == 1
    assert 'author "ghost": named by post 1' in result.out
    assert ArticlePage.objects.get(title="By a ghost").author_profiles == []


def test_broken_dates(home, export_file, run_import):
    items = [
        Post(1, title="No usable date", creator="mara", date="yesterday", date_gmt="soon"),
        Post(2, title="Local date only", creator="mara", date="2013-02-03 04:05:06",
             date_gmt="0000-00-00 00:00:00"),
        Post(3, title="With comments", creator="mara",
             comments=[C(1, "Good date"), C(2, "Bad date", date="31/02/2012", date_gmt="never")]),
    ]  # fmt: skip
    text = wxr(authors=WRITER, items=items).replace(
        "<pubDate>Thu, 05 Apr 2012 10:00:00 +0000</pubDate>\n<dc:creator><![CDATA[mara]]>"
        '</dc:creator>\n<guid isPermaLink="false">https://oldsite.example/?p=1<',
        "<pubDate>not a date</pubDate>\n<dc:creator><![CDATA[mara]]></dc:creator>\n"
        '<guid isPermaLink="false">https://oldsite.example/?p=1<',
    )
    result = write_and_run(export_file, run_import, text)
    assert result.code == 1
    assert 'post 1 "No usable date": its date is broken' in result.out
    assert "comment 2 on post 3" in result.out and "its date is broken" in result.out
    assert not ArticlePage.objects.filter(title="No usable date").exists()
    local = ArticlePage.objects.get(title="Local date only")
    assert local.published_at.isoformat() == "2012-04-05T10:00:00+00:00"  # from pubDate
    assert list(comments_of("With comments")) == ["1"]


def test_huge_fields_are_skipped_with_their_sizes(home, export_file, run_import):
    megabyte = "x" * 1_048_576
    items = [
        Post(1, title=megabyte, creator="mara"),
        Post(2, title="Huge body", content="<p>" + "word " * 220_000 + "</p>", creator="mara"),
        Post(3, title="Huge comment", creator="mara",
             comments=[C(1, megabyte), C(2, "Fine"), C(3, "Long name", author=megabyte)]),
    ]  # fmt: skip
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items))
    assert result.code == 1
    assert "its title is 1,048,576 characters long; the limit is 255" in result.out
    assert "its body is 1,100,007 characters long; the limit is 1,000,000" in result.out
    assert (
        "comment 1 on post 3" in result.out and "its comment is 1,048,576 characters" in result.out
    )
    assert "its author name is 1,048,576 characters long" in result.out
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["Huge comment"]
    assert list(comments_of("Huge comment")) == ["2"]


def test_duplicate_ids(home, export_file, run_import):
    items = [
        Post(1, title="First of two", creator="mara", comments=[C(1, "One"), C(1, "One again")]),
        Post(1, title="Second with the same id", creator="mara"),
        Post(2, title="Another", creator="mara", comments=[C(1, "Same id, other post")]),
    ]
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items))
    assert result.code == 1
    assert 'post 1 "Second with the same id": duplicate id' in result.out
    assert "comment 1 on post 1" in result.out
    assert "comment 1 on post 2" in result.out and "duplicate id" in result.out
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == [
        "Another",
        "First of two",
    ]
    assert Comment.objects.get().body == "One"
    # A second run changes nothing and reports the same.
    again = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items), name="2.xml")
    assert again.code == 1 and Comment.objects.count() == 1 and ArticlePage.objects.count() == 2


def test_scripts_iframes_and_handlers_never_reach_the_page(home, export_file, run_import, client):
    hostile = (
        "<p onclick=\"alert('x')\">Hello <script>alert('body')</script><b>world</b></p>\n"
        '<iframe src="javascript:alert(1)"></iframe><iframe src="https://video.example/e/1">'
        "</iframe>\n<a href=\"javascript:alert('link')\">bad link</a> "
        '<a href=" JaVaScRiPt:alert(2)">spaced</a> <img src="x" onerror="alert(3)">\n'
        '<style>body{display:none}</style><object data="evil.swf"></object>'
        "<svg><script>alert(4)</script></svg><form action=/x><input name=a></form>"
    )
    comment = C(1, "<script>alert('c')</script>Nice <a href='javascript:x'>link</a>")
    post = Post(1, title="Hostile", content=hostile, creator="mara", comments=[comment])
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=[post]))
    assert result.code == 0, result.out
    page = ArticlePage.objects.get(title="Hostile")
    body = str(page.body)
    for needle in ("script", "onclick", "onerror", "javascript", "iframe", "style", "svg", "form"):
        assert needle not in body.lower(), needle
    assert body.startswith("<p>Hello <b>world</b></p>")
    assert '<a href="https://video.example/e/1">' in body
    stored = Comment.objects.get()
    assert stored.body == "Nice link" and "script" not in stored.body_html
    response = client.get(page.url)
    assert b"alert(" not in response.content


def test_a_post_whose_comments_fail_midway_leaves_nothing(
    home, export_file, run_import, monkeypatch
):
    real_render = services.markup.render

    def render(text: str) -> str:
        if text == "BOOM":
            raise RuntimeError("the database went away")
        return real_render(text)

    monkeypatch.setattr(services.markup, "render", render)
    items = [
        Post(1, title="Fine post", creator="mara", comments=[C(1, "ok")]),
        # The first comment is written before its reply fails: all of it must go.
        Post(2, title="Failing post", slug="failing", creator="mara",
             comments=[C(2, "top level"), C(3, "BOOM", parent=2)]),
        Post(3, title="After it", creator="mara"),
    ]  # fmt: skip
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items))
    assert result.code == 1
    assert 'post 2 "Failing post": it failed and nothing of it was written' in result.out
    assert "RuntimeError: the database went away" in result.out
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == ["After it", "Fine post"]
    assert Comment.objects.count() == 1
    assert not ImportedObject.objects.filter(kind__in=["post", "comment"], source_id="2").exists()
    assert not Redirect.objects.filter(old_path__contains="failing").exists()
    # Once the cause is gone, a second run imports it whole.
    monkeypatch.setattr(services.markup, "render", real_render)
    again = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items), name="2.xml")
    assert again.code == 0, again.out
    assert len(comments_of("Failing post")) == 2


def test_odd_states_and_types(home, export_file, run_import):
    items = [
        Post(1, title="Odd states", creator="mara",
             comments=[C(1, "Weird state", approved="maybe"), C(2, "", author="Empty")]),
        Post(2, title="Unknown status", status="limbo", creator="mara"),
        Post(3, title="Product", type="product", creator="mara"),
        Post(4, title="Trashed", status="trash", creator="mara"),
        Post(5, title="Locked", password="secret", creator="mara"),
    ]  # fmt: skip
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items))
    assert result.code == 1
    assert "unknown state 'maybe': held for review" in result.out
    assert "comment 2 on post 1" in result.out and "empty once its markup is removed" in result.out
    assert "its status 'limbo' is not one WordPress uses" in result.out
    assert "the post type 'product' is not imported" in result.out
    assert "1 trash posts" in result.out
    assert "password-protected: imported as a draft" in result.out
    assert Comment.objects.get().status == "pending"
    assert not ArticlePage.objects.get(title="Locked").live


def test_taken_slug_gets_a_suffix(home, export_file, run_import):
    items = [
        Post(1, title="Same slug", slug="same", creator="mara", link="https://oldsite.example/a/"),
        Post(2, title="Same again", slug="same", creator="mara", link="https://oldsite.example/b/"),
    ]
    result = write_and_run(export_file, run_import, wxr(authors=WRITER, items=items))
    assert result.code == 0
    assert 'its slug "same" is taken in the section: now "same-2"' in result.out
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == ["same", "same-2"]
