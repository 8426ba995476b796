"""A discussion that is alive while readers have it open, in two real browsers at once.

A visitor reads the middle of a long discussion; a signed-in reader, in another browser,
replies to a comment above the visitor's place and posts two comments of her own. Her focus
follows her (into the reply box, onto each comment she posts) and a live region says so. The
visitor's page learns of the three new comments by itself: a polite "3 new comments" button
and an announcement; the button puts the reply under its parent and the comments at the end,
moves nothing the visitor was reading, and updates the count. Last, a third reader's comment
reaches the signed-in reader rendered for her, with her vote buttons.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from paddock.comments import services
from paddock.comments.models import Comment
from paddock.newsroom.tests.factories import make_article, make_section
from tests.browser.test_discussion import PASSWORD, _verified_reader

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIEWPORT = {"width": 1280, "height": 800}


def _status(page: Page):
    return page.locator("#discussion-status[aria-live=polite]")


def _active_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _sign_in(page: Page, base: str, email: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
    # The address changes before the page's scripts run: a click before htmx has bound the
    # page follows the link itself (the page without JavaScript), which is not what these
    # journeys look at.
    page.wait_for_load_state("load")


def test_new_comments_arrive_on_an_open_page(live_server, browser: Browser, settings):
    settings.PADDOCK_LIVE_POLL_SECONDS = 1
    base = live_server.url
    article = make_article(make_section("Industry"), title="Plants Follow Buyers, Live...")
    others = [_verified_reader(f"Reader {n}", f"reader{n}@example.com") for n in range(3)]
    writer = _verified_reader("Ingrid Holm", "ingrid@example.com")
    threads = []
    for n in range(14):
        body = f"Thread {n}: " + "A long thought about plants and suppliers. " * 6
        comment = services.comment_create(
            user=others[n % 3], article_id=article.pk, body=body, screen=False
        )
        services.comment_create(
            user=others[(n + 1) % 3],
            article_id=article.pk,
            body=f"An answer to thread {n}.",
            parent_id=comment.pk,
            screen=False,
        )
        threads.append(comment)
    count = 28

    visitor_context = browser.new_context(viewport=VIEWPORT)
    writer_context = browser.new_context(viewport=VIEWPORT)
    try:
        visitor = visitor_context.new_page()
        errors: list[str] = []
        visitor.on("pageerror", lambda error: errors.append(str(error)))
        polls = []
        visitor.on("requestfinished", lambda r: polls.append(r) if "/live/" in r.url else None)
        visitor.goto(base + article.url)
        # As in a browser without scroll anchoring (Safari): the page keeps the place itself.
        visitor.evaluate("document.body.style.setProperty('overflow-anchor', 'none', 'important')")
        expect(visitor.locator("#comment-count")).to_have_text(str(count))
        expect(visitor.locator("#live-button")).to_have_count(0)
        # The visitor reads thread 7, in the middle of the discussion.
        reading = visitor.locator(f"#c-{threads[7].pk}")
        reading.scroll_into_view_if_needed()
        visitor.evaluate(f"document.getElementById('c-{threads[7].pk}').scrollIntoView()")
        visitor.evaluate("window.scrollBy(0, -200)")
        visitor.evaluate("window.__sameDocument = true")

        # The writer, signed in, replies to thread 2 (above the visitor's place) ...
        writer = writer_context.new_page()
        _sign_in(writer, base, "ingrid@example.com", article.url)
        parent = writer.locator(f"#comment-{threads[2].pk}")
        parent.locator(":scope > article").get_by_role("link", name="Reply").click()
        box = writer.locator(f"#reply-slot-{threads[2].pk} textarea")
        expect(box).to_be_focused()  # focus moved into the reply box
        writer.keyboard.type("Replying live, from another browser.")
        writer.locator(f"#reply-slot-{threads[2].pk}").get_by_role(
            "button", name="Post Reply"
        ).click()
        reply = _wait_for_comment(writer, body_start="Replying live")
        assert reply.parent_id == threads[2].pk
        expect(writer.locator(f"#c-{reply.pk}")).to_be_focused()
        expect(_status(writer)).to_have_text("Your reply was posted.")
        # ... and posts two comments of her own.
        posted = []
        for text in ("First live comment.", "Second live comment."):
            form = writer.locator("#comment-form")
            form.get_by_label("Comment").fill(text)
            form.get_by_role("button", name="Post Comment").click()
            comment = _wait_for_comment(writer, body_start=text)
            expect(writer.locator(f"#c-{comment.pk}")).to_be_focused()
            expect(_status(writer)).to_have_text("Your comment was posted.")
            posted.append(comment)
        expect(writer.locator("#comment-count")).to_have_text(str(count + 3))

        # The visitor's page hears of them by itself and says so, politely.
        button = visitor.get_by_role("button", name="3 new comments")
        expect(button).to_be_visible(timeout=15_000)
        expect(_status(visitor)).to_have_text("3 new comments")
        # Nothing is inserted before the visitor asks; the count waits with the comments.
        expect(visitor.locator(f"#comment-{reply.pk}")).to_have_count(0)
        before = reading.bounding_box()["y"]
        scroll_before = visitor.evaluate("window.scrollY")

        button.click()
        shown_reply = visitor.locator(f"#replies-{threads[2].pk} > li#comment-{reply.pk}")
        expect(shown_reply.locator(":scope > article .comment__body")).to_have_text(
            "Replying live, from another browser."
        )
        for comment in posted:
            expect(visitor.locator(f"#comment-list > li#comment-{comment.pk}")).to_have_count(1)
        last_two = visitor.locator("#comment-list > li.comment").evaluate_all(
            "items => items.slice(-2).map(item => item.id)"
        )
        assert last_two == [f"comment-{c.pk}" for c in posted]
        expect(visitor.locator("#comment-count")).to_have_text(str(count + 3))
        expect(visitor.locator("#comments-heading")).to_have_text(
            re.compile(rf"^{count + 3} Comments on “")
        )
        expect(button).to_have_count(0)
        # What the visitor was reading did not move, though a reply went in above it.
        visitor.wait_for_timeout(300)
        assert abs(reading.bounding_box()["y"] - before) < 1.5
        assert visitor.evaluate("window.scrollY") > scroll_before
        # Focus is on the first new comment, and the region says what was shown.
        assert _active_id(visitor) == f"c-{reply.pk}"
        expect(_status(visitor)).to_have_text("3 new comments shown.")
        # What came in works as the rest: a visitor's vote links, htmx on the reply link.
        expect(
            shown_reply.locator(":scope > article").get_by_role("link", name="Log in to vote up")
        ).to_have_count(1)
        assert visitor.evaluate("window.__sameDocument") is True
        # No new comment since: the button stays away on the next polls.
        visitor.wait_for_timeout(2500)
        expect(visitor.locator("#live-button")).to_have_count(0)

        # A comment from a third reader reaches the signed-in writer rendered for her.
        third = services.comment_create(
            user=others[0], article_id=article.pk, body="Hello from a third reader.", screen=False
        )
        writer_button = writer.get_by_role("button", name="1 new comment")
        expect(writer_button).to_be_visible(timeout=15_000)
        expect(_status(writer)).to_have_text("1 new comment")
        writer_button.click()
        arrived = writer.locator(f"#comment-list > li#comment-{third.pk} > article")
        expect(arrived.get_by_role("button", name="Vote up")).to_have_count(1)
        expect(arrived.get_by_role("link", name="Report")).to_have_count(1)
        expect(writer.locator("#comment-count")).to_have_text(str(count + 4))
        expect(_status(writer)).to_have_text("1 new comment shown.")
        # Its vote button works in place.
        arrived.get_by_role("button", name="Vote up").click()
        expect(arrived.locator(".votes__score")).to_have_text("1")
        assert errors == []
        # Every poll was the same shared, cookie-free request, kept a second by shared caches.
        assert len(polls) >= 3
        for request in polls:
            assert request.url == base + reverse("comments:live", args=[article.pk])
            assert "cookie" not in request.all_headers()
            response = request.response()
            assert "set-cookie" not in response.all_headers()
            assert "s-maxage=1" in response.all_headers()["cache-control"]
    finally:
        visitor_context.close()
        writer_context.close()


@contextmanager
def _visitor_on_a_discussion(live_server, browser: Browser, settings, title: str):
    """A visitor's page on an article with one comment, polling every second; yields the
    page and a function that posts a comment as the discussion's author."""
    settings.PADDOCK_LIVE_POLL_SECONDS = 1
    article = make_article(make_section("Industry"), title=title)
    author = _verified_reader("Hana Berg", "hana@example.com")

    def comment(body: str) -> Comment:
        return services.comment_create(user=author, article_id=article.pk, body=body, screen=False)

    comment("Visible.")
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(live_server.url + article.url)
        expect(page.locator("#comment-count")).to_have_text("1")
        yield page, comment
    finally:
        context.close()


def test_held_comments_never_reach_other_readers(live_server, browser: Browser, settings):
    title = "Held Comments Stay Home..."
    with _visitor_on_a_discussion(live_server, browser, settings, title) as (page, comment):
        shown = comment("Published.")
        # Published, then held at once: a poll between the two sees it, the next one not.
        held = comment("Waiting for a moderator.")
        services.comment_moderate(held, status=Comment.Status.PENDING)
        button = page.get_by_role("button", name="1 new comment")
        expect(button).to_be_visible(timeout=15_000)
        button.click()
        expect(page.locator(f"#comment-{shown.pk}")).to_have_count(1)
        expect(page.locator(f"#comment-{held.pk}")).to_have_count(0)
        expect(page.locator("#comment-count")).to_have_text("2")


def test_a_comment_held_after_it_was_announced_is_not_shown(
    live_server, browser: Browser, settings
):
    """The page announced a new comment; a moderator holds it before the reader asks for it:
    the button goes and the comment never arrives."""
    with _visitor_on_a_discussion(live_server, browser, settings, "Second Thoughts") as (
        page,
        comment,
    ):
        regretted = comment("Said too soon.")
        expect(page.get_by_role("button", name="1 new comment")).to_be_visible(timeout=15_000)
        services.comment_moderate(regretted, status=Comment.Status.PENDING)
        expect(page.locator("#live-button")).to_have_count(0, timeout=15_000)
        expect(page.locator("#comment-count")).to_have_text("1")
        expect(page.locator(f"#comment-{regretted.pk}")).to_have_count(0)


def _wait_for_comment(page: Page, *, body_start: str) -> Comment:
    """The comment just posted, once the page shows it."""
    shown = page.locator(".comment__body", has_text=body_start)
    expect(shown).to_have_count(1)
    return Comment.objects.filter(body__startswith=body_start).latest("pk")
