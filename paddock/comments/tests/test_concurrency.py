"""Votes fired in parallel threads: none lost, none counted twice (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from paddock.comments import services
from paddock.comments.models import Comment, Vote
from paddock.comments.services import CommentError

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level locking is PostgreSQL's"
    ),
]


def _run_parallel(jobs) -> list:
    errors: list = []
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            job()
        except CommentError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_parallel_votes_are_all_counted(article, reader_factory):
    author = reader_factory()
    comment = services.comment_create(user=author, article_id=article.pk, body="Vote storm")
    voters = [reader_factory() for _ in range(24)]
    jobs = [
        (
            lambda u=u, i=i: services.vote_cast(
                user=u, comment_id=comment.pk, value=1 if i % 3 else -1
            )
        )
        for i, u in enumerate(voters)
    ]
    errors = _run_parallel(jobs)
    assert errors == []
    comment.refresh_from_db()
    ups = Vote.objects.filter(comment=comment, value=1).count()
    downs = Vote.objects.filter(comment=comment, value=-1).count()
    assert (ups, downs) == (16, 8)
    assert (comment.upvotes, comment.downvotes, comment.score) == (16, 8, 8)


def test_one_reader_voting_twice_at_once_counts_once(article, reader_factory):
    comment = services.comment_create(user=reader_factory(), article_id=article.pk, body="Hi")
    voter = reader_factory()
    jobs = [
        (lambda: services.vote_cast(user=voter, comment_id=comment.pk, value=1)) for _ in range(8)
    ]
    _run_parallel(jobs)
    comment = Comment.objects.get(pk=comment.pk)
    assert Vote.objects.filter(comment=comment).count() == 1
    assert (comment.upvotes, comment.score) == (1, 1)
