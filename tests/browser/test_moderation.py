"""A moderator approves a held comment in the queue, and readers then see it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.core.roles import MODERATORS
from paddock.moderation.models import AuditEntry
from paddock.newsroom.tests.factories import make_article, make_section

from .sessions import signed_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEXT = "First comment here: the new plant should shorten waiting lists for the estate model."


def test_a_moderator_approves_a_held_comment_and_readers_see_it(
    live_server, browser: Browser, settings, screenshot_dir
):
    settings.PADDOCK_PREMODERATE_FIRST = 1
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    reader = ReaderFactory(display_name="Nadia First")
    moderator = ReaderFactory(display_name="Sofia Mod", groups=[MODERATORS])
    url = live_server.url + article.url

    # A new reader posts; the comment waits, and only she sees it, saying why.
    reader_context = signed_in(browser, live_server, reader)
    page = reader_context.new_page()
    page.goto(url + "#respond")
    form = page.locator("#comment-form")
    form.get_by_label("Comment").fill(TEXT)
    form.get_by_role("button", name="Post Comment").click()
    held = page.locator(".comment__box--held", has_text=TEXT)
    expect(held).to_be_visible()
    expect(held).to_contain_text("Only you can see this comment.")
    expect(held).to_contain_text("first comments")
    page.screenshot(path=str(screenshot_dir / "moderation-reader-held.png"), full_page=True)
    comment = Comment.objects.get(body=TEXT)
    assert comment.status == "pending"

    anonymous = browser.new_context().new_page()
    anonymous.goto(url)
    expect(anonymous.get_by_text(TEXT)).to_have_count(0)

    # The moderator finds it in the queue and approves it with the keyboard.
    moderator_context = signed_in(browser, live_server, moderator)
    queue = moderator_context.new_page()
    queue.goto(live_server.url + "/admin/moderation/")
    card = queue.locator(f"#q-{comment.pk}")
    expect(card).to_contain_text(TEXT)
    expect(card).to_contain_text("Nadia First")
    expect(card).to_contain_text("new reader")
    queue.screenshot(path=str(screenshot_dir / "moderation-queue.png"), full_page=True)
    queue.keyboard.press("j")
    expect(card).to_have_class("mod-card is-current")
    queue.keyboard.press("a")
    expect(queue.get_by_text("Approve: 1 comment.")).to_be_visible()
    expect(queue.locator(f"#q-{comment.pk}")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.status == "published" and comment.moderated_by == moderator
    assert AuditEntry.objects.filter(action="approve", comment=comment).count() == 1

    # Everyone sees it now; the author is told.
    anonymous.goto(url)
    expect(anonymous.locator(f"#c-{comment.pk}")).to_contain_text(TEXT)
    page.goto(url)
    expect(page.locator(f"#c-{comment.pk}")).not_to_have_class("comment__box--held")
    expect(page.locator(".site-account__notices .badge")).to_be_visible()
    page.goto(live_server.url + "/moderation/notices/")
    expect(page.get_by_text("Your comment is now published.")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "moderation-notices.png"), full_page=True)

    # The dashboard and the log show the decision.
    queue.goto(live_server.url + "/admin/moderation/audit/")
    expect(queue.locator("table.mod-audit")).to_contain_text("Sofia Mod")
    queue.screenshot(path=str(screenshot_dir / "moderation-audit.png"), full_page=True)
    queue.goto(live_server.url + "/admin/moderation/dashboard/")
    expect(queue.get_by_text("median time to a decision")).to_be_visible()
    queue.screenshot(path=str(screenshot_dir / "moderation-dashboard.png"), full_page=True)
    for context in (reader_context, moderator_context, anonymous.context):
        context.close()
