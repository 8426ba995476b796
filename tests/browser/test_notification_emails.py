"""Following a discussion and choosing its emails, in a real browser with JavaScript off.

A reader finds "Sign in to follow" under an article's discussion heading, signs in, follows the
discussion, chooses on the preferences page to hear of followed discussions at once, gets the
email when someone starts a new thread there, and stops those emails from the link in it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from paddock.comments import services as comments
from paddock.comments.tests.conftest import create_reader
from paddock.newsroom.tests.factories import make_article, make_section
from paddock.notifications import delivery, preferences
from paddock.notifications.models import Follow
from paddock.notifications.tasks import notify_followers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "pw-correct-horse-9"  # create_reader's


def test_a_reader_follows_a_discussion_and_unsubscribes_from_its_email(
    live_server, browser: Browser, smtp_server, settings, screenshot_dir
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    ann, bob = create_reader("Ann"), create_reader("Bob")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.url)
        page.get_by_role("link", name="Sign in to follow this discussion").click()
        page.get_by_label("Email").fill(ann.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(re.escape(article.url)))

        page.get_by_role("button", name="Follow this discussion").click()
        expect(page.get_by_role("button", name="Unfollow this discussion")).to_be_visible()
        page.locator("#comments").screenshot(path=str(screenshot_dir / "discussion-follow.png"))
        assert Follow.objects.filter(user=ann, article_id=article.pk).exists()

        page.goto(live_server.url + "/accounts/profile/")
        page.get_by_role("link", name="your email notifications").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Email notifications")
        page.get_by_role(
            "group", name="Someone starts a new thread in a discussion you follow"
        ).get_by_label("At once").check()
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_text("Your email preferences have been saved.")).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "notification-preferences.png"), full_page=True)
        assert preferences.frequencies(ann)["follow"] == "immediate"

        # Bob starts a thread: Ann hears of it (the worker's tasks, run here in turn).
        thread = comments.comment_create(user=bob, article_id=article.pk, body="Fresh thread.")
        notify_followers.call(thread.pk)
        assert delivery.pending_send()["follow"] == 1
        message = smtp_server.messages[-1]
        assert message["To"] == ann.email
        text = message.get_content()
        assert f"{live_server.url}/comments/{thread.pk}/" in text
        unsubscribe = re.search(r"Stop these emails: (\S+)", text).group(1)
        assert re.sub(r"\s+", "", message["List-Unsubscribe"]) == f"<{unsubscribe}>"

        page.goto(unsubscribe)
        expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
        assert preferences.frequencies(ann)["follow"] == "immediate"  # looking changes nothing
        page.get_by_role("button", name="Unsubscribe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
        assert preferences.frequencies(ann)["follow"] == "none"
    finally:
        context.close()
