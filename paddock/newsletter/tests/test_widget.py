"""The sidebar's and footer's invitation built in Python (box.widget, `{% newsletter_widget %}`)
is the markup its template wrote (tests/specs/sidebar_widget.html, as it was), and it stays
off the newsletter's and the account's own pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from paddock.newsletter.box import widget

SPEC = Template((Path(__file__).parent / "specs" / "sidebar_widget.html").read_text())
OURS = Template("{% load newsletter_tags %}{% newsletter_widget %}")


def _spaced(html: str) -> str:
    """As a browser shows it: runs of whitespace as one space."""
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("site_name", ["Paddock", 'Pit <Lane> & "Co"'])
def test_the_invitation_says_what_its_template_said(site_name):
    ours = widget(site_name)
    theirs = SPEC.render(Context({"SITE_NAME": site_name, "hidden": False}))
    assert _spaced(ours) == _spaced(theirs)
    assert "<Lane>" not in ours


@pytest.mark.parametrize(
    ("path", "shown"),
    [("/", True), ("/industry/a-story/", True), ("/newsletter/", False), ("/accounts/x/", False)],
)
def test_not_on_the_newsletter_s_or_the_account_s_own_pages(path, shown):
    request = RequestFactory().get(path)
    html = OURS.render(RequestContext(request, {"SITE_NAME": "Paddock"}))
    assert ("newsletter-widget" in html) == shown
