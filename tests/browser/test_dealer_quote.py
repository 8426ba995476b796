"""Asking for a dealer quote from an article about a vehicle, in a real browser.

A shopper reads an article tagged with a vehicle, starts from the sidebar's New Car Research
widget with their ZIP code, finds make and model filled in, sends the full form and is told
which dealers will be in touch. Then that dealer's staff signs in and finds the lead in the
dealer portal, opens it and marks it contacted.

Then the administration side: an administrator reads the lead statistics, adds a dealer near a
shopper no dealer could take, and sends that unrouted lead to dealers again.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from paddock.demo.content import ADMIN, DEMO_PASSWORD
from paddock.leads.models import Dealer, Lead, LeadAssignment
from paddock.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOPPER = "Casey Quotewell"
EMAIL = "casey.quotewell@example.com"


def test_shopper_requests_a_quote_and_the_dealer_sees_it(demo_site, page: Page, screenshot_dir):
    call_command("load_demo_dealers", verbosity=0)
    base = demo_site.url

    # An article about a vehicle that some demo dealer sells.
    article, vehicle, dealer = _article_with_a_dealer()

    page.goto(base + article.url)
    widget = page.get_by_role("region", name="New Car Research")
    expect(widget).to_contain_text(f"Thinking about the {vehicle}?")
    expect(widget.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)
    widget.get_by_label("Your ZIP or postal code").fill(dealer.zip_code)
    widget.get_by_role("button", name="Get a free dealer quote").click()

    expect(page).to_have_url(re.compile(r"/quote/\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Get a Free Dealer Quote")
    form = page.locator("form.quote-form")
    expect(form.get_by_label("Make")).to_have_value(vehicle.make.slug)
    expect(form.get_by_label("Model", exact=True)).to_have_value(vehicle.slug)
    expect(form.get_by_label("ZIP or postal code", exact=True)).to_have_value(dealer.zip_code)
    form.get_by_label("When do you plan to buy?").select_option("month")
    form.get_by_label("Name", exact=True).fill(SHOPPER)
    form.get_by_label("Email", exact=True).fill(EMAIL)
    form.get_by_label("Phone", exact=True).fill("(212) 555-0188")
    form.get_by_label(re.compile("I agree that Paddock may share")).check()
    form.get_by_role("button", name="Get my free quote").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your quote request is on its way")
    expect(page.locator(".quote-dealers")).to_contain_text(dealer.name)
    _check_headings(page)

    # The dealer's staff signs in and finds the lead in the portal.
    staff = dealer.staff.select_related("user").first().user
    assert LeadAssignment.objects.filter(dealer=dealer, lead__email=EMAIL).exists()
    page.goto(f"{base}/accounts/login/?next=/dealer/")
    # By id: the sidebar may hold other email fields (the newsletter's).
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leads")
    expect(page.locator(".portal__dealer")).to_have_text(dealer.name)
    row = page.locator("tr", has_text=SHOPPER)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_label("Status").select_option("contacted")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_label("Status")).to_have_value("contacted")
    page.screenshot(path=str(screenshot_dir / "dealer-portal-lead.png"), full_page=True)
    page.get_by_role("link", name="All leads").click()
    expect(page.locator("tr", has_text=SHOPPER)).to_contain_text("Contacted")
    _check_headings(page)
    page.screenshot(path=str(screenshot_dir / "dealer-portal.png"), full_page=True)


def test_an_administrator_adds_a_dealer_and_routes_an_unrouted_lead(
    demo_site, page: Page, screenshot_dir
):
    call_command("load_demo_dealers", verbosity=0)
    base = demo_site.url
    far = Lead.objects.select_related("make").get(unrouted=True, zip_code="99501")

    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(ADMIN["username"])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{base}/admin/leads/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lead statistics")
    expect(page.locator('svg[role="img"]')).to_have_count(4)
    page.set_viewport_size({"width": 1280, "height": 2600})  # the admin scrolls inside a pane
    page.screenshot(path=str(screenshot_dir / "lead-stats.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})

    # An Anchorage dealer for the make, added through the snippet form.
    page.goto(f"{base}/admin/snippets/leads/dealer/add/")
    page.get_by_role("textbox", name="Name").fill("Midnight Sun Motors")
    page.get_by_role("textbox", name="City").fill("Anchorage")
    page.get_by_role("textbox", name="State").fill("AK")
    page.get_by_role("textbox", name="ZIP or postal code").fill("99503")
    page.get_by_role("listbox", name="Makes").select_option(label=far.make.name)
    page.get_by_role("textbox", name="Notification emails").fill("sales@midnightsun.example")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages")).to_contain_text("Midnight Sun Motors")

    page.goto(f"{base}/admin/leads/unrouted/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unrouted leads")
    row = page.locator("tr", has_text="99501")
    expect(row).to_contain_text(far.make.name)
    page.screenshot(path=str(screenshot_dir / "leads-unrouted.png"), full_page=True)
    row.get_by_role("button", name=re.compile("Send to dealers again")).click()
    expect(page.locator(".messages")).to_contain_text("went to Midnight Sun Motors")
    expect(page.locator("tr", has_text="99501")).to_have_count(0)
    assert LeadAssignment.objects.filter(lead=far, dealer__name="Midnight Sun Motors").exists()


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
