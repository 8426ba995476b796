"""Work done after a comment commits (refreshing the recent comments, invalidating cached
pages) never turns the stored comment into an error for its reader."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from paddock.comments.models import Comment

# The after-commit work runs when the view's transaction really commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class DropConnectionOnRecentComments:
    """The database connection drops just as the recent comments are read, after the comment
    was written and committed (reads before the write, such as the screening's look at the
    author's history, go through)."""

    def __init__(self) -> None:
        self.written = False

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("INSERT") and "comments_comment" in sql:
            self.written = True
        elif (
            self.written
            and "ORDER BY" in sql
            and "comments_comment" in sql
            and not connection.in_atomic_block
        ):
            context["connection"].close()  # the driver's own connection, as a dropped socket
        return execute(sql, params, many, context)


def test_comment_stored_once_and_answered_302_when_after_commit_work_fails(article, reader_factory):
    reader, visitor = Client(), Client()
    assert visitor.get(article.url).status_code == 200  # the page is now in the cache
    reader.force_login(reader_factory("Ann"))
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    with connection.execute_wrapper(DropConnectionOnRecentComments()):
        response = reader.post(url, {"body": "Stored once"})
    assert response.status_code == 302
    assert Comment.objects.filter(body="Stored once").count() == 1
    # The fallback invalidated the page without reading the database: the comment shows.
    assert "Stored once" in visitor.get(article.url).content.decode()
