"""The sign-up box built in Python (paddock/newsletter/box.py) is the markup its
templates wrote (tests/specs/, as they were), escaped the same way, with and without errors,
for a page every reader shares and for a signed-in reader's own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Site

from paddock.accounts.tests.factories import ReaderFactory
from paddock.newsletter import box
from paddock.newsletter.forms import SignupForm
from paddock.pages import services as pages_services
from paddock.pages.tests.test_footer import standard

pytestmark = pytest.mark.django_db

SPECS = Path(__file__).parent / "specs"
BOX = Template((SPECS / "signup_box.html").read_text())
FIELDS = Template("{% load paddock %}" + (SPECS / "fields.html").read_text())


def _spaced(html: str) -> str:
    """Whitespace as a browser shows it between these elements: runs as one space, none
    between tags; the CSRF token, masked anew each time it is asked for, blanked."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _requests():
    factory = RequestFactory()
    anonymous = factory.get("/news/a-story/")
    anonymous.user = AnonymousUser()
    anonymous.COOKIES = {}
    reader = factory.get("/news/a-story/", HTTP_COOKIE="sessionid=x")
    reader.user = ReaderFactory()
    sent = factory.post("/newsletter/signup/", HTTP_COOKIE="sessionid=x")
    sent.user = reader.user
    return anonymous, reader, sent


def _forms(anonymous, reader, sent):
    bad = {"email": "not <an> address", "name": "Ana <b>", "website": "http://spam", "started": ""}
    return [
        (SignupForm(), anonymous),  # shared stamp, as the article's box makes it
        (SignupForm(request=reader), reader),
        (SignupForm(bad, request=sent), sent),
        (SignupForm({**bad, "source": '/news/"quoted"/'}, request=sent), sent),
    ]


@pytest.mark.parametrize("privacy", [False, True])
def test_the_signup_box_says_what_its_template_said(privacy, settings):
    settings.WAGTAIL_SITE_NAME = "Paddock & <Co>"
    if privacy:
        site = Site.objects.get(is_default_site=True)
        pages_services.footer_menu_set(
            site=site, links=[], privacy_page=standard("privacy", "Privacy")
        )
    for form, request in _forms(*_requests()):
        form.is_valid()
        ours = box.signup_box(form, request, "Paddock & <Co>")
        theirs = BOX.render(
            Context({"form": form, "request": request, "SITE_NAME": "Paddock & <Co>"})
        )
        assert _spaced(ours) == _spaced(theirs)
        assert "Paddock &amp; &lt;Co&gt;" in ours
        assert ('class="privacy-link"' in ours) is privacy
    # The errors are there, escaped: the address's under its field, the others above.
    assert 'field--error"' in ours and 'class="form-errors"' in ours
    assert 'value="not &lt;an&gt; address"' in ours and "<an>" not in ours
    assert 'value="/news/&quot;quoted&quot;/"' in ours


def test_the_signup_pages_fields_say_what_their_template_said():
    for form, request in _forms(*_requests()):
        form.is_valid()
        for source in (None, "", "/reviews/"):
            ours = box.fields(form, request, source or "")
            theirs = FIELDS.render(Context({"form": form, "request": request, "source": source}))
            assert _spaced(ours) == _spaced(theirs)


@pytest.mark.parametrize("privacy", [False, True])
def test_a_shared_box_is_the_box_of_a_fresh_form(privacy, settings):
    from django.core import signing

    from paddock.core.forms import SALT
    from paddock.newsletter.forms import STAMP

    if privacy:
        site = Site.objects.get(is_default_site=True)
        pages_services.footer_menu_set(
            site=site, links=[], privacy_page=standard("privacy", "Privacy")
        )
    stamp = re.compile(r'(name="started" value=")[^"]+"')
    for site_name in ("Paddock", 'Paddock & <Co> "Q"'):
        settings.WAGTAIL_SITE_NAME = site_name  # the consent line names it too
        for path in ("/news/a-story/", '/news/"quoted"/<b>/'):
            request = RequestFactory().get(path)
            request.user = AnonymousUser()
            ours = box.shared_signup_box(request, site_name)
            theirs = box.signup_box(SignupForm(), request, site_name)
            assert stamp.sub(r'\1"', ours) == stamp.sub(r'\1"', theirs)
            assert ("privacy-link" in ours) is privacy
    # Each render its own stamp, shared (bound to no browser) and for the newsletter's form.
    (value,) = re.findall(r'name="started" value="([^"]+)"', ours)
    read = signing.loads(value.replace("&#x27;", "'").replace("&quot;", '"'), salt=SALT)
    assert read["f"] == STAMP and read["b"] == ""
    assert "paddockbox" not in ours
