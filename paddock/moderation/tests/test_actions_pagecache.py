"""What a moderation action changes on an article shows at once on its cached page, as on the
site: the page cache and the fragment cache on, the action's transaction committed. (A sanction
changes no page already shown, and purged spam was never on one.)"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from paddock.comments.models import Comment
from paddock.core import pagecache
from paddock.moderation.actions import (
    CommentDecideAction,
    CommentEditAction,
    CommentHideAction,
    DiscussionCloseAction,
)

# Pages are made stale when a change commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def page_cache(settings, tmp_path):
    """The page cache on, in files (the embedded default), kept parts inside cached pages."""
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


def cached(url: str) -> str:
    """The page as an anonymous reader gets it, after checking it is served from the cache."""
    Client().get(url)
    response = Client().get(url)
    assert response["X-Page-Cache"] == "HIT"
    return response.content.decode()


def page(url: str) -> str:
    return Client().get(url).content.decode()


def test_a_decision_shows_at_once(page_cache, post, reader, moderator, article):
    comment = post(reader, "Held until a moderator looks")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    assert "Held until a moderator looks" not in cached(article.url)
    CommentDecideAction([comment.pk], decision="approve", user=moderator).execute()
    assert "Held until a moderator looks" in cached(article.url)
    CommentDecideAction([comment.pk], decision="reject", reason="Rude", user=moderator).execute()
    assert "Held until a moderator looks" not in page(article.url)


def test_an_edit_shows_at_once(page_cache, post, reader, moderator, article):
    comment = post(reader, "Original words, with a slur.")
    assert "with a slur" in cached(article.url)
    CommentEditAction(comment.pk, body="Original words.", user=moderator).execute()
    html = page(article.url)
    assert "with a slur" not in html and "edited by a moderator" in html


def test_a_comment_hidden_by_reports_goes_at_once(page_cache, post, reader, policy, article):
    policy.report_threshold = 1
    policy.save()
    comment = post(reader, "A heated take.")
    assert "A heated take." in cached(article.url)
    assert "A heated take." in cached("/")  # the recent comments too
    Comment.objects.filter(pk=comment.pk).update(open_reports=1)
    assert CommentHideAction(comment.pk).execute()
    assert "A heated take." not in page(article.url)
    assert "A heated take." not in page("/")


def test_closing_and_reopening_a_discussion_shows_at_once(page_cache, role_user, article):
    editor = role_user("editor")
    assert "Comments are closed" not in cached(article.url)
    DiscussionCloseAction(article.pk, closed=True, user=editor).execute()
    assert "Comments are closed" in cached(article.url)
    DiscussionCloseAction(article.pk, closed=False, user=editor).execute()
    assert "Comments are closed" not in page(article.url)
