"""The comment section's query count does not grow with the number of comments."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paddock.comments import markup
from paddock.comments.models import Comment, Vote
from paddock.comments.services import comments_bulk_create

pytestmark = pytest.mark.django_db


def bulk_comments(article, users, count: int, seed: int = 7) -> None:
    """`count` comments in threads of mixed depth, written in bulk (`comments_bulk_create`)."""
    rng = random.Random(seed)
    made: list[Comment] = []
    for i in range(count):
        parent = rng.choice(made) if made and rng.random() < 0.6 else None
        body = f"Comment {i} with **bold** and a [link](https://example.com/{i})."
        html = markup.render(body)
        made.append(
            Comment(
                article=article,
                parent=parent,
                depth=parent.depth + 1 if parent else 0,
                author=rng.choice(users),
                body=body,
                body_html=html,
                body_text=markup.plain(html),
                upvotes=i % 5,
                downvotes=i % 3,
                score=i % 5 - i % 3,
            )
        )
    comments_bulk_create(comments=made)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_article_queries_same_for_0_10_and_2000_comments(
    client, section, reader_factory, signed_in
):
    from paddock.newsroom.tests.factories import make_article

    users = [reader_factory() for _ in range(6)]
    if signed_in:
        client.force_login(users[0])
    articles = {n: make_article(section, title=f"Story with {n} comments") for n in (0, 10, 2000)}
    counts = {}
    for n, article in articles.items():
        bulk_comments(article, users, n)
        if n:
            Vote.objects.bulk_create(
                Vote(comment=c, user=users[0], value=1)
                for c in Comment.objects.filter(article=article)[:50]
            )
        client.get(article.url)  # warm per-process caches (site root paths, content types)
        counts[n] = count_queries(client, article.url)
    print(f"article page queries ({'signed in' if signed_in else 'visitor'}): {counts}")
    # One query reads a page of threads with the counts beside each comment; an article with
    # nothing to show counts its comments on their own, one query more and never more.
    assert counts[10] == counts[2000]
    assert counts[0] <= counts[10] + 1
