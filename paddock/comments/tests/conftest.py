"""Fixtures for discussion tests: a published article and verified readers."""

from __future__ import annotations

import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from paddock.newsroom.tests.factories import make_article, make_section

_names = itertools.count(1)


def create_reader(name: str | None = None, *, verified: bool = True):
    name = name or f"Reader{next(_names)}"
    user = get_user_model().objects.create_user(
        username=name.lower(), email=f"{name.lower()}@example.com", password="pw-correct-horse-9"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    user.profile.display_name = name
    user.profile.save(update_fields=["display_name"])
    return user


@pytest.fixture
def reader_factory():
    return create_reader


@pytest.fixture
def section(db):
    return make_section("Industry")


@pytest.fixture
def article(section):
    return make_article(
        section,
        title="Halvorsen Moves Production; Chief Executive Says Plants Follow Buyers...",
    )
