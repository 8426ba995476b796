"""The "Leave a Reply" section built in Python (`{% comment_respond %}`,
rendering.respond_html) is the markup its template wrote (tests/specs/respond.html, as it
was): closed, for a visitor, for a reader still to verify their address, and for one who may
comment (the form, from its own template)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import RequestContext, Template
from django.test import RequestFactory

from paddock.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db

SPEC = Template((Path(__file__).parent / "specs" / "respond.html").read_text())
OURS = Template("{% load comments_tags %}{% comment_respond %}")


def _spaced(html: str) -> str:
    """As a browser shows it (runs of whitespace as one space), the CSRF token and the
    form's stamp (new each time) blanked."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1"', html)
    html = re.sub(r'(name="started" value=")[^"]+"', r'\1"', html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("who", ["visitor", "unverified", "reader"])
@pytest.mark.parametrize("closed", [False, True])
def test_the_reply_section_says_what_its_template_said(article, reader_factory, who, closed):
    request = RequestFactory().get(article.url, HTTP_HOST="testserver")
    request.session = SessionStore()
    if who == "visitor":
        request.user = AnonymousUser()
    else:
        request.user = reader_factory(who.title(), verified=who == "reader")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "signed-in"
    values = ArticlePage.objects.get(pk=article.pk).get_context(request)
    if closed:
        values["comments_open"] = False
    ours = OURS.render(RequestContext(request, values))
    theirs = SPEC.render(RequestContext(request, values))
    assert _spaced(ours) == _spaced(theirs)
    expected = {
        "visitor": "must-log-in",
        "unverified": "Please verify your email address",
        "reader": 'name="body"',
    }[who]
    assert ("Comments are closed" in ours) == closed
    assert (expected in ours) == (not closed)
