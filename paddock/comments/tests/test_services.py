"""Rules of posting, editing, deleting, voting and reporting, as the services enforce them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from paddock.comments import services
from paddock.comments.models import Comment, Report, Vote, wilson_lower_bound
from paddock.comments.services import CommentError
from paddock.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_reply_records_parent_root_and_depth(article, reader_factory):
    ann, bob = reader_factory("Ann"), reader_factory("Bob")
    top = services.comment_create(user=ann, article_id=article.pk, body="Top")
    reply = services.comment_create(user=bob, article_id=article.pk, body="Re", parent_id=top.pk)
    deeper = services.comment_create(
        user=ann, article_id=article.pk, body="Re2", parent_id=reply.pk
    )
    top.refresh_from_db()
    assert (top.root_id, top.depth) == (top.pk, 0)
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 1)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, top.pk, 2)


def test_every_comment_names_its_thread_root_however_it_is_saved(article, reader_factory):
    """Threads are read by root: a comment saved without one (an import, a script) gets it."""
    ann = reader_factory("Ann")
    fields = {"article": article, "author": ann, "body_html": "<p>x</p>"}
    top = Comment.objects.create(**fields, body="Top")
    reply = Comment.objects.create(**fields, body="Re", parent=top, depth=1)
    assert Comment.objects.get(pk=top.pk).root_id == top.pk == top.root_id
    assert Comment.objects.get(pk=reply.pk).root_id == top.pk


def test_the_migration_gives_old_comments_their_roots(article, reader_factory):
    from importlib import import_module

    from django.apps import apps

    fill_roots = import_module("paddock.comments.migrations.0003_comment_roots").fill_roots
    ann = reader_factory("Ann")
    top = services.comment_create(user=ann, article_id=article.pk, body="Top")
    reply = services.comment_create(user=ann, article_id=article.pk, body="Re", parent_id=top.pk)
    deeper = services.comment_create(
        user=ann, article_id=article.pk, body="Re2", parent_id=reply.pk
    )
    Comment.objects.update(root=None)
    fill_roots(apps, None)
    roots = dict(Comment.objects.values_list("pk", "root_id"))
    assert roots == {top.pk: top.pk, reply.pk: top.pk, deeper.pk: top.pk}


def test_body_is_rendered_and_sanitised(article, reader_factory):
    comment = services.comment_create(
        user=reader_factory(),
        article_id=article.pk,
        body="*hi* <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://e.example/)",
    )
    assert "<em>hi</em>" in comment.body_html
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert 'href="javascript' not in comment.body_html
    assert 'rel="nofollow ugc noopener"' in comment.body_html
    assert comment.body_text.startswith("hi <script>")  # plain text, escaped at output


@pytest.mark.parametrize("body", ["", "   ", "\x00\x01", "\n\n\t"])
def test_empty_body_is_refused(article, reader_factory, body):
    with pytest.raises(CommentError, match="empty"):
        services.comment_create(user=reader_factory(), article_id=article.pk, body=body)
    assert not Comment.objects.exists()


def test_body_length_limits(article, reader_factory):
    user = reader_factory()
    services.comment_create(user=user, article_id=article.pk, body="x" * 10_000)
    with pytest.raises(CommentError, match="10,000"):
        services.comment_create(user=user, article_id=article.pk, body="x" * 10_001)
    assert Comment.objects.count() == 1


def test_unverified_reader_cannot_comment(article, reader_factory):
    with pytest.raises(CommentError, match="verify"):
        services.comment_create(
            user=reader_factory(verified=False), article_id=article.pk, body="Hello"
        )
    assert not Comment.objects.exists()


def test_reply_to_comment_of_another_article_is_refused(article, section, reader_factory):
    other = make_article(section, title="Another story")
    user = reader_factory()
    foreign = services.comment_create(user=user, article_id=other.pk, body="Elsewhere")
    with pytest.raises(CommentError, match="another article"):
        services.comment_create(
            user=user, article_id=article.pk, body="Cross", parent_id=foreign.pk
        )
    assert Comment.objects.count() == 1


def test_unpublished_and_missing_articles_refuse_comments(section, reader_factory):
    draft = make_article(section, title="Draft", publish=False)
    user = reader_factory()
    for article_id in (draft.pk, 999_999):
        with pytest.raises(CommentError) as exc:
            services.comment_create(user=user, article_id=article_id, body="Hello")
        assert exc.value.status == 404
    assert not Comment.objects.exists()


def test_closed_article_refuses_comments_and_votes(article, reader_factory):
    ann, bob = reader_factory(), reader_factory()
    comment = services.comment_create(user=ann, article_id=article.pk, body="Before")
    article.comments_closed = True
    article.save(update_fields=["comments_closed"])
    with pytest.raises(CommentError, match="closed"):
        services.comment_create(user=bob, article_id=article.pk, body="After")
    with pytest.raises(CommentError, match="closed"):
        services.vote_cast(user=bob, comment_id=comment.pk, value=1)


def test_comments_close_by_age_when_configured(article, reader_factory, settings):
    settings.PADDOCK_COMMENTS_CLOSE_AFTER_DAYS = 30
    article.published_at = timezone.now() - dt.timedelta(days=31)
    article.save(update_fields=["published_at"])
    assert not services.comments_open(article)
    with pytest.raises(CommentError, match="closed"):
        services.comment_create(user=reader_factory(), article_id=article.pk, body="Late")
    settings.PADDOCK_COMMENTS_CLOSE_AFTER_DAYS = None
    assert services.comments_open(article)


def test_author_edits_within_window_only(article, reader_factory):
    ann, bob = reader_factory(), reader_factory()
    comment = services.comment_create(user=ann, article_id=article.pk, body="Tpyo")
    edited = services.comment_edit(user=ann, comment_id=comment.pk, body="Typo")
    assert edited.body == "Typo" and edited.edited_at is not None
    with pytest.raises(PermissionDenied):
        services.comment_edit(user=bob, comment_id=comment.pk, body="Hijack")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=16)
    )
    with pytest.raises(CommentError, match="15 minutes"):
        services.comment_edit(user=ann, comment_id=comment.pk, body="Too late")
    comment.refresh_from_db()
    assert comment.body == "Typo"


def test_delete_blanks_text_and_keeps_replies(article, reader_factory):
    ann, bob = reader_factory(), reader_factory()
    top = services.comment_create(user=ann, article_id=article.pk, body="Original")
    reply = services.comment_create(user=bob, article_id=article.pk, body="Re", parent_id=top.pk)
    with pytest.raises(PermissionDenied):
        services.comment_delete(user=bob, comment_id=top.pk)
    services.comment_delete(user=ann, comment_id=top.pk)
    top.refresh_from_db()
    assert top.is_deleted and top.body == top.body_html == "[deleted]"
    assert Comment.objects.filter(pk=reply.pk, parent=top).exists()


def test_votes_up_down_switch_and_withdraw(article, reader_factory):
    ann, bob, cy = reader_factory(), reader_factory(), reader_factory()
    comment = services.comment_create(user=ann, article_id=article.pk, body="Vote on me")

    def tallies():
        comment.refresh_from_db()
        return comment.upvotes, comment.downvotes, comment.score

    services.vote_cast(user=bob, comment_id=comment.pk, value=1)
    services.vote_cast(user=bob, comment_id=comment.pk, value=1)  # same again: no change
    assert tallies() == (1, 0, 1)
    services.vote_cast(user=cy, comment_id=comment.pk, value=-1)
    assert tallies() == (1, 1, 0)
    services.vote_cast(user=bob, comment_id=comment.pk, value=-1)
    assert tallies() == (0, 2, -2)
    services.vote_cast(user=bob, comment_id=comment.pk, value=0)
    assert tallies() == (0, 1, -1)
    assert Vote.objects.filter(comment=comment).count() == 1
    assert comment.wilson == pytest.approx(wilson_lower_bound(0, 1))


def test_cannot_vote_on_own_or_missing_comment(article, reader_factory):
    ann = reader_factory()
    comment = services.comment_create(user=ann, article_id=article.pk, body="Mine")
    with pytest.raises(CommentError, match="own comment"):
        services.vote_cast(user=ann, comment_id=comment.pk, value=1)
    with pytest.raises(CommentError) as exc:
        services.vote_cast(user=ann, comment_id=987_654, value=1)
    assert exc.value.status == 404
    with pytest.raises(CommentError):
        services.vote_cast(user=ann, comment_id=comment.pk, value=5)
    assert not Vote.objects.exists()


def test_wilson_prefers_many_good_votes_over_one():
    assert wilson_lower_bound(90, 10) > wilson_lower_bound(1, 0)
    assert wilson_lower_bound(0, 0) == 0
    assert wilson_lower_bound(5, 0) > wilson_lower_bound(5, 5)


def test_report_once_per_reader_with_reason(article, reader_factory):
    ann, bob = reader_factory(), reader_factory()
    comment = services.comment_create(user=ann, article_id=article.pk, body="Spammy")
    services.report_create(user=bob, comment_id=comment.pk, reason="spam")
    with pytest.raises(CommentError, match="already"):
        services.report_create(user=bob, comment_id=comment.pk, reason="abuse")
    with pytest.raises(CommentError, match="own"):
        services.report_create(user=ann, comment_id=comment.pk, reason="spam")
    with pytest.raises(CommentError, match="Tell us"):
        services.report_create(user=reader_factory(), comment_id=comment.pk, reason="other")
    with pytest.raises(CommentError, match="reason"):
        services.report_create(user=reader_factory(), comment_id=comment.pk, reason="bogus")
    assert Report.objects.count() == 1
