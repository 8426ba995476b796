"""Fixtures for moderation tests: an article, readers, people in each role, and the policy."""

from __future__ import annotations

import pytest

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS, MODERATORS
from paddock.moderation.models import ModerationPolicy
from paddock.newsroom.tests.factories import make_article, make_section

ROLE_GROUPS = {
    "anonymous": None,
    "reader": [],
    "contributor": [CONTRIBUTORS],
    "editor": [EDITORS],
    "moderator": [MODERATORS],
    "administrator": [ADMINISTRATORS],
}


@pytest.fixture
def section(db):
    return make_section("Industry")


@pytest.fixture
def article(section):
    return make_article(section, title="Plants follow buyers")


@pytest.fixture
def reader(db):
    return ReaderFactory(display_name="Ana Reader")


@pytest.fixture
def moderator(db):
    return ReaderFactory(display_name="Mo Derator", groups=[MODERATORS])


@pytest.fixture
def role_user(db):
    """A signed-up person in one role: role_user("editor"); None for "anonymous"."""

    def make(role: str):
        groups = ROLE_GROUPS[role]
        if groups is None:
            return None
        return ReaderFactory(display_name=f"{role.title()} Person", groups=groups)

    return make


@pytest.fixture
def policy(db):
    """The moderation policy row, to change for a test."""
    return ModerationPolicy.load()


@pytest.fixture
def strict(settings):
    """The shipped default: a new reader's first comment waits for a moderator."""
    settings.PADDOCK_PREMODERATE_FIRST = 1


@pytest.fixture
def post(article):
    """Post as a reader through the service, moderation's screening included."""

    def make(user, body="A fair point about the plant.", **kwargs):
        kwargs.setdefault("article_id", article.pk)
        return comments.comment_create(user=user, body=body, **kwargs)

    return make
