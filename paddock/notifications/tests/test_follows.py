"""Following a discussion: the button on the article page (POST, CSRF, no JavaScript), the
anonymous page the cache keeps, and who is told of what when a comment is posted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from paddock.comments import services as comments
from paddock.comments.tests.conftest import create_reader
from paddock.newsroom.tests.factories import make_article, make_section
from paddock.notifications import follows
from paddock.notifications.models import Follow, Notification


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


def follow_url(article) -> str:
    return reverse("notifications:follow", args=[article.pk])


@pytest.mark.django_db
def test_a_reader_follows_and_unfollows_with_the_button(article):
    ann = create_reader("Ann")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ann)
    page = browser.get(article.url)
    html = page.content.decode()
    assert "Follow this discussion" in html
    assert f'action="{follow_url(article)}"' in html
    token = page.context["csrf_token"]

    assert browser.post(follow_url(article), {"action": "follow"}).status_code == 403  # no token
    answer = browser.post(
        follow_url(article), {"action": "follow", "csrfmiddlewaretoken": str(token)}
    )
    assert answer.status_code == 302
    assert answer["Location"] == article.url + "#comments"
    assert Follow.objects.filter(user=ann, article_id=article.pk).count() == 1
    # Following twice (a double click) keeps one follow.
    browser.post(follow_url(article), {"action": "follow", "csrfmiddlewaretoken": str(token)})
    assert Follow.objects.filter(user=ann).count() == 1
    html = browser.get(article.url).content.decode()
    assert "Unfollow this discussion" in html
    assert "You follow this discussion" in html  # the message after the redirect

    browser.post(follow_url(article), {"action": "unfollow", "csrfmiddlewaretoken": str(token)})
    assert not Follow.objects.filter(user=ann).exists()
    assert "Follow this discussion" in browser.get(article.url).content.decode()


@pytest.mark.django_db
def test_only_a_signed_in_reader_follows_and_only_by_post(article, client):
    answer = client.post(follow_url(article), {"action": "follow"})
    assert answer.status_code == 302
    assert reverse("account_login") in answer["Location"]
    client.force_login(create_reader("Ann"))
    assert client.get(follow_url(article)).status_code == 405
    assert client.post(reverse("notifications:follow", args=[999999])).status_code == 404
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_the_anonymous_page_stays_cached_with_a_sign_in_link(article, client):
    ann = create_reader("Ann")
    follows.follow_start(user=ann, article_id=article.pk)
    client.get(article.url)
    response = client.get(article.url)
    assert response["X-Page-Cache"] == "HIT"
    html = response.content.decode()
    assert "Sign in to follow this discussion" in html
    assert "Unfollow" not in html
    assert "csrfmiddlewaretoken" not in html.split('id="comments"')[1].split("</h2>")[1][:600]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_followers_hear_of_new_visible_top_level_comments_only(
    article, drain_background_tasks, settings
):
    ann, bob, cid = create_reader("Ann"), create_reader("Bob"), create_reader("Cid")
    follows.follow_start(user=ann, article_id=article.pk)
    follows.follow_start(user=bob, article_id=article.pk)

    thread = comments.comment_create(user=bob, article_id=article.pk, body="A new thread.")
    comments.comment_create(user=cid, article_id=article.pk, body="Re.", parent_id=thread.pk)
    own = comments.comment_create(user=ann, article_id=article.pk, body="My own thread.")
    comments.comment_create(
        user=cid, article_id=article.pk, body="Old thread.", notify=False, screen=False
    )
    settings.PADDOCK_PREMODERATE_FIRST = 1
    newcomer = create_reader("Newcomer")
    held = comments.comment_create(user=newcomer, article_id=article.pk, body="Held for review.")
    assert held.status == "pending"
    drain_background_tasks()

    told = set(
        Notification.objects.filter(kind="follow").values_list("recipient__username", "comment")
    )
    # Ann of Bob's thread; Bob of Ann's; nobody of the reply, the held one, the historical one,
    # or their own.
    assert told == {("ann", thread.pk), ("bob", own.pk)}
    # A retried task tells nobody twice.
    assert follows.followers_notify(thread.pk) == 0
    assert Notification.objects.filter(kind="follow").count() == 2
