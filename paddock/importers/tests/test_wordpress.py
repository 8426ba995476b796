"""Importing a WordPress export shaped like a real news site's, checked page by page and comment
by comment; then again (nothing new), then a newer export (what changed is updated)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from paddock.comments.models import Comment
from paddock.core.roles import CONTRIBUTORS
from paddock.importers.models import ImportedCommentAuthor, ImportedObject, ImportRun
from paddock.newsroom.models import ArticlePage, Contributor, SectionPage
from paddock.newsroom.tests.factories import site_tree

from .builders import Author, Post, wxr
from .builders import Comment as C
from .conftest import free_port, run_command

pytestmark = pytest.mark.django_db

AUTHORS = [
    Author(2, "mara", "mara@oldsite.example", "Mara Lindqvist", "Mara", "Lindqvist"),
    Author(3, "tomo", "tomo@oldsite.example", "Tomo Sato", "Tomo", "Sato"),
    Author(4, "guestwriter", "", "Guest Writer"),
]
CATEGORIES = [("news", "News"), ("reviews", "Reviews"), ("electric", "Electric")]
TAGS = [("ev", "EV"), ("recall", "Recall"), ("hatchback", "Hatchback")]
DAY = "2012-04-05"


def recall_comments(**states: str) -> list[C]:
    """The recall story's discussion; `states` changes comment states by id ("c103"="1")."""
    comments = [
        C(100, "First!", author="Speedy", url="https://speedy.example/", date=f"{DAY} 11:00:00"),
        C(101, "Reply to <b>Speedy</b>\nwith a line break", parent=100, date=f"{DAY} 11:05:00"),
        C(102, "Deeper reply", parent=101, author="Mara", user_id=2,
          email="mara@oldsite.example", date=f"{DAY} 11:10:00"),
        C(103, "Held for moderation", approved="0", date=f"{DAY} 11:20:00"),
        C(104, "Buy cheap watches", approved="spam", author="Spammer", date=f"{DAY} 11:30:00"),
        C(105, "Binned comment", approved="trash", date=f"{DAY} 11:40:00"),
        C(106, "", type="pingback", author="Other blog", date=f"{DAY} 11:50:00"),
    ]  # fmt: skip
    for comment in comments:
        comment.approved = states.get(f"c{comment.id}", comment.approved)
    return comments


def news_site(
    images: str, dead: str, *, version: str = "1.2", changes: dict[int, dict] | None = None
) -> str:
    """A car-news site's export: three writers, three categories, posts in every state,
    threaded comments in every state, attachments reachable and not, a page and a menu."""
    review_body = (
        "The new hatchback is quick.\n\n"
        '[caption id="attachment_50" align="aligncenter" width="300"]'
        f'<a href="{images}/wp-content/uploads/2012/04/red-car.png">'
        f'<img class="size-medium wp-image-50" src="{images}/wp-content/uploads/2012/04/'
        'red-car-300x200.png" alt="The red hatchback" width="300" height="200" /></a> '
        "Red, as tested[/caption]\n\n"
        "<h2>Verdict</h2>\nBuy one.\n<ul>\n<li>Fast</li>\n<li>Cheap</li>\n</ul>\n"
        f'<img src="{dead}/wp-content/uploads/2012/04/gone.jpg" alt="Interior" '
        'class="wp-image-51" />'
    )
    posts = [
        Post(
            10,
            title="Recall: 40,000 hatchbacks",
            slug="recall-40000-hatchbacks",
            content="Brakes may fail.\n\nOwners will be written to.\n\n<blockquote>Safety "
            'first</blockquote>\nSee <a href="https://maker.example/recall">the notice</a>.',
            creator="mara",
            date="2012-04-05 10:00:00",
            categories=[("news", "News"), ("electric", "Electric")],
            tags=[("recall", "Recall"), ("hatchback", "Hatchback")],
            excerpt="<p>A <b>big</b> recall.</p>",
            comments=recall_comments(),
        ),
        Post(
            11,
            title="Review: the red hatchback",
            slug="review-red-hatchback",
            content=review_body,
            creator="tomo",
            date="2012-05-01 09:30:00",
            categories=[("reviews", "Reviews")],
            tags=[("hatchback", "Hatchback")],
            meta={"_thumbnail_id": "50"},
            comments=[C(110, "Great review", date="2012-05-01 12:00:00")],
        ),
        Post(
            12,
            title="Block editor post",
            slug="block-editor-post",
            content="<!-- wp:paragraph -->\n<p>Written in <em>Gutenberg</em>.</p>\n"
            "<!-- /wp:paragraph -->\n<!-- wp:heading {\"level\":4} -->\n<h4>Small heading</h4>"
            "\n<!-- /wp:heading -->",
            creator="guestwriter",
            categories=[],
        ),
        Post(13, title="Draft about EVs", slug="", status="draft", date_gmt="0000-00-00 00:00:00",
             creator="mara", categories=[("electric", "Electric")], tags=[("ev", "EV")]),
        Post(14, title="Scheduled launch", slug="scheduled-launch", status="future",
             date="2099-01-01 08:00:00", creator="tomo", categories=[("news", "News")]),
        Post(15, title="Private notes", slug="private-notes", status="private", creator="mara",
             categories=[("news", "News")]),
        Post(16, title="Auto-draft", status="auto-draft", creator="mara"),
        Post(20, title="About us", slug="about", type="page", creator="mara"),
        Post(21, title="Home", type="nav_menu_item", creator="mara"),
        Post(50, title="Red car", type="attachment", status="inherit", parent=11,
             attachment_url=f"{images}/wp-content/uploads/2012/04/red-car.png"),
        Post(51, title="Interior", type="attachment", status="inherit", parent=11,
             attachment_url=f"{dead}/wp-content/uploads/2012/04/gone.jpg"),
    ]  # fmt: skip
    for post in posts:
        for name, value in (changes or {}).get(post.id, {}).items():
            setattr(post, name, value)
    return wxr(items=posts, authors=AUTHORS, categories=CATEGORIES, tags=TAGS, version=version)


@pytest.fixture(scope="module")
def news(django_db_setup, django_db_blocker, tmp_path_factory):
    """One import of the news site, shared by this module's tests (each of which runs in its
    own savepoint, so what a test changes is undone) and rolled back at the end."""
    from .conftest import serve_images

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PADDOCK_IMPORT_DOWNLOAD_PRIVATE_HOSTS=True,
            PADDOCK_IMPORT_DOWNLOAD_TIMEOUT=2.0,
        ),
        serve_images() as server,
        transaction.atomic(),
    ):
        dead = f"http://127.0.0.1:{free_port()}"
        path = tmp_path_factory.mktemp("export") / "export.xml"
        path.write_text(news_site(server.base, dead), encoding="utf-8")
        site_tree()
        result = run_command("import_wordpress", str(path))
        yield SimpleNamespace(result=result, server=server, dead=dead)
        transaction.set_rollback(True)


@pytest.fixture
def imported(news, db):
    return news.result


@pytest.fixture
def dead(news):
    return news.dead


@pytest.fixture
def image_server(news):
    return news.server


def table(out: str) -> dict[str, list[str]]:
    """The report's count table: kind → [imported, updated, unchanged, skipped]."""
    rows = {}
    for line in out.splitlines():
        words = line.split()
        if (
            len(words) == 5
            and words[0].isalpha()
            and all(w.replace(",", "").isdigit() for w in words[1:])
        ):
            rows[words[0]] = words[1:]
    return rows


def article(slug: str) -> ArticlePage:
    return ArticlePage.objects.get(slug=slug)


def test_report_counts_what_was_imported_and_skips_nothing(imported):
    assert imported.code == 0, imported.out + imported.err
    out = imported.out
    assert "WXR 1.2 export of oldsite.example" in out
    assert "Skipped" not in out
    assert "1 nav_menu_item items" in out and "1 pingbacks" in out and "1 auto-draft posts" in out
    lines = table(out)
    assert lines["posts"] == ["6", "0", "0", "0"]
    assert lines["pages"] == ["1", "0", "0", "0"]
    assert lines["comments"] == ["7", "0", "0", "0"]
    assert lines["authors"] == ["3", "0", "0", "0"]
    assert lines["attachments"] == ["1", "0", "0", "0"]
    assert lines["redirects"] == ["5", "0", "0", "0"]  # four posts and the page
    run = ImportRun.objects.get()
    assert run.finished_at and run.summary["skipped"] == 0


def test_authors_become_contributors_with_accounts_that_cannot_sign_in(imported):
    mara = Contributor.objects.get(display_name="Mara Lindqvist")
    assert mara.user.username == "mara"
    assert mara.user.email == "mara@oldsite.example"
    assert not mara.user.has_usable_password()
    assert mara.user.groups.filter(name=CONTRIBUTORS).exists()
    # No email in the export: a masthead profile without an account.
    assert Contributor.objects.get(display_name="Guest Writer").user is None
    assert get_user_model().objects.filter(username="guestwriter").count() == 0


def test_categories_become_sections_and_the_rest_tags(imported, home):
    sections = {s.slug: s for s in SectionPage.objects.child_of(home)}
    assert set(sections) == {"news", "reviews", "electric", "uncategorised"}
    assert all(s.live for s in sections.values())
    recall = article("recall-40000-hatchbacks")
    assert recall.get_parent().slug == "news"
    # The second category is kept as a tag.
    assert sorted(t.name for t in recall.tags.all()) == ["Electric", "Hatchback", "Recall"]
    assert article("block-editor-post").get_parent().slug == "uncategorised"


def test_published_post_page_by_page(imported, client):
    recall = article("recall-40000-hatchbacks")
    assert recall.live
    assert recall.title == "Recall: 40,000 hatchbacks"
    assert recall.standfirst == "A big recall."
    assert recall.published_at == dt.datetime(2012, 4, 5, 10, tzinfo=dt.UTC)
    assert recall.first_published_at == recall.published_at
    assert [c.display_name for c in recall.author_profiles] == ["Mara Lindqvist"]
    assert recall.owner.username == "mara"
    assert str(recall.body) == (
        "<p>Brakes may fail.</p><p>Owners will be written to.</p>"
        "<blockquote>Safety first</blockquote>"
        '<p>See <a href="https://maker.example/recall">the notice</a>.</p>'
    )
    response = client.get(recall.url)
    assert response.status_code == 200
    assert b"Owners will be written to." in response.content


def test_a_published_post_is_left_as_wagtails_publish_leaves_a_page(imported, client):
    # Live posts skip Wagtail's publish action (see _article_go_live): what it would have left
    # behind is checked here, field by field.
    recall = article("recall-40000-hatchbacks")
    assert recall.live and not recall.has_unpublished_changes and not recall.expired
    assert recall.live_revision_id == recall.latest_revision_id is not None
    assert recall.revisions.count() == 1
    assert recall.draft_title == recall.title
    assert recall.last_published_at == recall.published_at  # no modified date in the export
    assert recall.locale_id == recall.get_parent().locale_id
    as_saved = recall.live_revision.as_object()
    assert (as_saved.title, str(as_saved.body)) == (recall.title, str(recall.body))
    assert [a.contributor.display_name for a in as_saved.authors.all()] == ["Mara Lindqvist"]
    actions = list(
        PageLogEntry.objects.filter(page=recall).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["wagtail.create", "wagtail.publish"]
    # An editor takes over from here as with any page: edit, publish, and it stays live.
    recall.title = "Recall widened"
    recall.save_revision().publish()
    recall.refresh_from_db()
    assert recall.live and recall.title == "Recall widened" and recall.revisions.count() == 2
    assert client.get(recall.url).status_code == 200


def test_a_live_post_is_announced_and_indexed_once_committed(
    home, export_file, run_import, django_capture_on_commit_callbacks
):
    published = []

    def receiver(sender, instance, revision, **kwargs):
        published.append((instance.slug, revision.pk == instance.live_revision_id))

    export = wxr(
        items=[
            Post(1, title="Live", slug="live", content="Torque figures", creator="mara"),
            Post(2, title="Draft", slug="draft", status="draft", creator="mara"),
        ],
        authors=AUTHORS,
    )
    page_published.connect(receiver, sender=ArticlePage)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = run_import("import_wordpress", export_file(export))
    finally:
        page_published.disconnect(receiver, sender=ArticlePage)
    assert result.code == 0, result.out + result.err
    assert published == [("live", True)]
    assert [p.slug for p in ArticlePage.objects.live().search("torque")] == ["live"]


def test_images_are_embedded_when_downloaded_and_linked_when_not(imported, dead):
    review = article("review-red-hatchback")
    image = get_image_model().objects.get()
    assert image.title == "Red car" and image.width == 8 and image.height == 6
    assert review.lead_image_id == image.pk
    body = str(review.body)
    assert body.startswith(
        "<p>The new hatchback is quick.</p>"
        f'<embed alt="The red hatchback" embedtype="image" format="fullwidth" id="{image.pk}"/>'
        "<p>Red, as tested</p><h2>Verdict</h2><p>Buy one.</p>"
        "<ul><li>Fast</li><li>Cheap</li></ul>"
    )
    assert f'<a href="{dead}/wp-content/uploads/2012/04/gone.jpg">Interior</a>' in body
    assert ImportedObject.objects.get(kind="attachment", source_id="51").object_id is None


def test_block_editor_post_and_its_byline(imported):
    post = article("block-editor-post")
    assert str(post.body) == "<p>Written in <i>Gutenberg</i>.</p><h3>Small heading</h3>"
    assert [c.display_name for c in post.author_profiles] == ["Guest Writer"]


def test_drafts_scheduled_and_private_posts(imported):
    draft = ArticlePage.objects.get(title="Draft about EVs")
    assert not draft.live and draft.published_at is None
    assert draft.slug == "draft-about-evs"  # WordPress had none yet
    scheduled = article("scheduled-launch")
    assert not scheduled.live
    assert scheduled.go_live_at == dt.datetime(2099, 1, 1, 8, tzinfo=dt.UTC)
    assert scheduled.latest_revision.approved_go_live_at == scheduled.go_live_at
    private = article("private-notes")
    assert not private.live and private.published_at is None
    assert 'post 15 "Private notes": it was private, and Paddock has no private' in imported.out


def test_comments_comment_by_comment(imported):
    recall = article("recall-40000-hatchbacks")
    comments = {
        m.source_id: Comment.objects.get(pk=m.object_id)
        for m in ImportedObject.objects.filter(kind="comment")
    }
    assert set(comments) == {"100", "101", "102", "103", "104", "105", "110"}
    first, reply, deeper = comments["100"], comments["101"], comments["102"]
    assert first.article_id == recall.pk
    assert (first.parent_id, first.root_id, first.depth) == (None, first.pk, 0)
    assert (reply.parent_id, reply.root_id, reply.depth) == (first.pk, first.pk, 1)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, first.pk, 2)
    assert first.created_at == dt.datetime(2012, 4, 5, 11, tzinfo=dt.UTC)
    assert first.status == "published" and first.ip_address == "203.0.113.9"
    assert reply.body == "Reply to **Speedy**\nwith a line break"
    assert reply.body_html == "<p>Reply to <strong>Speedy</strong><br>\nwith a line break</p>"
    assert reply.body_text == "Reply to Speedy with a line break"
    assert comments["103"].status == "pending"
    assert comments["104"].status == "spam"
    assert comments["105"].status == "rejected" and comments["105"].body == "Binned comment"
    # Guests keep their name, email and URL; a registered author is linked to the account.
    guest = ImportedCommentAuthor.objects.get(comment=first)
    assert (guest.name, guest.email, guest.url) == (
        "Speedy",
        "reader@example.net",
        "https://speedy.example/",
    )
    assert first.author_id is None
    assert deeper.author.username == "mara"
    assert deeper.imported_author.name == "Mara"


def test_comments_show_on_the_article_page(imported, client):
    response = client.get(article("recall-40000-hatchbacks").url)
    assert b"First!" in response.content and b"Deeper reply" in response.content
    assert b"Held for moderation" not in response.content
    assert b"Buy cheap watches" not in response.content


def test_old_permalinks_redirect_to_the_articles(imported, client):
    recall = article("recall-40000-hatchbacks")
    response = client.get("/2012/04/05/recall-40000-hatchbacks/")
    assert response.status_code == 301
    assert response["Location"] == recall.url
    assert client.get(response["Location"]).status_code == 200
    assert Redirect.objects.filter(redirect_page=article("scheduled-launch")).exists()
    # Drafts had no public address, so they have no redirect.
    assert not Redirect.objects.filter(redirect_page__title="Draft about EVs").exists()


def test_second_run_imports_nothing_twice(imported, image_server, dead, export_file, run_import):
    counts = (ArticlePage.objects.count(), Comment.objects.count(), Redirect.objects.count())
    served = len(image_server.requests)
    again = run_import("import_wordpress", export_file(news_site(image_server.base, dead)))
    assert again.code == 0, again.out + again.err
    lines = table(again.out)
    assert lines["posts"] == ["0", "0", "6", "0"]
    assert lines["pages"] == ["0", "0", "1", "0"]
    assert lines["comments"] == ["0", "0", "7", "0"]
    assert lines["authors"] == ["0", "0", "3", "0"]
    after = (ArticlePage.objects.count(), Comment.objects.count(), Redirect.objects.count())
    assert after == counts
    # The downloaded image is not fetched again; the unreachable one is tried again.
    assert len(image_server.requests) == served


def test_newer_export_updates_what_changed(imported, image_server, dead, export_file, run_import):
    recall = article("recall-40000-hatchbacks")
    first_revision = recall.latest_revision_id
    comments = recall_comments(c103="1")[:-1] + [
        C(107, "A new reply", parent=102, date="2012-04-06 09:00:00")
    ]
    newer = news_site(
        image_server.base,
        dead,
        changes={
            10: {
                "title": "Recall: 45,000 hatchbacks",
                "content": "Now 45,000 cars.",
                "comments": comments,
            }
        },
    )
    result = run_import("import_wordpress", export_file(newer, "newer.xml"))
    lines = table(result.out)
    assert lines["posts"] == ["0", "1", "5", "0"]
    assert lines["pages"] == ["0", "0", "1", "0"]
    assert lines["comments"] == ["1", "1", "6", "0"]
    recall.refresh_from_db()
    assert recall.title == "Recall: 45,000 hatchbacks"
    assert str(recall.body) == "<p>Now 45,000 cars.</p>"
    assert recall.live and recall.latest_revision_id != first_revision
    mapped = {m.source_id: m.object_id for m in ImportedObject.objects.filter(kind="comment")}
    assert Comment.objects.get(pk=mapped["103"]).status == "published"
    new_reply = Comment.objects.get(pk=mapped["107"])
    assert new_reply.parent_id == mapped["102"] and new_reply.depth == 3
    assert new_reply.root_id == mapped["100"]


def test_an_article_edited_in_paddock_is_not_overwritten(
    imported, image_server, dead, export_file, run_import
):
    recall = article("recall-40000-hatchbacks")
    recall.title = "Edited by our editor"
    recall.save_revision().publish()
    newer = news_site(image_server.base, dead, changes={10: {"title": "Changed in WordPress"}})
    result = run_import("import_wordpress", export_file(newer, "newer.xml"))
    assert "edited in Paddock since it was imported" in result.out
    recall.refresh_from_db()
    assert recall.title == "Edited by our editor"
