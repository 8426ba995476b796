"""Editors and moderators feature comments: the button, the action with its audit entry and
the author's notification, the featured comments above the thread and the "Featured" tab."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.core.roles import EDITORS
from paddock.moderation.actions import CommentFeatureAction, ModerationError
from paddock.moderation.models import AuditEntry, Notice
from paddock.notifications.models import Notification

pytestmark = pytest.mark.django_db


def post(author, article, body: str, **kwargs) -> Comment:
    return comments.comment_create(
        user=author, article_id=article.pk, body=body, screen=False, notify=False, **kwargs
    )


def feature_url(comment: Comment) -> str:
    return reverse("moderation:feature", args=[comment.pk])


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_feature_from_the_article_page(
    client, role_user, article, reader, role, django_capture_on_commit_callbacks
):
    comment = post(reader, article, "The plant closing is the real story here.")
    staff = role_user(role)
    client.force_login(staff)
    page = client.get(article.url).content.decode()
    assert f'action="{feature_url(comment)}"' in page
    assert 'class="featured"' not in page

    with django_capture_on_commit_callbacks(execute=True):  # the writer's invalidation
        response = client.post(feature_url(comment), {"featured": "1"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.featured_at is not None and comment.featured_by == staff
    entry = AuditEntry.objects.get(action=AuditEntry.Action.FEATURE)
    assert (entry.actor, entry.comment, entry.after) == (staff, comment, {"featured": True})
    told = Notification.objects.get(recipient=reader)
    assert (told.kind, told.comment, told.actor) == ("featured", comment, staff)
    assert not Notice.objects.exists()  # a featuring is no moderation notice

    page = client.get(article.url).content.decode()
    assert "Featured comment" in page
    assert f'id="featured-{comment.pk}"' in page
    assert "Comment featured." in page  # the confirmation, on the page it went back to
    assert "Unfeature" in page


@pytest.mark.parametrize("role", ["anonymous", "reader", "contributor"])
def test_others_may_not_feature_nor_see_the_button(client, role_user, article, reader, role):
    comment = post(reader, article, "Worth featuring?")
    user = role_user(role)
    if user:
        client.force_login(user)
    assert f'action="{feature_url(comment)}"' not in client.get(article.url).content.decode()
    response = client.post(feature_url(comment), {"featured": "1"})
    assert response.status_code == (403 if user else 302)
    comment.refresh_from_db()
    assert comment.featured_at is None
    assert not AuditEntry.objects.exists()


def test_featuring_needs_the_csrf_token(role_user, article, reader):
    comment = post(reader, article, "Forged?")
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_user("editor"))
    assert client.post(feature_url(comment), {"featured": "1"}).status_code == 403
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_bad_input_and_hidden_comments_are_refused_with_a_message(
    client, role_user, article, reader
):
    comment = post(reader, article, "Held one")
    comment.status = Comment.Status.PENDING
    comment.save(update_fields=["status"])
    client.force_login(role_user("moderator"))
    response = client.post(feature_url(comment), {"featured": "yes"}, follow=True)
    assert "Say whether to feature" in response.content.decode()
    with pytest.raises(ModerationError) as refused:
        CommentFeatureAction(comment.pk, featured=True, user=role_user("editor")).execute()
    assert refused.value.status == 409
    assert client.post(reverse("moderation:feature", args=[10**9]), {"featured": "1"}).status_code
    assert not Comment.objects.filter(featured_at__isnull=False).exists()


def test_unfeaturing_is_logged_and_repeating_changes_nothing(role_user, article, reader):
    comment = post(reader, article, "Up and down")
    editor = role_user("editor")
    CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
    CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
    CommentFeatureAction(comment.pk, featured=False, user=editor).execute()
    comment.refresh_from_db()
    assert comment.featured_at is None and comment.featured_by is None
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [AuditEntry.Action.FEATURE, AuditEntry.Action.UNFEATURE]
    assert Notification.objects.filter(recipient=reader).count() == 1  # told once, when featured


def test_visitors_cached_page_shows_a_comment_once_featured(
    client, role_user, article, reader, django_capture_on_commit_callbacks
):
    comment = post(reader, article, "Cached until featured")
    first = client.get(article.url)
    assert "Featured comment" not in first.content.decode()
    assert not first.cookies  # a visitor's page stays cookie-free, so it can be cached
    editor = role_user("editor")
    with django_capture_on_commit_callbacks(execute=True):  # the bump runs after the commit
        CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
    again = client.get(article.url)
    assert f'id="featured-{comment.pk}"' in again.content.decode()
    assert not again.cookies


def test_three_featured_at_most_and_the_tab_lists_only_featured_threads(
    client, role_user, article, reader
):
    editor = role_user("editor")
    made = [post(reader, article, f"Comment number {i}") for i in range(5)]
    plain = post(reader, article, "Never featured")
    for comment in made:
        CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
    page = client.get(article.url).content.decode()
    assert page.count('class="featured__item"') == 3
    assert f'id="featured-{made[4].pk}"' in page  # latest chosen first
    assert f'id="featured-{made[0].pk}"' not in page
    assert '?csort=featured#comments">Featured</a>' in page

    tab = client.get(f"{article.url}?csort=featured").content.decode()
    for comment in made:
        assert f'id="comment-{comment.pk}"' in tab
    assert f'id="comment-{plain.pk}"' not in tab


def test_featured_comments_cost_the_same_queries_however_many(client, section, role_user):
    from paddock.newsroom.tests.factories import make_article

    editor = role_user("editor")
    authors = [
        ReaderFactory(display_name=f"Writer {i}", groups=g)
        for i, g in enumerate([[], [EDITORS], [], []])
    ]
    counts = {}
    for n in (1, 3):
        article = make_article(section, title=f"{n} featured")
        for i in range(n * 4):
            comment = post(authors[i % 4], article, f"Point {i}")
            if i < n:
                CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
        client.get(article.url)  # warm per-process caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{article.url}?nocache={n}").status_code == 200
        counts[n] = len(ctx.captured_queries)
    assert counts[1] == counts[3]
