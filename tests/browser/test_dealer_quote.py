"""Asking for a dealer quote from an article about a vehicle, in a real browser.

A shopper reads an article tagged with a vehicle, starts from the sidebar's New Car Research
widget with their ZIP code, finds make and model filled in, sends the full form and is told
which dealers will be in touch. Then that dealer's staff signs in and finds the lead in the
dealer portal, opens it and marks it contacted.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from paddock.leads import policy
from paddock.leads.management.commands.load_demo_dealers import DEMO_PASSWORD
from paddock.leads.models import Dealer, LeadAssignment
from paddock.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOPPER = "Casey Quotewell"
EMAIL = "casey.quotewell@example.com"


def test_shopper_requests_a_quote_and_the_dealer_sees_it(demo_site, page: Page):
    call_command("load_demo_dealers", verbosity=0)
    base = demo_site.url

    # An article about a vehicle that some demo dealer sells.
    article, vehicle, dealer = _article_with_a_dealer()

    page.goto(base + article.url)
    widget = page.get_by_role("region", name="New Car Research")
    expect(widget).to_contain_text(f"Thinking about the {vehicle}?")
    expect(widget.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)
    widget.get_by_label("Your ZIP code").fill(dealer.zip_code)
    widget.get_by_role("button", name="Get a free dealer quote").click()

    expect(page).to_have_url(re.compile(r"/quote/\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Get a Free Dealer Quote")
    opened = time.monotonic()
    form = page.locator("form.quote-form")
    expect(form.get_by_label("Make")).to_have_value(vehicle.make.slug)
    expect(form.get_by_label("Model", exact=True)).to_have_value(vehicle.slug)
    expect(form.get_by_label("ZIP code", exact=True)).to_have_value(dealer.zip_code)
    form.get_by_label("When do you plan to buy?").select_option("month")
    form.get_by_label("Name", exact=True).fill(SHOPPER)
    form.get_by_label("Email", exact=True).fill(EMAIL)
    form.get_by_label("Phone", exact=True).fill("(212) 555-0188")
    form.get_by_label(re.compile("I agree that Paddock may share")).check()
    # A person takes a moment to fill the form in; faster than the minimum looks like a bot.
    time.sleep(max(0.0, policy.min_submit_seconds() - (time.monotonic() - opened)))
    form.get_by_role("button", name="Get my free quote").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your quote request is on its way")
    expect(page.locator(".quote-dealers")).to_contain_text(dealer.name)
    _check_headings(page)

    # The dealer's staff signs in and finds the lead in the portal.
    staff = dealer.staff.select_related("user").first().user
    assert LeadAssignment.objects.filter(dealer=dealer, lead__email=EMAIL).exists()
    page.goto(f"{base}/accounts/login/?next=/dealer/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Leads for {dealer.name}")
    row = page.locator("tr", has_text=SHOPPER)
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_label("Status").select_option("contacted")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_label("Status")).to_have_value("contacted")


def _article_with_a_dealer():
    for article in ArticlePage.objects.live().prefetch_related("vehicle_models__make"):
        for vehicle in article.vehicle_models.all():
            dealer = Dealer.objects.filter(makes=vehicle.make, active=True).first()
            if dealer:
                return article, vehicle, dealer
    pytest.fail("The demo has no article about a vehicle that a demo dealer sells.")


def _check_headings(page: Page) -> None:
    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for before, level in zip(levels, levels[1:], strict=False):
        assert level <= before + 1, levels
