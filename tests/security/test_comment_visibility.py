"""A comment a reader may not see (held, rejected, spam, removed, or a shadow-banned reader's)
answers every comment endpoint exactly as a comment that does not exist: never its text or
its author. Its own author still sees it as the thread shows it to them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from paddock.accounts.display_names import DELETED_TEXT
from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment, Report, Vote
from paddock.core.roles import MODERATORS
from paddock.moderation.actions import ReaderSanctionAction
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SECRET = "Wombat-coloured secret"
AUTHOR = "Hidden Hana"
STATUSES = ["pending", "rejected", "spam", "removed", "shadowed"]


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


@pytest.fixture
def author(db):
    return ReaderFactory(display_name=AUTHOR)


def hidden_comment(article, author, status: str) -> Comment:
    """A comment by `author` that other readers may not see, for the reason `status`."""
    if status == "shadowed":
        moderator = ReaderFactory(display_name="Mo Derator", groups=[MODERATORS])
        ReaderSanctionAction(
            author.pk, sanction="shadow_ban", reason="Trolling", user=moderator
        ).execute()
    comment = comments.comment_create(user=author, article_id=article.pk, body=SECRET)
    if status == "removed":
        comments.comment_delete(user=author, comment_id=comment.pk)
    elif status in ("pending", "rejected", "spam"):
        Comment.objects.filter(pk=comment.pk).update(status=status)
    comment.refresh_from_db()
    assert not comment.is_visible
    return comment


@pytest.fixture(params=STATUSES)
def hidden(request, article, author):
    return hidden_comment(article, author, request.param)


@pytest.fixture
def stranger(client, article):
    user = ReaderFactory(display_name="Curious Cat")
    client.force_login(user)
    return user


def missing_id() -> int:
    return (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


def assert_tells_nothing(response) -> None:
    html = response.content.decode()
    assert SECRET not in html and AUTHOR not in html


def both_ways(client, method: str, path: str, data: dict | None = None):
    """The same request with JavaScript off and with htmx."""
    send = client.get if method == "GET" else client.post
    return [send(path, data or {}), send(path, data or {}, HTTP_HX_REQUEST="true")]


def same_as_missing(client, method: str, name: str, hidden_pk: int, data=None) -> None:
    seen = both_ways(client, method, reverse(name, kwargs={"pk": hidden_pk}), data)
    missing = both_ways(client, method, reverse(name, kwargs={"pk": missing_id()}), data)
    for got, expected in zip(seen, missing, strict=True):
        assert got.status_code == expected.status_code == 404
        assert_tells_nothing(got)


@pytest.mark.parametrize("body", ["", "A reply"], ids=["empty-reply", "reply"])
def test_replying_to_a_hidden_comment(client, stranger, article, hidden, body):
    path = reverse("comments:post", kwargs={"article_id": article.pk})
    seen = both_ways(client, "POST", path, {"body": body, "parent": hidden.pk})
    missing = both_ways(client, "POST", path, {"body": body, "parent": missing_id()})
    for got, expected in zip(seen, missing, strict=True):
        assert got.status_code == expected.status_code
        assert got.status_code in (400, 404)
        assert_tells_nothing(got)
    assert not Comment.objects.filter(parent=hidden).exists()


def test_reply_form_and_permalink_of_a_hidden_comment(client, stranger, hidden):
    same_as_missing(client, "GET", "comments:reply", hidden.pk)
    if hidden.is_deleted:
        # The thread keeps a removed comment's place as "[deleted]"; its link leads there.
        assert (
            client.get(reverse("comments:permalink", kwargs={"pk": hidden.pk})).status_code == 302
        )
    else:
        same_as_missing(client, "GET", "comments:permalink", hidden.pk)


def test_voting_on_a_hidden_comment(client, stranger, hidden):
    same_as_missing(client, "POST", "comments:vote", hidden.pk, {"value": "up"})
    assert not Vote.objects.filter(comment=hidden).exists()
    client.logout()
    # Without an account the answer is still a 404, not a sign-in page with its address.
    same_as_missing(client, "POST", "comments:vote", hidden.pk, {"value": "up"})


def test_reporting_a_hidden_comment(client, stranger, hidden):
    same_as_missing(client, "GET", "comments:report", hidden.pk)
    same_as_missing(client, "POST", "comments:report", hidden.pk, {"reason": "abuse"})
    assert not Report.objects.filter(comment=hidden).exists()


def test_editing_or_deleting_a_hidden_comment(client, stranger, hidden):
    same_as_missing(client, "GET", "comments:edit", hidden.pk)
    same_as_missing(client, "POST", "comments:edit", hidden.pk, {"body": "Mine now"})
    same_as_missing(client, "GET", "comments:delete", hidden.pk)
    same_as_missing(client, "POST", "comments:delete", hidden.pk)
    hidden.refresh_from_db()
    assert hidden.body in (SECRET, DELETED_TEXT)


def test_threads_and_the_article_page_leave_it_out(client, stranger, article, hidden):
    fragment = client.get(
        reverse("comments:threads", kwargs={"article_id": article.pk}),
        {"cpage": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200
    assert SECRET not in fragment.content.decode()
    assert SECRET not in client.get(article.url).content.decode()


@pytest.mark.parametrize("status", ["pending", "shadowed"])
def test_the_author_still_sees_their_own_comment(client, article, author, status):
    """A held or shadowed comment shows to its author in the thread, and so at its permalink;
    a shadow-banned author can answer their own comment, as nothing tells them they are."""
    comment = hidden_comment(article, author, status)
    client.force_login(author)
    assert SECRET in client.get(article.url).content.decode()
    permalink = client.get(reverse("comments:permalink", kwargs={"pk": comment.pk}))
    assert permalink.status_code == 302
    reply_form = client.get(reverse("comments:reply", kwargs={"pk": comment.pk}))
    if status == "shadowed":
        assert reply_form.status_code == 200 and SECRET in reply_form.content.decode()
        path = reverse("comments:post", kwargs={"article_id": article.pk})
        assert client.post(path, {"body": "And more", "parent": comment.pk}).status_code == 302
        assert Comment.objects.get(parent=comment).shadowed
    else:
        assert reply_form.status_code == 404


def test_a_visible_comment_still_answers(client, stranger, article, author):
    comment = comments.comment_create(user=author, article_id=article.pk, body=SECRET)
    response = client.get(reverse("comments:reply", kwargs={"pk": comment.pk}))
    assert response.status_code == 200 and SECRET in response.content.decode()
    path = reverse("comments:post", kwargs={"article_id": article.pk})
    response = client.post(path, {"body": "", "parent": comment.pk})
    assert response.status_code == 400 and SECRET in response.content.decode()
