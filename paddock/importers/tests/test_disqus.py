"""Importing a Disqus export onto articles: threads matched by identifier and by URL, posts with
their parents, authors, dates, and deleted or spam state."""

from __future__ import annotations

import datetime as dt

import pytest

from paddock.accounts.display_names import DELETED_TEXT
from paddock.comments.models import Comment
from paddock.importers.models import ImportedCommentAuthor, ImportedObject
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.tests.factories import make_article, make_section

from .builders import SITE, Author, DisqusPost, Post, Thread, disqus, wxr

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(home, export_file, run_import):
    """Two posts imported from WordPress, and one article written in Paddock."""
    text = wxr(
        authors=[Author(2, "mara", "mara@oldsite.example", "Mara")],
        items=[
            Post(10, title="Recall", slug="recall", creator="mara"),
            Post(11, title="Review", slug="review", creator="mara", date="2012-05-01 09:00:00"),
        ],
    )
    assert run_import("import_wordpress", "--no-download", export_file(text, "wp.xml")).code == 0
    native = make_article(make_section("Opinion"), title="Native article")
    return {
        "recall": ArticlePage.objects.get(slug="recall"),
        "review": ArticlePage.objects.get(slug="review"),
        "native": native,
    }


THREADS = [
    Thread("t1", identifier=f"10 {SITE}/?p=10", link=f"{SITE}/?p=10", title="Recall"),
    Thread("t2", link=f"{SITE}/2012/05/01/review/", title="Review (old permalink)"),
    Thread("t3", link="https://newsite.example/opinion/native-article/", title="By new URL"),
    Thread("t4", identifier="native-article", title="By slug"),
    Thread("t5", link=f"{SITE}/2011/01/01/long-gone/", title="Gone"),
    Thread("t6", link=f"{SITE}/tag/ev/", title="Visited, never commented"),
]
POSTS = [
    DisqusPost("p1", "t1", "<p>First <b>comment</b></p>", name="Anna", username="anna_k",
               created_at="2013-01-02T03:04:05Z"),
    DisqusPost("p2", "t1", "<p>A reply</p>", parent="p1", created_at="2013-01-02T04:00:00Z"),
    DisqusPost("p3", "t1", "<p>Regrettable words</p>", parent="p2", deleted=True,
               created_at="2013-01-02T05:00:00Z"),
    DisqusPost("p4", "t1", "<p>Cheap pills</p>", spam=True, created_at="2013-01-02T06:00:00Z"),
    DisqusPost("p5", "t1", "<p>Anonymous thought</p>", name="Guest", username="",
               anonymous=True, email="guest@example.net", created_at="2013-01-02T07:00:00Z"),
    DisqusPost("p6", "t1", "<p>Lost parent</p>", parent="p999", created_at="2013-01-03T07:00:00Z"),
    DisqusPost("p7", "t1", "<p>When?</p>", created_at="the other day"),
    DisqusPost("p8", "t2", "<p>On the review</p>"),
    DisqusPost("p9", "t3", "<p>On the native article, by URL</p>"),
    DisqusPost("p10", "t4", "<p>On the native article, by slug</p>"),
    DisqusPost("p11", "t5", "<p>Nobody will see this</p>"),
    DisqusPost("p12", "t5", "<p>Nor this</p>"),
    DisqusPost("p13", "t-missing", "<p>Thread not in the file</p>"),
]  # fmt: skip


def by_source() -> dict[str, Comment]:
    mapped = dict(
        ImportedObject.objects.filter(source="disqus", kind="comment").values_list(
            "source_id", "object_id"
        )
    )
    return {sid: Comment.objects.get(pk=pk) for sid, pk in mapped.items()}


def test_disqus_import_comment_by_comment(articles, export_file, run_import):
    result = run_import("import_disqus", export_file(disqus(threads=THREADS, posts=POSTS)))
    assert result.code == 1  # the unmatched thread's comments, the broken date, the lost thread
    assert "Disqus export of oldmotornews" in result.out
    assert 'thread t5 "Gone"' in result.out and "its 2 comments were not imported" in result.out
    assert "Disqus post p7: its date 'the other day' is broken" in result.out
    assert "Disqus post p13: its thread t-missing is not in the export" in result.out
    assert "parent p999 is missing: attached at the top level" in result.out
    assert "1 threads without comments that match no article" in result.out

    comments = by_source()
    assert set(comments) == {"p1", "p2", "p3", "p4", "p5", "p6", "p8", "p9", "p10"}
    recall, review, native = articles["recall"], articles["review"], articles["native"]
    first, reply, deleted = comments["p1"], comments["p2"], comments["p3"]
    assert first.article_id == recall.pk
    assert first.body == "First **comment**" and first.status == "published"
    assert first.created_at == dt.datetime(2013, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert first.ip_address == "198.51.100.7"
    assert (reply.parent_id, reply.depth, reply.root_id) == (first.pk, 1, first.pk)
    assert (deleted.parent_id, deleted.depth, deleted.is_deleted) == (reply.pk, 2, True)
    assert deleted.body == deleted.body_html == deleted.body_text == DELETED_TEXT
    record = ImportedObject.objects.get(source="disqus", kind="comment", source_id="p3")
    assert record.data == {"original_body": "Regrettable words"}
    assert comments["p4"].status == "spam"
    assert comments["p6"].parent_id is None
    assert comments["p8"].article_id == review.pk
    assert comments["p9"].article_id == native.pk and comments["p10"].article_id == native.pk

    anna = ImportedCommentAuthor.objects.get(comment=first)
    assert (anna.name, anna.url) == ("Anna", "https://disqus.com/by/anna_k/")
    guest = ImportedCommentAuthor.objects.get(comment=comments["p5"])
    assert (guest.name, guest.email, guest.url) == ("Guest", "guest@example.net", "")

    threads = dict(
        ImportedObject.objects.filter(kind="thread").values_list("source_id", "object_id")
    )
    assert threads == {"t1": recall.pk, "t2": review.pk, "t3": native.pk, "t4": native.pk}


def test_second_run_imports_nothing_twice(articles, export_file, run_import):
    path = export_file(disqus(threads=THREADS, posts=POSTS))
    run_import("import_disqus", path)
    count = Comment.objects.count()
    again = run_import("import_disqus", path)
    assert Comment.objects.count() == count
    assert "comments" in again.out
    line = next(row for row in again.out.splitlines() if row.startswith("comments "))
    assert line.split()[1:4] == ["0", "0", "9"]


def test_a_changed_state_is_updated(articles, export_file, run_import):
    run_import("import_disqus", export_file(disqus(threads=THREADS[:1], posts=POSTS[:2])))
    changed = [POSTS[0], DisqusPost("p2", "t1", "<p>A reply</p>", parent="p1", spam=True,
                                    created_at="2013-01-02T04:00:00Z")]  # fmt: skip
    result = run_import(
        "import_disqus", export_file(disqus(threads=THREADS[:1], posts=changed), "2.xml")
    )
    assert result.code == 0, result.out
    assert by_source()["p2"].status == "spam"


def test_duplicate_post_ids(articles, export_file, run_import):
    posts = [POSTS[0], DisqusPost("p1", "t1", "<p>Again</p>")]
    result = run_import("import_disqus", export_file(disqus(threads=THREADS[:1], posts=posts)))
    assert result.code == 1 and "duplicate id" in result.out
    assert Comment.objects.get().body == "First **comment**"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (disqus(threads=THREADS, posts=POSTS)[:-40], "not well-formed XML"),
        (wxr(), "This is not a Disqus export: its root element is <rss>"),
    ],
)
def test_files_that_cannot_be_imported(articles, export_file, run_import, text, message):
    result = run_import("import_disqus", export_file(text, "bad.xml"))
    assert result.code == 2 and message in result.err
