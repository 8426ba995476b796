"""No page sends a reader's or a staff member's email hash to Gravatar unless the site opts in
(PADDOCK_GRAVATAR): the generated avatars stand in, in the site and in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core.roles import MODERATORS
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# What PADDOCK_GRAVATAR=true sets (config/settings.py).
GRAVATAR = "//www.gravatar.com/avatar"


@pytest.fixture
def pages(db):
    """Every kind of page that shows people: an article with comments, a reader's profile,
    and the admin's comment, reader and queue pages, seen by a moderator."""
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    reader = ReaderFactory(display_name="Ann Author")
    moderator = ReaderFactory(display_name="Mo Derator", groups=[MODERATORS])
    comment = comments.comment_create(user=reader, article_id=article.pk, body="A fair point.")
    comments.comment_create(user=moderator, article_id=article.pk, body="Keep it civil.")
    return moderator, [
        article.url,
        reader.profile.get_absolute_url(),
        moderator.profile.get_absolute_url(),
        reverse("accounts:edit"),
        reverse("moderation_admin:queue"),
        reverse("moderation_admin:comment", kwargs={"pk": comment.pk}),
        reverse("moderation_admin:reader", kwargs={"user_id": reader.pk}),
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_account"),
    ]


def _gravatar_pages(client, urls) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if "gravatar.com" in response.content.decode():
            found.append(url)
    return found


def test_no_page_links_to_gravatar_by_default(client, pages):
    moderator, urls = pages
    assert _gravatar_pages(client, urls[:3]) == []  # as a visitor
    client.force_login(moderator)
    assert _gravatar_pages(client, urls) == []


def test_the_admin_shows_the_generated_avatar(client, pages):
    moderator, _ = pages
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert moderator.profile.avatar_url in html


def test_gravatar_comes_back_when_switched_on(client, pages, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = GRAVATAR
    moderator, urls = pages
    client.force_login(moderator)
    assert reverse("wagtailadmin_home") in _gravatar_pages(client, urls)
