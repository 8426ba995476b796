"""The Follow/Unfollow button built in Python (rendering.follow_html) is the markup its
template wrote (tests/specs/follow.html, as it was), escaped the same way: for a visitor, and
for a reader who follows the discussion and one who does not, on addresses a visitor may type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import RequestContext, Template
from django.test import RequestFactory

from paddock.notifications.rendering import follow_html

pytestmark = pytest.mark.django_db

SPEC = Template((Path(__file__).parent / "specs" / "follow.html").read_text())
PATHS = ("", "?csort=newest&cpage=2", '?q="><script>x</script>&a=<b>', "?n=ø%20é")


def _spaced(html: str) -> str:
    """As a browser shows it (runs of whitespace as one space), the CSRF token (masked anew
    each time) blanked."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1"', html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("query", PATHS)
@pytest.mark.parametrize("who", ["visitor", "follower", "reader"])
def test_the_button_says_what_its_template_said(article, ana, who, query):
    request = RequestFactory().get(f"{article.url}{query}", HTTP_HOST="testserver")
    request.user = AnonymousUser() if who == "visitor" else ana
    request.session = SessionStore()
    if who != "visitor":  # signed in, so with a session cookie: Django's own CSRF field
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "signed-in"
    following = who == "follower"
    values = {
        "discussion_follow": {
            "article_id": article.pk,
            "signed_in": who != "visitor",
            "following": following,
            "path": request.path,
        }
    }
    ours = follow_html(request, article.pk, following=following)
    theirs = SPEC.render(RequestContext(request, values))
    assert _spaced(ours) == _spaced(theirs)
    assert "<script>" not in ours
    if who != "visitor":
        assert 'name="csrfmiddlewaretoken" value="' in ours and 'value=""' not in ours


def test_a_path_with_quotes_and_brackets_stays_inside_its_attribute(article, ana):
    request = RequestFactory().get(f'{article.url}x"><b>/', HTTP_HOST="testserver")
    request.user = AnonymousUser()
    html = follow_html(request, article.pk, following=False)
    assert '"><b>' not in html and "%22%3E%3Cb%3E" in html
