"""The live updates of an open article page: one answer per article, the same for every
reader, kept by the page cache and shared caches; only what every reader may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paddock.comments import services
from paddock.comments.models import Comment
from paddock.comments.tests.test_queries import bulk_comments
from paddock.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def live_url(article) -> str:
    return reverse("comments:live", kwargs={"article_id": article.pk})


def committed():
    """Run the after-commit work (the page cache's invalidation) as a committing write would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def post(user, article, body: str, parent: Comment | None = None) -> Comment:
    with committed():
        return services.comment_create(
            user=user, article_id=article.pk, body=body, parent_id=parent.pk if parent else None
        )


def test_latest_comments_count_and_version_with_cache_headers(client, article, reader_factory):
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    first = post(ann, article, "First!")
    reply = post(bob, article, "A reply to Ann.", parent=first)

    response = client.get(live_url(article))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 2
    assert [item["id"] for item in data["comments"]] == [first.pk, reply.pk]
    assert data["comments"][1]["parent"] == first.pk
    assert data["comments"][1]["depth"] == 1
    html = data["comments"][1]["html"]
    assert html.startswith(f'<li id="comment-{reply.pk}" class="comment comment--d1"')
    assert "A reply to Ann." in html and html.endswith("</ol></li>")
    assert "Log in to vote" in html  # as a visitor sees it: nobody's votes or buttons
    assert "csrfmiddlewaretoken" not in html
    # Cookie-free and shared: one second in nginx or a CDN, no browser keeps it unasked.
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1, stale-while-revalidate=1"
    assert response["X-Page-Cache"] == "MISS"

    again = client.get(live_url(article))
    assert again["X-Page-Cache"] == "HIT"
    assert again["Cache-Control"] == response["Cache-Control"]
    assert again.content == response.content
    assert client.get(live_url(article), HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304

    # A new comment makes it stale at once, with a new version.
    third = post(ann, article, "Third.")
    fresh = client.get(live_url(article))
    assert fresh["X-Page-Cache"] == "MISS"
    assert fresh.json()["count"] == 3
    assert fresh.json()["version"] != data["version"]
    assert fresh.json()["comments"][-1]["id"] == third.pk


def test_held_shadowed_and_deleted_comments_never_leak(client, article, reader_factory):
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    shown = post(ann, article, "Everyone sees this.")
    held = post(bob, article, "HELD-TEXT")
    shadowed = post(bob, article, "SHADOW-TEXT")
    deleted = post(bob, article, "DELETED-TEXT")
    spam = post(bob, article, "SPAM-TEXT")
    # Every reader's poll saw them all once; each change below takes them back out at once.
    assert len(client.get(live_url(article)).json()["comments"]) == 5
    with committed():
        services.comment_moderate(held, status=Comment.Status.PENDING, reason="Links")
        shadowed.shadowed = True
        services.comments_bulk_update(comments=[shadowed], fields=["shadowed"])
        services.comment_delete(user=bob, comment_id=deleted.pk)
        services.comment_moderate(spam, status=Comment.Status.SPAM)

    # Bob asks too, signed in: the shared answer is the same for him.
    bob_client = Client()
    bob_client.force_login(bob)
    for who in (client, bob_client):
        response = who.get(live_url(article))
        body = response.content.decode()
        assert [item["id"] for item in response.json()["comments"]] == [shown.pk]
        assert response.json()["count"] == 1
        for text in ("HELD-TEXT", "SHADOW-TEXT", "DELETED-TEXT", "SPAM-TEXT"):
            assert text not in body

    # Asking for them by id shows a visitor nothing more, and Bob only his own.
    ids = ",".join(str(c.pk) for c in (shown, held, shadowed, deleted, spam))
    anonymous = client.get(f"{live_url(article)}?ids={ids}")
    assert [item["id"] for item in anonymous.json()["comments"]] == [shown.pk]
    mine = bob_client.get(f"{live_url(article)}?ids={ids}")
    assert [item["id"] for item in mine.json()["comments"]] == [shown.pk, held.pk, shadowed.pk]
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]


def test_a_signed_in_reader_gets_the_comments_they_asked_for_rendered_for_them(
    client, article, reader_factory
):
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    theirs = post(ann, article, "Ann's view.")
    own = post(bob, article, "Bob's own.")
    with committed():
        services.vote_cast(user=bob, comment_id=theirs.pk, value=1)
    client.force_login(bob)

    response = client.get(f"{live_url(article)}?ids={theirs.pk},{own.pk},x,")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    items = {item["id"]: item["html"] for item in response.json()["comments"]}
    assert 'aria-pressed="true"' in items[theirs.pk]  # his vote
    assert "Report" in items[theirs.pk] and "Edit" not in items[theirs.pk]
    assert "Edit" in items[own.pk] and "Report" not in items[own.pk]
    assert "csrfmiddlewaretoken" in items[theirs.pk]
    # What he shares with everyone stays the visitor's version.
    shared = Client().get(live_url(article)).json()
    assert all("csrfmiddlewaretoken" not in item["html"] for item in shared["comments"])


def test_deep_replies_carry_whom_they_answer(client, article, reader_factory, settings):
    settings.PADDOCK_COMMENT_MAX_DISPLAY_DEPTH = 2
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    parent = post(ann, article, "Top.")
    for n in range(3):
        parent = post(bob if n % 2 == 0 else ann, article, f"Level {n + 1}.", parent=parent)
    items = client.get(live_url(article)).json()["comments"]
    assert [item["depth"] for item in items] == [0, 1, 2, 2]
    assert "in reply to" not in items[1]["html"]
    assert "in reply to <bdi>Bob</bdi>" in items[2]["html"]
    assert "in reply to <bdi>Ann</bdi>" in items[3]["html"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_queries_do_not_grow_with_the_number_of_comments(
    section, reader_factory, signed_in, settings
):
    users = [reader_factory() for _ in range(4)]
    counts = {}
    for n in (1, 3, 300):  # the first also reads what every request keeps (the site, ...)
        article = make_article(section, title=f"Story with {n} comments")
        bulk_comments(article, users, n)
        client = Client()
        if signed_in:
            client.force_login(users[0])
        ids = ",".join(
            str(pk)
            for pk in Comment.objects.filter(article=article).values_list("pk", flat=True)[:30]
        )
        url = live_url(article) + (f"?ids={ids}" if signed_in else "")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.json()["comments"]) == min(n, 30)
        counts[n] = len(queries)
    assert counts[3] == counts[300], counts


def test_unknown_unpublished_and_private_pages_are_404(client, article, section, reader_factory):
    post(reader_factory(), article, "Before it was taken down.")
    assert client.get(reverse("comments:live", kwargs={"article_id": 987654})).status_code == 404
    draft = make_article(section, title="A draft", publish=False)
    assert client.get(live_url(draft)).status_code == 404
    assert client.get(live_url(article)).status_code == 200
    with committed():
        article.unpublish()
    assert client.get(live_url(article)).status_code == 404
    assert client.post(live_url(article)).status_code == 405


def test_the_article_page_points_its_script_at_the_live_url(client, article, reader_factory):
    page = client.get(article.url)
    html = page.content.decode()
    assert f'data-live="{live_url(article)}"' in html
    assert "data-live-personal" not in html  # the cached page is every visitor's
    assert 'src="/static/js/discussion.js' in html
    assert 'data-sort="oldest" data-page="1"' in html
    client.force_login(reader_factory())
    assert "data-live-personal" in client.get(article.url).content.decode()
