"""The Contact page in a real browser: a visitor finds it in the footer, the page comes from the
full-page cache, the browser fills in the form's token and stamp (static/js/csrf.js), and the
message reaches the editors' inbox with a clear answer to its sender."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from paddock.pages.models import ContactMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_visitor_writes_to_the_editors_from_the_footer(demo_site, page: Page, screenshot_dir):
    base = demo_site.url
    page.goto(base + "/contact/")  # the first visit stores the page; the next is a hit
    page.goto(base + "/")
    page.locator(".site-footer").get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", name="Contact the editors")).to_be_visible()
    footer = page.locator(".site-footer")
    for name in ("About", "Privacy policy", "Terms of use", "Contact", "Contributors"):
        expect(footer.get_by_role("link", name=name, exact=True)).to_be_visible()
    form = page.locator("#contact-form form")
    expect(form.locator("[data-csrf-fill]")).not_to_have_value("")
    page.screenshot(path=screenshot_dir / "contact-page.png", full_page=True)

    form.get_by_label("Your name").fill("Ines Ortega")
    form.get_by_label("Your email address").fill("ines@example.com")
    form.get_by_label("Subject").fill("The Fjell's price")
    form.get_by_label("Message").fill("The review gives last year's base price.")
    form.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", name="Your message is with the editors")).to_be_visible()
    expect(page.get_by_text("ines@example.com")).to_be_visible()
    page.screenshot(path=screenshot_dir / "contact-sent.png")
    assert ContactMessage.objects.get().subject == "The Fjell's price"
