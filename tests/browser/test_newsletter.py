"""The newsletter in a real browser against a live server.

A reader subscribes from the box under an article (htmx answers in place), confirms from the
email the SMTP server received, picks a daily digest of one section in the preferences, and
unsubscribes from the link in a newsletter email. The same sign-up works with JavaScript off.
An editor composes a special edition in the admin, reviews its preview, sends a test and sends
it, then reads the statistics charts.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from paddock.demo.content import ADMIN, DEMO_PASSWORD
from paddock.newsletter.models import (
    Edition,
    EditionStatus,
    SignupRequest,
    Subscriber,
    SubscriberStatus,
)
from paddock.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "ines.marchetti@example.com"
# For answers that wait on the server and the database; the machine may be busy.
SLOW = 15_000


def _link(message, part: str, base: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    for url in re.findall(r"https?://\S+", text):
        if part in url:
            return base + url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    raise AssertionError(f"No {part} link in {text}")


def _mail_to(smtp_server, drain, address: str, count: int = 1) -> list:
    """The messages to `address` once there are `count` of them (the demo sends others).

    The worker sends what is queued when drained; the wait ends the moment the mail arrives,
    and a task queued after a drain is picked up by the next one."""

    def enough(messages) -> list | None:
        found = [m for m in messages if address in str(m["To"])]
        return found if len(found) >= count else None

    deadline = time.monotonic() + 30
    while True:
        drain()
        found = smtp_server.wait_for(enough, timeout=1)
        if found:
            return found
        if time.monotonic() > deadline:
            got = len([m for m in smtp_server.messages if address in str(m["To"])])
            pytest.fail(f"Expected {count} emails to {address}, got {got}")


def _check_page(page: Page) -> None:
    """One h1, no skipped heading levels, and a label for every visible form control."""
    levels = page.evaluate(
        "() => [...document.querySelectorAll('main h1,main h2,main h3,main h4')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for before, level in zip(levels, levels[1:], strict=False):
        assert level <= before + 1, levels
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.name)"""
    )
    assert unlabelled == []


def test_reader_subscribes_from_an_article_and_confirms_from_the_email(
    demo_site, page: Page, smtp_server, drain_background_tasks, screenshot_dir, settings
):
    settings.WAGTAILADMIN_BASE_URL = demo_site.url
    base = demo_site.url
    article = ArticlePage.objects.live().order_by("-published_at").first()
    page.goto(base + article.url)
    box = page.get_by_role("region", name=re.compile("e-Newsletter"))
    expect(box.locator("input[name=csrfmiddlewaretoken]")).not_to_have_value("", timeout=SLOW)
    box.get_by_label("Email address").fill(EMAIL)
    box.get_by_label("Name").fill("Inès")
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "newsletter-article-box.png"))
    box.get_by_role("button", name="Subscribe").click()

    # htmx swapped the answer in place: still on the article.
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible(timeout=SLOW)
    assert page.url == base + article.url
    # Nothing is subscribed until the emailed link is followed: only the request is kept.
    assert not Subscriber.objects.filter(email=EMAIL).exists()
    assert SignupRequest.objects.get(email=EMAIL).consent_source == article.url

    [confirmation] = _mail_to(smtp_server, drain_background_tasks, EMAIL)
    page.goto(_link(confirmation, "/newsletter/confirm/", base))
    _check_page(page)
    page.screenshot(path=str(screenshot_dir / "newsletter-confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    page.screenshot(path=str(screenshot_dir / "newsletter-confirmed.png"), full_page=True)
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.consent_source == article.url

    page.get_by_role("link", name="your newsletter preferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter preferences")
    _check_page(page)
    page.get_by_label("Daily digest").check()
    section = article.section
    page.get_by_label(section.title, exact=True).check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    page.screenshot(path=str(screenshot_dir / "newsletter-preferences.png"), full_page=True)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.frequency == "daily"
    assert [s.pk for s in subscriber.sections.all()] == [section.pk]

    # A special edition reaches them; its footer link unsubscribes at once, no sign-in.
    from paddock.newsletter import services

    edition = Edition.objects.create(subject="Browser special", body="<p>Hello, readers.</p>")
    services.edition_send(edition=edition)
    issue = _mail_to(smtp_server, drain_background_tasks, EMAIL, 2)[-1]
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(_link(issue, "/newsletter/unsubscribe/", base))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    _check_page(page)
    page.screenshot(path=str(screenshot_dir / "newsletter-unsubscribed.png"), full_page=True)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_sign_up_works_without_javascript(
    demo_site, browser: Browser, smtp_server, drain_background_tasks, screenshot_dir
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        base = demo_site.url
        article = ArticlePage.objects.live().order_by("-published_at").first()
        page.goto(base + article.url)
        box = page.get_by_role("region", name=re.compile("e-Newsletter"))
        box.get_by_label("Email address").fill("no-script@example.com")
        box.get_by_role("button", name="Subscribe").click()
        # The article page may come from the page cache, so its form has no CSRF token
        # without JavaScript: one click confirms it.
        if page.get_by_role("heading", name="Please confirm").is_visible():
            page.get_by_role("button", name="Send it again").click()
        expect(page).to_have_url(re.compile(r"/newsletter/check-your-inbox/$"), timeout=SLOW)
        signup = SignupRequest.objects.get(email="no-script@example.com")
        assert signup.consent_source == article.url
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        _check_page(page)
        page.screenshot(
            path=str(screenshot_dir / "newsletter-check-inbox-mobile.png"), full_page=True
        )

        # The footer's form leads to the full sign-up page.
        page.goto(base + "/")
        page.locator("footer").screenshot(path=str(screenshot_dir / "newsletter-footer-mobile.png"))
        page.locator("footer").get_by_label("Your email address").fill("footer@example.com")
        page.locator("footer").get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("e-Newsletter")
        expect(page.get_by_label("Email address", exact=True)).to_have_value("footer@example.com")
        _check_page(page)
        page.screenshot(path=str(screenshot_dir / "newsletter-signup-mobile.png"), full_page=True)
    finally:
        context.close()
    _mail_to(smtp_server, drain_background_tasks, "no-script@example.com")


def test_editor_composes_previews_tests_and_sends_then_reads_the_stats(
    demo_site, page: Page, smtp_server, drain_background_tasks, screenshot_dir
):
    base = demo_site.url
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(ADMIN["username"])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{base}/admin/snippets/newsletter/edition/add/")
    page.locator("#id_subject").fill("Motor show week: everything we saw")
    page.locator("#id_preheader").fill("Twelve debuts, three surprises")
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.type("Twelve debuts in four days. Here is what mattered.", delay=5)
    expect(page.locator("input[name=body]")).to_have_value(re.compile("Twelve debuts"))
    page.screenshot(path=str(screenshot_dir / "newsletter-admin-compose.png"), full_page=True)
    page.get_by_role("button", name="Save").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Motor show week")
    # The preview is a page of its own, requested once the review page is in: wait until the
    # frame has loaded it, then for the text, as long as a busy server may need.
    preview = page.locator("iframe[title='Preview of the email']")
    expect(preview).to_be_visible()
    preview.scroll_into_view_if_needed()
    frame = preview.content_frame
    expect(frame.locator("body")).to_contain_text("Twelve debuts in four days", timeout=SLOW)
    expect(frame.get_by_text("Twelve debuts in four days")).to_be_visible(timeout=SLOW)
    page.get_by_label("Send a test to").fill("editor@example.com")
    page.get_by_role("button", name="Send a test").click()
    expect(page.locator(".messages")).to_contain_text("A test copy is on its way")
    [test_copy] = _mail_to(smtp_server, drain_background_tasks, "editor@example.com")
    assert test_copy["Subject"] == "[Test] Motor show week: everything we saw"
    page.screenshot(path=str(screenshot_dir / "newsletter-admin-review.png"), full_page=True)

    audience = Subscriber.objects.filter(
        status=SubscriberStatus.ACTIVE, special_editions=True
    ).count()
    # Sending asks first, naming the edition and how many it goes to.
    page.get_by_role("link", name="Send now…").click()
    confirm = page.get_by_role(
        "button", name=f"Send “Motor show week: everything we saw” to {audience} subscribers now"
    )
    expect(confirm).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "newsletter-admin-confirm.png"))
    confirm.click()
    expect(page.locator(".messages")).to_contain_text("has started")
    edition = Edition.objects.get(subject="Motor show week: everything we saw")
    deadline = time.monotonic() + 30
    while edition.status != EditionStatus.SENT and time.monotonic() < deadline:
        drain_background_tasks()
        edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects.count("Motor show week: everything we saw") == audience
    page.reload()
    expect(page.locator('tr:has(th:text-is("Sent")) td')).to_have_text(str(audience))

    page.goto(f"{base}/admin/newsletter/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter statistics")
    expect(page.locator('section.newsletter-chart svg[role="img"]')).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "newsletter-admin-stats.png"), full_page=True)
    page.locator("section.newsletter-chart").nth(1).screenshot(
        path=str(screenshot_dir / "newsletter-admin-stats-editions.png")
    )
