"""Voting and reporting need a verified email address, as posting does: throwaway sign-ups can
neither sink a comment's score nor hide it with reports. The refusal says how to verify, with
JavaScript off and with htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment, Report, Vote
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

VERIFY_URL = reverse("account_email")


@pytest.fixture
def comment(db):
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    author = ReaderFactory(display_name="Ann Author")
    return comments.comment_create(user=author, article_id=article.pk, body="A fair point.")


def assert_unchanged(comment: Comment) -> None:
    fresh = Comment.objects.get(pk=comment.pk)
    assert (fresh.upvotes, fresh.downvotes, fresh.score) == (0, 0, 0)
    assert fresh.open_reports == 0
    assert fresh.status == Comment.Status.PUBLISHED
    assert not Vote.objects.filter(comment=comment).exists()
    assert not Report.objects.filter(comment=comment).exists()


def assert_says_how_to_verify(response) -> None:
    html = response.content.decode()
    assert response.status_code == 403
    assert "verify your email address" in html
    assert f'href="{VERIFY_URL}"' in html


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("value", ["up", "down"])
def test_an_unverified_account_cannot_vote(client, comment, value, htmx):
    client.force_login(ReaderFactory(verified=False))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("comments:vote", kwargs={"pk": comment.pk})
    assert_says_how_to_verify(client.post(url, {"value": value}, **headers))
    assert_unchanged(comment)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_unverified_account_cannot_report(client, comment, htmx):
    client.force_login(ReaderFactory(verified=False))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("comments:report", kwargs={"pk": comment.pk})
    # Told before filling in the form, and refused if it is sent anyway.
    assert_says_how_to_verify(client.get(url, **headers))
    assert_says_how_to_verify(client.post(url, {"reason": "abuse"}, **headers))
    assert_unchanged(comment)


def test_three_unverified_accounts_cannot_hide_a_comment(client, comment):
    for _ in range(3):
        client.force_login(ReaderFactory(verified=False))
        url = reverse("comments:report", kwargs={"pk": comment.pk})
        assert client.post(url, {"reason": "spam"}).status_code == 403
        client.post(reverse("comments:vote", kwargs={"pk": comment.pk}), {"value": "down"})
    assert_unchanged(comment)
    assert "A fair point." in client.get(comment.article.url).content.decode()


def test_a_verified_account_votes_and_reports(client, comment):
    client.force_login(ReaderFactory())
    vote = client.post(reverse("comments:vote", kwargs={"pk": comment.pk}), {"value": "down"})
    assert vote.status_code == 302
    report = client.post(reverse("comments:report", kwargs={"pk": comment.pk}), {"reason": "spam"})
    assert report.status_code == 200 and "Thank you" in report.content.decode()
    fresh = Comment.objects.get(pk=comment.pk)
    assert (fresh.downvotes, fresh.score, fresh.open_reports) == (1, -1, 1)


def test_three_verified_accounts_still_hide_a_comment(client, comment):
    """The threshold itself still works for readers who verified their address."""
    for _ in range(3):
        client.force_login(ReaderFactory())
        client.post(reverse("comments:report", kwargs={"pk": comment.pk}), {"reason": "spam"})
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
