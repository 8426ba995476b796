"""Every way a comment changes shows at once on its article's cached page.

An anonymous reader has the article from the full-page cache (X-Page-Cache: HIT); then the
discussion changes through one of the site's writers (a reader, a moderator, the site itself, an
account, an import) and the very next request, with no waiting, gets the page as it is now. A
Varnish in front (Wagtail's frontend cache, a real HTTP server on 127.0.0.1 here) is told to
purge the article in the same moment. A writer that forgets to say what it changed fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from paddock.accounts.services import account_delete, profile_update
from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.core.roles import MODERATORS
from paddock.importers.tests.builders import Author, DisqusPost, Post, Thread, disqus, wxr
from paddock.importers.tests.builders import Comment as WordPressComment
from paddock.moderation import policy as policies
from paddock.moderation.actions import CommentDecideAction, CommentEditAction, SpamPurgeAction
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.tests.factories import make_article, make_section

# Pages go stale when a write commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ORIGINAL = "Plants should follow the buyers"
AUTHOR = "Mara Quill"


@dataclass
class Scene:
    """An article with one published comment by AUTHOR, and the people who act on it."""

    article: ArticlePage
    author: object
    comment: Comment
    moderator: object
    tmp_path: Path


@dataclass
class Change:
    """What the page shows after the write that it did not before, what it no longer shows,
    and what it still shows."""

    new: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


@dataclass
class Case:
    write: Callable[[Scene], Change]
    # Runs before the page is cached: what the write needs to exist already.
    prepare: Callable[[Scene], None] | None = None


# --- The writes ----------------------------------------------------------------------------


def post(scene: Scene) -> Change:
    comments.comment_create(
        user=ReaderFactory(), article_id=scene.article.pk, body="A new voice here"
    )
    return Change(new=("A new voice here",))


def reply(scene: Scene) -> Change:
    comments.comment_create(
        user=ReaderFactory(),
        article_id=scene.article.pk,
        parent_id=scene.comment.pk,
        body="Only if the suppliers move too",
    )
    return Change(new=("Only if the suppliers move too",))


def edit(scene: Scene) -> Change:
    comments.comment_edit(
        user=scene.author, comment_id=scene.comment.pk, body="On second thought, maybe not"
    )
    return Change(new=("On second thought, maybe not",), gone=(ORIGINAL,))


def author_delete(scene: Scene) -> Change:
    comments.comment_delete(user=scene.author, comment_id=scene.comment.pk)
    # A deleted comment nobody answered leaves no "[deleted]" marker behind.
    return Change(gone=(ORIGINAL,))


def vote(scene: Scene) -> Change:
    comments.vote_cast(user=ReaderFactory(), comment_id=scene.comment.pk, value=1)
    return Change(new=('aria-label="Score">1<',), gone=('aria-label="Score">0<',))


def lower_the_report_threshold(scene: Scene) -> None:
    policy = policies.current()
    policy.report_threshold = 2
    policy.save()


def reports_hide(scene: Scene) -> Change:
    for _ in range(2):
        comments.report_create(user=ReaderFactory(), comment_id=scene.comment.pk, reason="abuse")
    return Change(gone=(ORIGINAL,))


def moderator_decision(scene: Scene) -> Change:
    CommentDecideAction(
        [scene.comment.pk], decision="reject", reason="Rude", user=scene.moderator
    ).execute()
    return Change(gone=(ORIGINAL,))


def moderator_edit(scene: Scene) -> Change:
    CommentEditAction(scene.comment.pk, body="Trimmed by the desk", user=scene.moderator).execute()
    return Change(new=("Trimmed by the desk", "edited by a moderator"), gone=(ORIGINAL,))


def old_spam_with_a_reply(scene: Scene) -> None:
    spam = comments.comment_create(
        user=ReaderFactory(), article_id=scene.article.pk, body="Cheap parts at my shop"
    )
    comments.comment_create(
        user=ReaderFactory(),
        article_id=scene.article.pk,
        parent_id=spam.pk,
        body="Is that shop any good",
    )
    CommentDecideAction([spam.pk], decision="spam", user=scene.moderator).execute()


def spam_purge(scene: Scene) -> Change:
    days = policies.current().purge_spam_after_days
    later = timezone.now() + dt.timedelta(days=days + 1)
    assert SpamPurgeAction(now=later).execute() == 1
    # The reply to the spam goes with it.
    return Change(gone=("Is that shop any good",))


def account_delete_keeping_comments(scene: Scene) -> Change:
    account_delete(user=scene.author, delete_comments=False)
    return Change(gone=(AUTHOR,), kept=(ORIGINAL,))


def account_delete_with_comments(scene: Scene) -> Change:
    account_delete(user=scene.author, delete_comments=True)
    return Change(gone=(AUTHOR, ORIGINAL))


def profile_rename(scene: Scene) -> Change:
    profile_update(profile=scene.author.profile, display_name="Mara Renamed")
    return Change(new=("Mara Renamed",), gone=(AUTHOR,))


def bulk_create(scene: Scene) -> Change:
    text, html, plain = comments.validated_body("Brought over from the old forum")
    comments.comments_bulk_create(
        comments=[
            Comment(
                article=scene.article,
                author=ReaderFactory(),
                depth=0,
                body=text,
                body_html=html,
                body_text=plain,
                created_at=timezone.now() - dt.timedelta(days=400),
            )
        ]
    )
    return Change(new=("Brought over from the old forum",))


def bulk_update(scene: Scene) -> Change:
    comment = scene.comment
    comment.body, comment.body_html, comment.body_text = comments.validated_body(
        "Corrected by the import"
    )
    comments.comments_bulk_update(comments=[comment], fields=["body", "body_html", "body_text"])
    return Change(new=("Corrected by the import",), gone=(ORIGINAL,))


def _run(command: str, *args: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)


def disqus_import(scene: Scene) -> Change:
    # The Disqus thread names the article by its slug, as the Disqus plugin lets a site do.
    export = scene.tmp_path / "disqus.xml"
    threads = [Thread("t1", identifier=scene.article.slug, title=scene.article.title)]
    posts = [
        DisqusPost("p1", "t1", "<p>From the Disqus days</p>", created_at="2013-01-02T03:04:05Z"),
        DisqusPost("p2", "t1", "<p>And its reply</p>", parent="p1"),
    ]
    export.write_text(disqus(threads=threads, posts=posts), encoding="utf-8")
    _run("import_disqus", str(export))
    return Change(new=("From the Disqus days", "And its reply"))


WRITER = [Author(2, "mara", "mara@oldsite.example", "Mara")]
FIRST = WordPressComment(101, "<p>Lovely colour</p>")


def _wordpress(scene: Scene, name: str, comments_: list[WordPressComment]) -> None:
    post_ = Post(10, title="Recall", slug="recall", creator="mara", comments=comments_)
    export = scene.tmp_path / name
    export.write_text(wxr(authors=WRITER, items=[post_]), encoding="utf-8")
    _run("import_wordpress", "--no-download", str(export))


def wordpress_article(scene: Scene) -> None:
    """The page under test is an article a first WordPress import brought, with its comment."""
    _wordpress(scene, "wp.xml", [FIRST])
    scene.article = ArticlePage.objects.get(slug="recall")


def wordpress_import(scene: Scene) -> Change:
    # The newer export has the same post with one more comment: only the comment is new.
    later = WordPressComment(
        102, "<p>Is the recall on UK cars too?</p>", date="2012-04-06 08:00:00"
    )
    _wordpress(scene, "wp2.xml", [FIRST, later])
    return Change(new=("Is the recall on UK cars too?",), kept=("Lovely colour",))


CASES = {
    "post": Case(post),
    "reply": Case(reply),
    "edit": Case(edit),
    "author-delete": Case(author_delete),
    "vote": Case(vote),
    "reports-hide": Case(reports_hide, prepare=lower_the_report_threshold),
    "moderator-decision": Case(moderator_decision),
    "moderator-edit": Case(moderator_edit),
    "spam-purge": Case(spam_purge, prepare=old_spam_with_a_reply),
    "account-delete": Case(account_delete_keeping_comments),
    "account-delete-with-comments": Case(account_delete_with_comments),
    "profile-rename": Case(profile_rename),
    "comments-bulk-create": Case(bulk_create),
    "comments-bulk-update": Case(bulk_update),
    "disqus-import": Case(disqus_import),
    "wordpress-import": Case(wordpress_import, prepare=wordpress_article),
}


# --- The site, the cache in front, and the reader --------------------------------------------


@pytest.fixture
def varnish(settings) -> Iterator[list[str]]:
    """A Varnish stand-in on 127.0.0.1 that records the paths it is told to purge, configured
    as Wagtail's frontend cache."""
    purged: list[str] = []

    class Varnish(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the method Wagtail's HTTP backend sends
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Varnish)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    try:
        yield purged
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def scene(tmp_path, settings) -> Scene:
    settings.MEDIA_ROOT = tmp_path / "media"
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    author = ReaderFactory(display_name=AUTHOR)
    comment = comments.comment_create(user=author, article_id=article.pk, body=ORIGINAL)
    return Scene(
        article=article,
        author=author,
        comment=comment,
        moderator=ReaderFactory(groups=[MODERATORS]),
        tmp_path=tmp_path,
    )


def visit(url: str):
    """The page as an anonymous reader gets it: no cookie, a new client each time."""
    response = Client().get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("name", list(CASES))
def test_a_cached_article_shows_each_comment_write_on_the_next_request(name, scene, varnish):
    case = CASES[name]
    if case.prepare:
        case.prepare(scene)
    url = scene.article.url
    assert visit(url)["X-Page-Cache"] == "MISS"
    cached = visit(url)
    assert cached["X-Page-Cache"] == "HIT"
    before = cached.content.decode()
    varnish.clear()

    change = case.write(scene)
    written = time.monotonic()
    # The next request, with no waiting: the page is made again and shows the change.
    fresh = visit(url)
    within = time.monotonic() - written
    html = fresh.content.decode()
    assert fresh["X-Page-Cache"] == "MISS"
    for text in change.new:
        assert text not in before, f"{name}: {text!r} was on the page already"
        assert text in html, f"{name}: {text!r} not on the page after the write"
    for text in change.kept:
        assert text in before and text in html, f"{name}: {text!r} should stay on the page"
    for text in change.gone:
        assert text in before, f"{name}: {text!r} was not on the page to begin with"
        assert text not in html, f"{name}: {text!r} still on the page after the write"
    assert within < 1.0, f"{name}: the page took {within:.2f}s to show the change"
    # Varnish was told in the same moment, and the page is cached again as it is now.
    assert url in varnish, f"{name}: no PURGE of {url} (got {varnish})"
    again = visit(url)
    assert again["X-Page-Cache"] == "HIT" and again.content == fresh.content
