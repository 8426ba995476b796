"""Imported guests' comments show the guest's name, on the thread and in Recent Comments."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.importers.models import ImportedCommentAuthor
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _guest_comment(article, name: str, text: str) -> Comment:
    html = markup.render(text)
    comment = Comment.objects.create(
        article=article, body=text, body_html=html, body_text=markup.plain(html)
    )
    Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
    ImportedCommentAuthor.objects.create(comment=comment, name=name, url="https://s.example/")
    return comment


def test_guest_names_show_on_the_thread_and_in_recent_comments(client):
    article = make_article(make_section("News"))
    _guest_comment(article, "Speedy <b>Gonzales</b>", "Imported remark")
    orphan = Comment.objects.create(article=article, body="x", body_html="<p>x</p>", body_text="x")
    Comment.objects.filter(pk=orphan.pk).update(root_id=orphan.pk)
    html = client.get(article.url).content.decode()
    thread = html.split('id="comments"')[1].split('id="respond"')[0]
    assert '<bdi itemprop="name">Speedy &lt;b&gt;Gonzales&lt;/b&gt;</bdi>' in thread
    assert "[deleted]" in thread  # a comment whose account is gone, with no guest name
    widget = html.split('id="recent-comments-heading"')[1].split("</section>")[0]
    assert "Speedy &lt;b&gt;Gonzales&lt;/b&gt;</bdi>: " in widget


def test_guest_names_cost_no_query_per_comment(client):
    article = make_article(make_section("News"))
    _guest_comment(article, "One", "First")
    client.get(article.url)
    with CaptureQueriesContext(connection) as few:
        client.get(article.url)
    for i in range(10):
        _guest_comment(article, f"Guest {i}", f"Remark {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(article.url)
    assert len(many.captured_queries) == len(few.captured_queries)
