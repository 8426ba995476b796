"""The one email preferences page, what a reader downloads of it, and the reply choice carried
over from the profile's old "Email me when someone replies" box."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from paddock.comments.tests.conftest import create_reader
from paddock.newsroom.tests.factories import make_article, make_section
from paddock.notifications import follows, preferences
from paddock.notifications.models import EmailPreferences

URL = reverse("notifications:preferences")


def checked(html: str) -> dict[str, str]:
    """The radio button chosen for each kind on the page."""
    return dict(re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]* checked>', html))


@pytest.mark.django_db
def test_the_page_is_for_signed_in_readers(client):
    answer = client.get(URL)
    assert answer.status_code == 302
    assert reverse("account_login") in answer["Location"]


@pytest.mark.django_db
def test_the_page_shows_the_defaults_and_saves_the_choices():
    ann = create_reader("Ann")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ann)
    page = browser.get(URL)
    html = page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert (
        checked(html)
        == preferences.DEFAULTS
        == {
            "reply": "immediate",
            "mention": "immediate",
            "featured": "immediate",
            "follow": "daily",
        }
    )
    choices = {"reply": "daily", "mention": "none", "featured": "immediate", "follow": "immediate"}
    assert browser.post(URL, choices).status_code == 403  # no CSRF token
    token = str(page.context["csrf_token"])
    answer = browser.post(URL, {**choices, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert preferences.frequencies(ann) == choices
    html = browser.get(URL).content.decode()
    assert "Your email preferences have been saved." in html
    assert checked(html) == choices

    bad = browser.post(URL, {**choices, "reply": "hourly", "csrfmiddlewaretoken": token})
    assert bad.status_code == 400
    assert preferences.frequencies(ann)["reply"] == "daily"


@pytest.mark.django_db
def test_the_account_page_links_to_the_preferences(client):
    client.force_login(create_reader("Ann"))
    html = client.get(reverse("accounts:edit")).content.decode()
    assert f'href="{URL}"' in html
    assert "notify_replies" not in html


@pytest.mark.django_db
def test_the_personal_data_download_holds_follows_and_choices(client):
    ann, bob = create_reader("Ann"), create_reader("Bob")
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    follows.follow_start(user=ann, article_id=article.pk)
    follows.follow_start(user=bob, article_id=article.pk)
    preferences.preferences_set(user=ann, choices={"follow": "immediate"})
    client.force_login(ann)
    response = client.post(reverse("accounts:personal_data"))
    data = json.loads(b"".join(response.streaming_content))
    assert [row["article"] for row in data["followed_discussions"]] == ["Plants follow buyers"]
    assert data["notification_emails"]["follow"] == "immediate"
    assert data["notification_emails"]["reply"] == "immediate"


@pytest.mark.django_db
def test_deleting_an_account_forgets_its_follows_and_choices(client):
    from paddock.accounts.services import account_delete

    ann = create_reader("Ann")
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    follows.follow_start(user=ann, article_id=article.pk)
    preferences.preferences_set(user=ann, choices={"reply": "none"})
    account_delete(user=ann, delete_comments=False)
    assert not ann.follows.exists()
    assert not EmailPreferences.objects.filter(user=ann).exists()


# Committing for real, as migrations do; the flush after it must leave the migrated data (the
# groups, the page tree's root) for the next test, as every transactional test here does.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_carries_an_unticked_reply_box_over():
    """Back to before the move (the profile with its box), two readers, then forward."""
    before = [("accounts", "0001_initial"), ("notifications", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User = apps.get_model("auth", "User")  # noqa: N806
    Profile = apps.get_model("accounts", "Profile")  # noqa: N806
    quiet = User.objects.create(username="quiet", email="quiet@example.com")
    chatty = User.objects.create(username="chatty", email="chatty@example.com")
    Profile.objects.create(user=quiet, display_name="Quiet", notify_replies=False)
    Profile.objects.create(user=chatty, display_name="Chatty", notify_replies=True)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        rows = dict(EmailPreferences.objects.values_list("user__username", "reply"))
        assert rows == {"quiet": "none"}  # the other keeps the defaults: replies at once
    finally:
        call_command("migrate", verbosity=0)
