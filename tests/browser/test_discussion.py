"""Taking part in a discussion, in a real browser against a live server.

The first journey is a newcomer's: sign up, verify the address from the email the SMTP server
received, post a comment, a reply and a reply to the reply in place (htmx), vote on someone
else's comment and take the vote back, then find the comment in Recent Comments on another
article and follow it home. The second is the same post with JavaScript switched off: a plain
form post that ends on the article, at the new comment. The third posts every hostile string
as a comment and clicks around the thread: no script may run, and each string shows as text.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from paddock.comments import markup, services
from paddock.comments.models import Comment
from paddock.core.hostile import HOSTILE_STRINGS
from paddock.newsroom.tests.factories import make_article, make_section

ARTICLE_PATH = "/industry/halvorsen-motors-build-where-it-sells/"
NAME = "Oda Kjelsberg"
EMAIL = "oda.kjelsberg@example.com"
PASSWORD = "Fjell-and-Vidde-2026"
COMMENT = (
    "I drove a Trondheim-built Fjell for nine years and it never leaked a drop. If the new "
    "plant gets the same training and the same suppliers, I'd happily buy one built there."
)
REPLY = "Answering myself: the union's request to have the promise in writing matters most."
REPLY_TO_REPLY = "And a third level, to see that the thread nests."

# Like every transactional test here, put back what migrations made (the page tree's root, the
# default site, locales, groups) after the flush, and flush without re-running post_migrate.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_new_reader_signs_up_verifies_and_joins_the_discussion(
    demo_site, smtp_server, page: Page, screenshot_dir
):
    base = demo_site.url

    # Sign up with a display name, email address and password.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Display name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify your email address")

    # Not signed in until the address is verified: the article offers no comment form.
    page.goto(base + ARTICLE_PATH + "#respond")
    expect(page.locator("#comment-form")).to_have_count(0)

    # The verification email reached the SMTP server; its link confirms the address.
    message = _wait_for_mail(smtp_server, to=EMAIL)
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text)
    assert link, text
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".email-badge")).to_have_text("verified")
    assert EmailAddress.objects.get(email=EMAIL).verified

    # Post a comment: it appears in place, the page is not reloaded, the count goes up.
    page.goto(base + ARTICLE_PATH)
    page.evaluate("window.__sameDocument = true")
    count = int(page.locator("#comment-count").inner_text())
    form = page.locator("#comment-form")
    form.get_by_label("Comment").fill(COMMENT)
    form.get_by_role("button", name="Post Comment").click()
    expect(page.locator("#comment-count")).to_have_text(str(count + 1))
    top = _newest_comment_by(EMAIL)
    top_li = page.locator(f"#comment-list > li#comment-{top.pk}")
    expect(top_li.locator(":scope > article .comment__body")).to_have_text(COMMENT)
    expect(top_li.locator(":scope > article .comment__author")).to_have_text(NAME)
    expect(page.locator("#comment-form").get_by_label("Comment")).to_have_value("")
    expect(page.locator("#comments-heading")).to_have_text(
        re.compile(rf"^{count + 1} Comments on “")
    )

    # Reply to it, then reply to the reply: three levels, each nested in the one above.
    reply = _reply_in_place(page, top.pk, REPLY)
    expect(page.locator("#comment-count")).to_have_text(str(count + 2))
    deepest = _reply_in_place(page, reply.pk, REPLY_TO_REPLY)
    expect(page.locator("#comment-count")).to_have_text(str(count + 3))
    assert page.evaluate("window.__sameDocument") is True, "posting reloaded the page"
    nested = page.locator(
        f"#comment-list > li#comment-{top.pk} > ol.replies > li#comment-{reply.pk}"
        f" > ol.replies > li#comment-{deepest.pk}"
    )
    expect(nested.locator(":scope > article .comment__body")).to_have_text(REPLY_TO_REPLY)
    # Readers do not vote on their own comments: no buttons, just the score.
    expect(top_li.locator(":scope > article .votes button")).to_have_count(0)

    # Vote up someone else's comment; the score changes in place. Voting again withdraws it.
    other_li = page.locator("#comment-list > li.comment").first
    other_pk = int(other_li.get_attribute("id").removeprefix("comment-"))
    assert Comment.objects.get(pk=other_pk).author.email != EMAIL
    votes = page.locator(f"#votes-{other_pk}")
    score = int(votes.locator(".votes__score").inner_text())
    votes.get_by_role("button", name="Vote up").click()
    expect(votes.locator(".votes__score")).to_have_text(str(score + 1))
    expect(votes.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    votes.get_by_role("button", name="Vote up").click()
    expect(votes.locator(".votes__score")).to_have_text(str(score))
    expect(votes.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "false")
    assert Comment.objects.get(pk=other_pk).score == score
    assert page.evaluate("window.__sameDocument") is True, "voting reloaded the page"
    _assert_accessible_after_swaps(page)

    # A fresh load shows what htmx showed: the same nesting, count and scores.
    page.reload()
    expect(page.locator("#comment-count")).to_have_text(str(count + 3))
    expect(nested).to_have_count(1)
    for pk in (top.pk, reply.pk, deepest.pk):
        expect(page.locator(f"#votes-{pk} .votes__score")).to_have_text("0")
    expect(page.locator(f"#votes-{other_pk} .votes__score")).to_have_text(str(score))
    for pk, depth in ((top.pk, 0), (reply.pk, 1), (deepest.pk, 2)):
        expect(page.locator(f"#comment-{pk}")).to_have_class(re.compile(rf"comment--d{depth}\b"))
    page.locator(f"#comment-{top.pk}").screenshot(path=str(screenshot_dir / "thread.png"))

    # On another article, Recent Comments leads back to the new comment.
    page.locator(".related").get_by_role("link").first.click()
    expect(page).not_to_have_url(re.compile(re.escape(ARTICLE_PATH)))
    recent = page.locator(".recent-comments li a")
    expect(recent.nth(0)).to_have_attribute("href", deepest.get_absolute_url())
    expect(recent.nth(1)).to_have_attribute("href", reply.get_absolute_url())
    entry = recent.nth(2)
    expect(entry).to_have_attribute("href", top.get_absolute_url())
    expect(entry).to_have_text(re.compile(rf"^{NAME}: {re.escape(COMMENT[:60])}.*…$"))
    assert len(entry.inner_text()) <= len(NAME) + 2 + 100
    entry.click()
    expect(page).to_have_url(re.compile(re.escape(ARTICLE_PATH) + rf"#comment-{top.pk}$"))
    expect(page.locator(f"#comment-{top.pk}")).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target')?.id") == f"comment-{top.pk}"


def test_reader_without_javascript_posts_a_comment(live_server, browser: Browser):
    article = make_article(
        make_section("Industry"), title="Plants Follow Buyers; Suppliers Follow Plants..."
    )
    _verified_reader("Nils Aas", "nils@example.com")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + article.url)
        expect(page.locator("#comments-heading")).to_have_text(f"0 Comments on “{article.title}”")
        page.locator("#respond").get_by_role("link", name="logged in").click()
        page.get_by_label("Email").fill("nils@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(re.escape(article.url) + "#respond$"))

        body = "Posted with a plain form, no scripts at all."
        form = page.locator("#comment-form")
        form.get_by_label("Comment").fill(body)
        form.get_by_role("button", name="Post Comment").click()

        expect(page).to_have_url(re.compile(re.escape(article.url) + r"#comment-\d+$"))
        comment = _newest_comment_by("nils@example.com")
        assert page.url.endswith(f"#comment-{comment.pk}")
        target = page.locator(f"#comment-{comment.pk}")
        expect(target).to_be_in_viewport()
        expect(target.locator(".comment__body")).to_have_text(body)
        expect(page.locator("#comments-heading")).to_have_text(f"1 Comment on “{article.title}”")
        assert page.evaluate("document.querySelector(':target')?.id") == f"comment-{comment.pk}"
        assert page.evaluate("typeof window.htmx") == "undefined", "scripts were meant to be off"
    finally:
        context.close()


def test_hostile_comments_stay_inert_text_in_the_browser(
    live_server, page: Page, settings, screenshot_dir
):
    settings.PADDOCK_COMMENTS_PER_PAGE = 200  # every hostile comment on one page
    article = make_article(make_section("Industry"), title="Hostile Input; Kept Inert...")
    # Mallory writes every payload that would set the sentinel, so that signed in as her the
    # browser also opens her edit forms (a textarea to break out of); Trudy writes the rest,
    # which Mallory can vote on, report and answer.
    mallory = _verified_reader("Mallory Quinn", "mallory@example.com")
    trudy = _verified_reader("Trudy Vance", "trudy@example.com")
    # Mallory's come last, so they are also the ones Recent Comments shows.
    comments = {}
    for raw in sorted(HOSTILE_STRINGS, key=lambda raw: "__xss" in raw):
        author = mallory if "__xss" in raw else trudy
        try:
            # Posted in a burst, with links and repetition, many would be held for review;
            # this is about how the browser shows them, so they skip the screening.
            comment = services.comment_create(
                user=author, article_id=article.pk, body=raw, screen=False
            )
        except services.CommentError:
            continue  # refused (empty, too long, nothing to show): the unit tests cover those
        comments[comment.pk] = raw
    sentinels = [pk for pk, raw in comments.items() if "__xss" in raw]
    others = [pk for pk, raw in comments.items() if "__xss" not in raw]
    assert len(sentinels) >= 20

    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def assert_nothing_ran() -> None:
        assert page.evaluate("typeof window.__xss") == "undefined", f"script ran on {page.url}"
        assert dialogs == [], f"dialogs opened on {page.url}: {dialogs}"
        assert errors == [], f"script errors on {page.url}: {errors}"

    page.goto(f"{live_server.url}/accounts/login/?next={article.url}")
    page.get_by_label("Email").fill("mallory@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#comment-count")).to_have_text(str(len(comments)))
    assert_nothing_ran()

    # Every payload is on the page as text people can read, and nothing but allowed markup.
    bodies = page.locator(".comment__body")
    expect(bodies).to_have_count(len(comments))
    allowed = "p, br, em, strong, a, blockquote, code, pre"
    expect(page.locator(f".comment__body *:not({allowed})")).to_have_count(0)
    for pk in sentinels:
        body = page.locator(f"#c-{pk} .comment__body")
        expect(body).to_be_visible()
        expect(body).to_contain_text(re.compile(r"(window|parent)\.__xss=1"))
    for link in page.locator(".comment__body a").all():
        href = link.get_attribute("href") or ""
        assert not re.match(r"\s*(javascript|data|vbscript):", href, re.IGNORECASE), href
        link.hover()
    expect(page.locator(".recent-comments li").first).to_contain_text("__xss=1")
    page.locator(f"#comment-{sentinels[0]}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "hostile-comments.png"))

    # Click around: Trudy's comments get a vote, a report form and a reply form ...
    for pk in others[:6]:
        box = page.locator(f"#c-{pk}")
        box.get_by_role("button", name="Vote up").click()
        expect(box.locator(".votes__score")).to_have_text("1")
    for pk in others[6:10]:
        page.locator(f"#c-{pk}").get_by_role("link", name="Report").click()
        expect(page.locator(f"#reply-slot-{pk} form.report-form")).to_be_visible()
    for pk in others[10:14]:
        page.locator(f"#c-{pk}").get_by_role("link", name="Reply").click()
        expect(page.locator(f"#reply-slot-{pk}")).to_contain_text("Replying to Trudy Vance")
    # ... and Mallory's own payloads open in edit forms, the text intact in each textarea.
    for pk in sentinels[:12]:
        page.locator(f"#c-{pk}").get_by_role("link", name="Edit").click()
        textarea = page.locator(f"form#c-{pk} textarea")
        expect(textarea).to_have_value(markup.clean_text(comments[pk]))
    for _ in range(40):
        page.keyboard.press("Tab")
    assert_nothing_ran()

    # The pages of their own that show a comment's body: reply and report without htmx.
    for pk in sentinels[:3]:
        for view in ("comments:reply", "comments:report"):
            page.goto(live_server.url + reverse(view, kwargs={"pk": pk}))
            expect(page.locator(".comment-quote")).to_contain_text("__xss=1")
            assert_nothing_ran()


def _assert_accessible_after_swaps(page: Page) -> None:
    """What htmx put in the page keeps it usable: one h1, alt on every image, a name on every
    control, and a reply form open with its label."""
    first = page.locator("#comment-list > li.comment").first
    first.locator(":scope > article").get_by_role("link", name="Reply").click()
    expect(page.locator("#comment-list .reply-slot form")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert page.evaluate("[...document.images].every(img => img.hasAttribute('alt'))")
    # Every control a person can reach has a name (the honeypot is hidden from people and
    # from assistive technology alike, so it is not one of them).
    controls = page.locator(
        "main :is(textarea, select, button, input:not([type=hidden]), a[href])"
        ":not([aria-hidden=true] *)"
    ).all()
    assert controls
    for control in controls:
        expect(control).to_have_accessible_name(re.compile(r"\S"))


def _reply_in_place(page: Page, parent_pk: int, text: str) -> Comment:
    """Open the reply form under a comment, post the reply, and return it once it is shown."""
    parent = page.locator(f"#comment-{parent_pk}")
    parent.locator(":scope > article").get_by_role("link", name="Reply").click()
    form = page.locator(f"#reply-slot-{parent_pk} form")
    form.get_by_label("Your reply").fill(text)
    form.get_by_role("button", name="Post Reply").click()
    expect(form).to_have_count(0)  # the slot empties once the reply is in
    reply = _newest_comment_by(EMAIL)
    assert reply.parent_id == parent_pk
    shown = page.locator(f"#replies-{parent_pk} > li#comment-{reply.pk}")
    expect(shown.locator(":scope > article .comment__body")).to_have_text(text)
    return reply


def _newest_comment_by(email: str) -> Comment:
    return Comment.objects.filter(author__email=email).latest("created_at", "pk")


def _verified_reader(name: str, email: str):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.profile.display_name = name
    user.profile.save(update_fields=["display_name"])
    return user


def _wait_for_mail(smtp_server, *, to: str, timeout: float = 15):
    message = smtp_server.wait_for(
        lambda messages: next((m for m in messages if to in m["To"]), None), timeout=timeout
    )
    if message is None:
        raise AssertionError(f"no email to {to} arrived; got {len(smtp_server.messages)} others")
    return message
