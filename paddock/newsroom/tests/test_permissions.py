"""The editorial roles in the Wagtail admin: contributors write, editors publish.

The admin is driven as a person would: open the add or edit form, fill it in, post it back
with the form's own management fields (read from the rendered form, not written by hand).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from paddock.core.roles import CONTRIBUTORS, EDITORS, MODERATORS, roles_ensure
from paddock.newsroom.models import ArticlePage

from .factories import ContributorFactory, UserFactory, make_article, make_section

pytestmark = pytest.mark.django_db


def member(group: str, name: str):
    user = UserFactory(username=name.lower().replace(" ", "."))
    user.groups.add(Group.objects.get(name=group))
    contributor = ContributorFactory(display_name=name, user=user)
    return user, contributor


def page_form(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


def add_article(client, section, contributor, *, title: str, action: str | None = None):
    """Fill in and post the admin's "add article" form; `action` is its button."""
    url = reverse("wagtailadmin_pages:add", args=("newsroom", "articlepage", section.pk))
    data = page_form(client, url)
    assert data["authors-TOTAL_FORMS"]  # the InlinePanel's management form was rendered
    data["title"] = title
    data["slug"] = slugify(title)  # the admin's JavaScript would fill it in
    data["standfirst"] = "Written in the admin."
    data["body"] = rich_text("<p>Body written in the admin.</p>")
    data["authors-TOTAL_FORMS"] = "1"
    data["authors-0-contributor"] = str(contributor.pk)
    data["authors-0-ORDER"] = "1"
    if action:
        data[f"action-{action}"] = action
    return client.post(url, data)


def edit_article(client, article, *, title: str, action: str | None = None):
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = client.get(url)
    if response.status_code != 200:
        return response
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["title"] = title
    if action:
        data[f"action-{action}"] = action
    return client.post(url, data)


# --- Groups --------------------------------------------------------------------------------


def test_migrate_creates_the_three_editorial_groups():
    names = set(Group.objects.values_list("name", flat=True))

    assert {CONTRIBUTORS, EDITORS, MODERATORS} <= names


def test_groups_carry_the_page_permissions_of_their_role():
    def codenames(group: str) -> set[str]:
        return set(
            GroupPagePermission.objects.filter(group__name=group).values_list(
                "permission__codename", flat=True
            )
        )

    assert codenames(CONTRIBUTORS) == {"add_page"}
    assert {"add_page", "change_page", "publish_page"} <= codenames(EDITORS)
    assert codenames(MODERATORS) == set()
    root = Page.get_first_root_node()
    assert set(GroupPagePermission.objects.values_list("page", flat=True)) == {root.pk}


def test_setting_up_the_roles_again_changes_nothing():
    before = sorted(GroupPagePermission.objects.values_list("group__name", "permission__codename"))

    roles_ensure()
    roles_ensure()

    after = sorted(GroupPagePermission.objects.values_list("group__name", "permission__codename"))
    assert after == before
    assert Group.objects.filter(name=EDITORS).count() == 1


# --- Contributors --------------------------------------------------------------------------


def test_contributor_can_open_the_admin(client):
    user, _ = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(user)

    assert client.get("/admin/").status_code == 200


def test_reader_without_a_role_cannot_open_the_admin(client):
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/login/" in response["Location"]


def test_contributor_adds_an_article_in_the_admin_as_a_draft(client):
    news = make_section("News")
    user, ana = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(user)

    response = add_article(client, news, ana, title="Written by a contributor")

    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="Written by a contributor")
    assert article.get_parent().pk == news.pk
    assert article.owner == user
    assert article.live is False
    assert [link.contributor for link in article.authors.all()] == [ana]
    assert client.get(article.url).status_code == 404


def test_contributor_cannot_publish_even_by_pressing_publish(client):
    news = make_section("News")
    user, ana = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(user)

    add_article(client, news, ana, title="Pressed publish", action="publish")

    article = ArticlePage.objects.get(title="Pressed publish")
    assert article.live is False
    assert article.first_published_at is None
    assert ArticlePage.objects.published().count() == 0
    assert client.get(article.url).status_code == 404


def test_contributor_can_submit_an_article_for_moderation_and_it_stays_unpublished(client):
    news = make_section("News")
    user, ana = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(user)

    add_article(client, news, ana, title="Submitted", action="submit")

    article = ArticlePage.objects.get(title="Submitted")
    assert article.live is False
    state = article.current_workflow_state
    assert state is not None and state.status == "in_progress"
    # Editors, not Moderators (who moderate the discussion), approve articles.
    task_groups = set(state.current_task_state.task.specific.groups.values_list("name", flat=True))
    assert task_groups == {EDITORS}


def test_contributor_can_edit_their_own_draft(client):
    news = make_section("News")
    user, ana = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(user)
    add_article(client, news, ana, title="First title")
    article = ArticlePage.objects.get(title="First title")

    response = edit_article(client, article, title="Second title")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == "Second title"
    assert article.live is False


def test_contributor_cannot_edit_another_contributors_article(client):
    news = make_section("News")
    ben_user, ben = member(CONTRIBUTORS, "Ben Ode")
    client.force_login(ben_user)
    add_article(client, news, ben, title="Ben's draft")
    bens = ArticlePage.objects.get(title="Ben's draft")
    ana_user, _ = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(ana_user)

    response = edit_article(client, bens, title="Taken over by Ana")
    # Without the form, a hand-made post to the edit address.
    forced = client.post(
        reverse("wagtailadmin_pages:edit", args=(bens.pk,)),
        {"title": "Taken over by Ana", "slug": "taken", "action-publish": "publish"},
    )

    assert response.status_code in (302, 403)
    assert forced.status_code in (302, 403)
    bens.refresh_from_db()
    assert bens.live is False
    assert bens.get_latest_revision_as_object().title == "Ben's draft"
    assert bens.revisions.count() == 1
    assert not bens.permissions_for_user(ana_user).can_edit()
    assert bens.permissions_for_user(ben_user).can_edit()


def test_contributor_may_add_articles_to_a_section_but_not_publish_them():
    news = make_section("News")
    user, ana = member(CONTRIBUTORS, "Ana Ruiz")
    article = make_article(news, authors=[ana], publish=False, owner=user)

    assert news.permissions_for_user(user).can_add_subpage()
    assert not news.permissions_for_user(user).can_publish_subpage()
    assert not article.permissions_for_user(user).can_publish()


def test_moderator_cannot_add_or_edit_articles():
    news = make_section("News")
    user, _ = member(MODERATORS, "Mia Nakamura")
    article = make_article(news)

    assert not news.permissions_for_user(user).can_add_subpage()
    assert not article.permissions_for_user(user).can_edit()
    assert not article.permissions_for_user(user).can_publish()


# --- Editors -------------------------------------------------------------------------------


def test_editor_publishes_a_contributors_draft_from_the_admin(client):
    news = make_section("News")
    user, ana = member(CONTRIBUTORS, "Ana Ruiz")
    client.force_login(user)
    add_article(client, news, ana, title="Ready for the editor")
    article = ArticlePage.objects.get(title="Ready for the editor")
    editor, _ = member(EDITORS, "Eda Editor")
    client.force_login(editor)

    response = edit_article(client, article, title="Ready for the editor", action="publish")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live is True
    assert article.published_at == article.first_published_at
    assert client.get(article.url).status_code == 200
    assert list(ArticlePage.objects.published()) == [article]


def test_editor_can_add_and_publish_in_one_go(client):
    news = make_section("News")
    editor, eda = member(EDITORS, "Eda Editor")
    client.force_login(editor)

    add_article(client, news, eda, title="Straight to print", action="publish")

    article = ArticlePage.objects.get(title="Straight to print")
    assert article.live is True
    assert article.published_at is not None
    assert article.permissions_for_user(editor).can_publish()
