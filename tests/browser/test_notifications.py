"""A reader mentions another with the "@" suggestions; the other sees the count in the header,
reads the notification, goes to the comment and marks it read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.newsroom.tests.factories import make_article, make_section

from .sessions import signed_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_mention_suggested_posted_notified_and_marked_read(
    live_server, browser: Browser, screenshot_dir
):
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    ana = ReaderFactory(display_name="Ana Berg")
    bob = ReaderFactory(display_name="Bob Lind")
    ReaderFactory(display_name="Anders Never")  # not in this discussion
    comments.comment_create(user=ana, article_id=article.pk, body="The plant moved, not closed.")
    url = live_server.url + article.url

    # Bob types "@an": the discussion's readers starting so are suggested; Enter picks one.
    page = signed_in(browser, live_server, bob).new_page()
    page.goto(url + "#respond")
    box = page.locator("#comment-form").get_by_label("Comment")
    box.click()
    box.press_sequentially("Agreed with @an", delay=20)
    suggestions = page.get_by_role("listbox", name="Readers in this discussion")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("option")).to_have_text(["Ana Berg"])
    expect(box).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(screenshot_dir / "mention-suggestions.png"))
    box.press("Enter")
    expect(suggestions).to_have_count(0)
    box.press_sequentially("on this.", delay=10)
    expect(box).to_have_value("Agreed with @Ana Berg on this.")
    page.get_by_role("button", name="Post Comment").click()
    mention = page.locator("#comment-list a.mention", has_text="@Ana Berg")
    expect(mention).to_be_visible()
    expect(mention).to_have_attribute("href", ana.profile.get_absolute_url())
    posted = Comment.objects.get(author=bob)

    # Ana sees the count in the header of any page, and her notifications.
    ana_page = signed_in(browser, live_server, ana).new_page()
    ana_page.goto(live_server.url + "/")
    badge = ana_page.locator(".site-account__notices .badge")
    expect(badge).to_have_text("1")
    ana_page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = ana_page.locator("li.notice--unread").first
    expect(item).to_contain_text("Bob Lind mentioned you on “Plants follow buyers”")
    ana_page.screenshot(path=str(screenshot_dir / "notifications.png"), full_page=True)

    # Reading it is no marking: the link leads to the comment, the count stays.
    item.get_by_role("link", name="See the comment").click()
    expect(ana_page.locator(f"#comment-{posted.pk}")).to_be_visible()
    expect(ana_page.locator(".site-account__notices .badge")).to_have_text("1")

    # Marking it read is a button, and the count goes.
    ana_page.go_back()
    ana_page.get_by_role("button", name="Mark read").click()
    expect(ana_page.locator("li.notice--unread")).to_have_count(0)
    expect(ana_page.locator(".site-account__notices .badge")).to_have_count(0)

    # A visitor's (cached) page shows no one's count.
    visitor = browser.new_context().new_page()
    visitor.goto(url)
    expect(visitor.locator(".site-account__notices")).to_have_count(0)
    expect(visitor.locator(f"#comment-{posted.pk} a.mention")).to_have_text("@Ana Berg")
