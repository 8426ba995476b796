"""Fixtures for notification tests: an article, readers with names to mention, and posting
through the service with moderation's screen, as the site does."""

from __future__ import annotations

import pytest

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.moderation.models import ModerationPolicy
from paddock.newsroom.tests.factories import make_article, make_section


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


@pytest.fixture
def ana(db):
    return ReaderFactory(display_name="Ana Berg")


@pytest.fixture
def bob(db):
    return ReaderFactory(display_name="Bob")


@pytest.fixture
def cy(db):
    return ReaderFactory(display_name="Cy Long-Name")


@pytest.fixture
def post(article, django_capture_on_commit_callbacks):
    """Post as a reader through the service, screened by moderation, its after-commit work
    run (as a request's would be)."""

    def make(user, body="A fair point about the plant.", *, parent=None, on=None):
        with django_capture_on_commit_callbacks(execute=True):
            return comments.comment_create(
                user=user,
                article_id=(on or article).pk,
                body=body,
                parent_id=parent.pk if parent else None,
            )

    return make


@pytest.fixture
def holding_links(db):
    """The policy holds every comment with a link for a moderator."""
    policy = ModerationPolicy.load()
    policy.max_links = 0
    policy.save()
    return policy
