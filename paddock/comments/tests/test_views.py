"""The discussion as readers meet it: the article page, forms, htmx fragments and errors."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from paddock.accounts.display_names import DELETED_TEXT
from paddock.accounts.services import account_delete
from paddock.comments import services
from paddock.comments.models import Comment, Vote
from paddock.core import ratelimit
from paddock.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def test_visitor_sees_header_and_login_prompt(client, article, reader_factory):
    services.comment_create(user=reader_factory(), article_id=article.pk, body="One")
    html = client.get(article.url).content.decode()
    assert f"1 Comment on “{article.title}”" in re.sub(r"<[^>]+>", "", html)
    assert "Leave a Reply" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "You must be logged in to post a comment." in text
    login = reverse("account_login")
    assert f'href="{login}?next={article.url}%23respond"' in html


def test_anonymous_page_holds_nothing_user_specific(client, article, reader_factory):
    services.comment_create(user=reader_factory(), article_id=article.pk, body="Hi")
    response = client.get(article.url)
    assert not response.cookies
    html = response.content.decode()
    # Forms elsewhere on the page (the newsletter box) carry an empty CSRF field, filled in
    # the browser: no token in the page itself.
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html) in ([], [""])
    assert "<form" not in html.split('id="comments"')[1].split("</section>")[0]


def test_post_without_js_redirects_to_the_permalink(client, article, reader_factory):
    client.force_login(reader_factory("Ann"))
    response = client.post(post_url(article), {"body": "A **fine** point"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    page = client.get(response["Location"])
    assert page["Location"] == f"{article.url}#comment-{comment.pk}"
    html = client.get(article.url).content.decode()
    assert "A <strong>fine</strong> point" in html
    assert f'id="comment-{comment.pk}"' in html


def test_post_with_htmx_returns_the_new_comment_in_place(client, article, reader_factory):
    client.force_login(reader_factory("Ann"))
    response = client.post(post_url(article), {"body": "In place"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comment-list"
    assert response["HX-Reswap"] == "beforeend"
    html = response.content.decode()
    assert "In place" in html and 'id="comment-count" hx-swap-oob="true">1<' in html


def test_htmx_reply_goes_under_its_parent(client, article, reader_factory):
    top = services.comment_create(user=reader_factory(), article_id=article.pk, body="Top")
    client.force_login(reader_factory())
    response = client.post(
        post_url(article), {"body": "Reply", "parent": top.pk}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Retarget"] == f"#replies-{top.pk}"
    assert Comment.objects.get(parent=top).body == "Reply"


def test_invalid_post_keeps_text_and_says_why(client, article, reader_factory):
    client.force_login(reader_factory())
    response = client.post(post_url(article), {"body": "x" * 10_001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "10000" in html.replace(",", "") and "x" * 100 in html
    assert not Comment.objects.exists()


def test_reply_to_comment_on_other_article_is_a_clear_400(client, article, section, reader_factory):
    other = make_article(section, title="Other")
    foreign = services.comment_create(user=reader_factory(), article_id=other.pk, body="X")
    client.force_login(reader_factory())
    response = client.post(post_url(article), {"body": "Cross", "parent": foreign.pk})
    assert response.status_code == 400
    assert "another article" in response.content.decode()
    assert Comment.objects.count() == 1


def test_posting_to_missing_unpublished_or_closed_article(client, section, reader_factory):
    client.force_login(reader_factory())
    missing = client.post(reverse("comments:post", kwargs={"article_id": 424242}), {"body": "x"})
    assert missing.status_code == 404
    draft = make_article(section, title="Draft", publish=False)
    assert client.post(post_url(draft), {"body": "x"}).status_code == 404
    closed = make_article(section, title="Closed", comments_closed=True)
    response = client.post(post_url(closed), {"body": "x"})
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_visitor_posting_is_sent_to_login(client, article):
    response = client.post(post_url(article), {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Comment.objects.exists()


def test_csrf_is_enforced_on_comment_forms(article, reader_factory):
    user = reader_factory()
    comment = services.comment_create(user=reader_factory(), article_id=article.pk, body="Hi")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert csrf_client.post(post_url(article), {"body": "x"}).status_code == 403
    vote = reverse("comments:vote", kwargs={"pk": comment.pk})
    assert csrf_client.post(vote, {"value": "up"}).status_code == 403
    assert Comment.objects.count() == 1 and not Vote.objects.exists()


def test_vote_with_and_without_js(client, article, reader_factory):
    comment = services.comment_create(user=reader_factory(), article_id=article.pk, body="Hi")
    client.force_login(reader_factory())
    url = reverse("comments:vote", kwargs={"pk": comment.pk})
    response = client.post(url, {"value": "up"})
    assert response.status_code == 302
    response = client.post(url, {"value": "clear"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'class="votes__score" aria-label="Score">0<' in response.content.decode()
    response = client.post(url, {"value": "down"}, HTTP_HX_REQUEST="true")
    assert 'aria-label="Score">-1<' in response.content.decode()
    assert 'value="clear" aria-pressed="true"' in response.content.decode()


def test_vote_errors_are_4xx_with_a_message(client, article, reader_factory):
    ann = reader_factory()
    own = services.comment_create(user=ann, article_id=article.pk, body="Mine")
    client.force_login(ann)
    missing = client.post(reverse("comments:vote", kwargs={"pk": 999_999}), {"value": "up"})
    assert missing.status_code == 404
    response = client.post(reverse("comments:vote", kwargs={"pk": own.pk}), {"value": "up"})
    assert response.status_code == 403
    assert "your own comment" in response.content.decode()
    response = client.post(reverse("comments:vote", kwargs={"pk": own.pk}), {"value": "sideways"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_sorting_oldest_newest_best(client, article, reader_factory):
    voters = [reader_factory() for _ in range(3)]
    first = services.comment_create(user=reader_factory(), article_id=article.pk, body="first")
    second = services.comment_create(user=reader_factory(), article_id=article.pk, body="second")
    third = services.comment_create(user=reader_factory(), article_id=article.pk, body="third")
    for voter in voters:
        services.vote_cast(user=voter, comment_id=second.pk, value=1)
    services.vote_cast(user=voters[0], comment_id=first.pk, value=-1)

    def order(sort: str) -> list[int]:
        html = client.get(f"{article.url}?csort={sort}").content.decode()
        return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]

    assert order("oldest") == [first.pk, second.pk, third.pk]
    assert order("newest") == [third.pk, second.pk, first.pk]
    assert order("best") == [second.pk, third.pk, first.pk]
    assert order("nonsense") == [first.pk, second.pk, third.pk]


def test_threads_paginate_and_load_more(client, article, reader_factory, settings):
    settings.PADDOCK_COMMENTS_PER_PAGE = 2
    user = reader_factory()
    tops = [
        services.comment_create(user=user, article_id=article.pk, body=f"top {i}") for i in range(5)
    ]
    reply = services.comment_create(
        user=reader_factory(), article_id=article.pk, body="under 3", parent_id=tops[2].pk
    )
    html = client.get(article.url).content.decode()
    html = html.split('id="comments"')[1].split('id="respond"')[0]
    assert "top 1" in html and "top 2" not in html and "Load more comments" in html
    more = reverse("comments:threads", kwargs={"article_id": article.pk})
    fragment = client.get(f"{more}?cpage=2", HTTP_HX_REQUEST="true").content.decode()
    assert "top 2" in fragment and "under 3" in fragment and "top 0" not in fragment
    assert 'hx-swap-oob="beforeend:#comment-list"' in fragment
    page3 = client.get(f"{more}?cpage=3", HTTP_HX_REQUEST="true").content.decode()
    assert "top 4" in page3 and "Load more" not in page3
    assert client.get(f"{more}?cpage=9", HTTP_HX_REQUEST="true").status_code == 404
    # The permalink of a reply on page 2 opens page 2, at the reply.
    location = client.get(reply.get_absolute_url())["Location"]
    assert location == f"{article.url}?cpage=2#comment-{reply.pk}"
    assert "under 3" in client.get(location.split("#")[0]).content.decode()


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99999999999", "٣", "1e3"])
def test_bad_comment_page_numbers_are_404(client, article, bad):
    assert client.get(f"{article.url}?cpage={bad}").status_code == 404


def test_deep_replies_flatten_at_depth_five(client, article, reader_factory):
    users = [reader_factory(f"Nest{i}") for i in range(8)]
    parent = None
    chain = []
    for i, user in enumerate(users):
        parent = services.comment_create(
            user=user,
            article_id=article.pk,
            body=f"level {i}",
            parent_id=parent.pk if parent else None,
        )
        chain.append(parent)
    html = client.get(article.url).content.decode()
    # Levels 0-4 nest; 5, 6 and 7 hang under level 4, each "in reply to" its real parent.
    replies_of_4 = html.split(f'id="replies-{chain[4].pk}">')[1]
    for i in (5, 6, 7):
        assert f'id="comment-{chain[i].pk}"' in replies_of_4
    assert "in reply to <bdi>Nest5</bdi>" in html and "in reply to <bdi>Nest6</bdi>" in html
    assert html.count('class="comment comment--d5"') == 3


def test_deleted_comment_shows_placeholder_and_keeps_replies(client, article, reader_factory):
    ann = reader_factory("Ann")
    top = services.comment_create(user=ann, article_id=article.pk, body="Regrettable")
    services.comment_create(
        user=reader_factory(), article_id=article.pk, body="Still here", parent_id=top.pk
    )
    lonely = services.comment_create(user=ann, article_id=article.pk, body="Alone")
    services.comment_delete(user=ann, comment_id=top.pk)
    services.comment_delete(user=ann, comment_id=lonely.pk)
    html = client.get(article.url).content.decode()
    assert "Regrettable" not in html and "[deleted]" in html and "Still here" in html
    assert f'id="comment-{lonely.pk}"' not in html
    assert "1 Comment on" in re.sub(r"<[^>]+>", "", html)


def test_a_reply_to_a_gone_account_names_its_author_deleted(client, article, reader_factory):
    leaver = reader_factory("Leaving Lee")
    comment = services.comment_create(user=leaver, article_id=article.pk, body="Kept words")
    account_delete(user=leaver, delete_comments=False)
    client.force_login(reader_factory("Ann"))
    url = reverse("comments:reply", kwargs={"pk": comment.pk})
    page = re.sub(r"<[^>]+>", "", client.get(url).content.decode())
    assert f"{DELETED_TEXT} wrote:" in page and "Leaving Lee" not in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f"Replying to <bdi>{DELETED_TEXT}</bdi>" in fragment
    report = client.get(reverse("comments:report", kwargs={"pk": comment.pk}))
    assert f"<bdi>{DELETED_TEXT}</bdi> wrote:" in report.content.decode()


def test_edit_and_delete_views_check_the_author(client, article, reader_factory):
    ann, bob = reader_factory(), reader_factory()
    comment = services.comment_create(user=ann, article_id=article.pk, body="Mine")
    client.force_login(bob)
    edit = reverse("comments:edit", kwargs={"pk": comment.pk})
    delete = reverse("comments:delete", kwargs={"pk": comment.pk})
    assert client.post(edit, {"body": "Hacked"}).status_code == 403
    assert client.post(delete).status_code == 403
    client.force_login(ann)
    assert client.post(edit, {"body": "Better"}).status_code == 302
    html = client.get(article.url).content.decode()
    assert "Better" in html and ">edited<" in html
    assert client.post(delete).status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted


def test_report_view_records_a_report(client, article, reader_factory):
    comment = services.comment_create(user=reader_factory(), article_id=article.pk, body="Bad")
    client.force_login(reader_factory())
    url = reverse("comments:report", kwargs={"pk": comment.pk})
    assert client.post(url, {"reason": "other", "details": ""}).status_code == 400
    response = client.post(url, {"reason": "abuse"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert comment.reports.get().reason == "abuse"
    assert client.post(url, {"reason": "spam"}).status_code == 409


def test_recent_comments_widget(client, article, section, reader_factory):
    other = make_article(section, title="Other story")
    user = reader_factory("Writer")
    long_body = "word " * 60
    # Eleven look-alike comments in a minute would be held as flooding: this is about the
    # widget, so they skip moderation's screening.
    for i in range(10):
        services.comment_create(
            user=user, article_id=other.pk, body=f"c{i} {long_body}", screen=False
        )
    newest = services.comment_create(
        user=user, article_id=other.pk, body="**Newest** of <b>all</b> " + long_body, screen=False
    )
    html = client.get(article.url).content.decode()
    widget = html.split('id="recent-comments-heading"')[1].split("</section>")[0]
    assert widget.count("<li>") == 8
    assert f'href="{newest.get_absolute_url()}"' in widget
    assert 'Writer</bdi>: <span dir="auto">Newest of &lt;b&gt;all&lt;/b&gt; word' in widget
    assert "c0 " not in widget and "c1 " not in widget
    assert "…" in widget


def test_posting_too_fast_gets_429_with_retry_after(client, article, reader_factory, monkeypatch):
    # All in one rate-limit window, even if the test runs across a minute's turn.
    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    client.force_login(reader_factory())
    statuses = [
        client.post(post_url(article), {"body": f"Comment {i}"}).status_code for i in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    response = client.post(post_url(article), {"body": "Again"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert Comment.objects.count() == 5


@pytest.mark.parametrize("htmx", [False, True])
def test_the_same_comment_reply_or_report_sent_twice_is_stored_once(
    client, article, reader_factory, htmx
):
    top = services.comment_create(user=reader_factory(), article_id=article.pk, body="Top")
    client.force_login(reader_factory("Ann"))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    def twice(url, data, form):
        data = {**data, "started": client.get(f"/csrf/?form={form}").json()["stamps"][form]}
        first, again = client.post(url, data, **headers), client.post(url, data, **headers)
        assert first.status_code == again.status_code
        assert first.status_code in (200, 302)
        assert first.headers.get("Location") == again.headers.get("Location")
        assert first.headers.get("HX-Retarget") == again.headers.get("HX-Retarget")
        assert first.content == again.content

    twice(post_url(article), {"body": "Once"}, "comment")
    twice(post_url(article), {"body": "Once again", "parent": top.pk}, "comment")
    report = reverse("comments:report", kwargs={"pk": top.pk})
    twice(report, {"reason": "spam", "details": ""}, "report")
    assert Comment.objects.filter(body="Once").count() == 1
    assert Comment.objects.filter(parent=top).count() == 1
    assert top.reports.count() == 1


def test_a_resend_takes_over_a_first_answer_that_never_finished(
    client, article, reader_factory, monkeypatch
):
    from paddock.core import once
    from paddock.core.models import FormSubmission

    client.force_login(reader_factory("Ann"))
    data = {"body": "Sent while the database went away"}
    data["started"] = client.get("/csrf/?form=comment").json()["stamps"]["comment"]
    first = client.post(post_url(article), data)
    assert first.status_code == 302
    # As if it had claimed the form and died before answering or letting go of it.
    stored = FormSubmission.objects.get()
    FormSubmission.objects.filter(pk=stored.pk).update(status=0, created=time.time() - 30)
    Comment.objects.filter(body=data["body"]).delete()
    monkeypatch.setattr(once, "WAIT", 0.3)
    # A resend while the first might still be running waits for it (here: 409).
    assert client.post(post_url(article), data).status_code == 409
    FormSubmission.objects.filter(pk=stored.pk).update(created=time.time() - once.ABANDONED - 1)
    # Once it cannot be running any more, the resend is answered as a first send.
    assert client.post(post_url(article), data).status_code == 302
    assert Comment.objects.filter(body=data["body"]).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: write and answer in one")
def test_a_database_lost_before_the_answer_was_kept_stores_nothing_then_once(
    client, article, reader_factory, monkeypatch
):
    from django.db import OperationalError

    from paddock.core import once
    from paddock.core.models import FormSubmission

    client.force_login(reader_factory("Ann"))
    data = {"body": "Posted as the database went away"}
    data["started"] = client.get("/csrf/?form=comment").json()["stamps"]["comment"]

    def lost(key, response):  # the connection dropped once the comment was written
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(once, "_keep", lost)
    with pytest.raises(OperationalError):
        client.post(post_url(article), data)
    # Written and answered together, or neither: the comment went with its answer.
    assert not Comment.objects.filter(body=data["body"]).exists()
    monkeypatch.undo()
    assert not FormSubmission.objects.exists()  # let go of (taken over later had it not been)
    assert client.post(post_url(article), data).status_code == 302
    assert client.post(post_url(article), data).status_code == 302  # a resend: its answer
    assert Comment.objects.filter(body=data["body"]).count() == 1
