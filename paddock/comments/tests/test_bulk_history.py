"""A discussion's history written in bulk: votes with their dates and the tallies they make,
reports with theirs, in a fixed number of queries whatever their number."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from paddock.comments import services
from paddock.comments.models import Comment, Report, Vote, wilson_lower_bound
from paddock.core import pagecache

pytestmark = pytest.mark.django_db


def _comments(article, author, count: int) -> list[Comment]:
    at = timezone.now() - dt.timedelta(days=2)
    return services.comments_bulk_create(
        comments=[
            Comment(
                article=article,
                author=author,
                depth=0,
                body=f"Comment {i}",
                body_html=f"<p>Comment {i}</p>",
                body_text=f"Comment {i}",
                created_at=at,
            )
            for i in range(count)
        ]
    )


def _votes(comments, voters, *, at=None) -> list[Vote]:
    return [
        Vote(comment=comment, user=voter, value=1 if (i + j) % 3 else -1, created_at=at)
        for i, comment in enumerate(comments)
        for j, voter in enumerate(voters)
    ]


def test_bulk_votes_keep_their_dates_and_make_the_tallies_vote_cast_would(article, reader_factory):
    author, ann, bob, cat = (reader_factory() for _ in range(4))
    comments = _comments(article, author, 5)
    # One vote cast by a reader first: the bulk votes add to it.
    services.vote_cast(user=cat, comment_id=comments[0].pk, value=1)
    at = timezone.now() - dt.timedelta(days=1)

    services.votes_bulk_create(votes=_votes(comments, [ann, bob], at=at))

    assert Vote.objects.count() == 11
    assert set(Vote.objects.exclude(user=cat).values_list("created_at", flat=True)) == {at}
    for comment in Comment.objects.filter(pk__in=[c.pk for c in comments]):
        up = Vote.objects.filter(comment=comment, value=1).count()
        down = Vote.objects.filter(comment=comment, value=-1).count()
        assert (comment.upvotes, comment.downvotes, comment.score) == (up, down, up - down)
        assert math.isclose(comment.wilson, wilson_lower_bound(up, down))
    assert Comment.objects.get(pk=comments[0].pk).upvotes == 2  # cat's and ann's


def test_a_bulk_vote_without_a_date_is_dated_now(article, reader_factory):
    author, ann = reader_factory(), reader_factory()
    (comment,) = _comments(article, author, 1)
    before = timezone.now()
    services.votes_bulk_create(votes=[Vote(comment=comment, user=ann, value=-1)])
    assert Vote.objects.get().created_at >= before


def test_bulk_votes_take_the_same_queries_for_ten_or_two_hundred(article, reader_factory):
    author, ann, bob = (reader_factory() for _ in range(3))
    few, many = _comments(article, author, 5), _comments(article, author, 100)
    counts = {}
    # Two hundred rows stay within one insert on every database (SQLite's 999 parameters).
    for name, comments in (("few", few), ("many", many)):
        with CaptureQueriesContext(connection) as queries:
            services.votes_bulk_create(votes=_votes(comments, [ann, bob], at=timezone.now()))
        counts[name] = len(queries.captured_queries)
    assert Vote.objects.count() == 10 + 200
    assert counts["few"] == counts["many"], counts


def test_bulk_votes_refuse_a_vote_on_ones_own_comment_or_a_withdrawn_one(article, reader_factory):
    author, ann = reader_factory(), reader_factory()
    (comment,) = _comments(article, author, 1)
    with pytest.raises(ValueError, match="own comment"):
        services.votes_bulk_create(votes=[Vote(comment=comment, user=author, value=1)])
    with pytest.raises(ValueError, match="up"):
        services.votes_bulk_create(votes=[Vote(comment=comment, user=ann, value=0)])
    assert not Vote.objects.exists()
    assert Comment.objects.get(pk=comment.pk).upvotes == 0


def test_bulk_votes_make_their_articles_pages_stale_but_not_the_recent_list(
    article, reader_factory, django_capture_on_commit_callbacks
):
    author, ann = reader_factory(), reader_factory()
    (comment,) = _comments(article, author, 1)
    tags = [f"article:{article.pk}", "recent"]
    before = pagecache.versions(tags)
    pagecache.remember("recent-ids", services.recent_ids())
    with django_capture_on_commit_callbacks(execute=True):
        services.votes_bulk_create(votes=[Vote(comment=comment, user=ann, value=1)])
    after = pagecache.versions(tags)
    assert after[f"article:{article.pk}"] > before[f"article:{article.pk}"]
    assert after["recent"] == before["recent"]


def test_reports_take_the_dates_they_were_filed_on(article, reader_factory):
    author, ann, bob = reader_factory(), reader_factory(), reader_factory()
    (comment,) = _comments(article, author, 1)
    first = services.report_create(user=ann, comment_id=comment.pk, reason="spam")
    second = services.report_create(user=bob, comment_id=comment.pk, reason="abuse")
    day = timezone.now() - dt.timedelta(days=1)
    services.reports_date(dates={first.pk: day, second.pk: day + dt.timedelta(hours=1)})
    assert dict(Report.objects.values_list("pk", "created_at")) == {
        first.pk: day,
        second.pk: day + dt.timedelta(hours=1),
    }
