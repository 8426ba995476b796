"""`{% hole %}` and the shells it leaves open (paddock/core/shells.py): a hole is a marker only
in a page being recorded, never in a part kept on its own, and a page whose markers cannot be
found each once is given its markup back and not kept."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory

from paddock.core import shells

SOURCE = (
    "{% load paddock %}<p>{% fragment kept %}[{% hole %}in a kept part{% endhole %}]"
    "{% endfragment %}</p><p>{% hole %}{{ news }}{% endhole %}</p>"
)


@pytest.fixture(autouse=True)
def parts_kept(settings):
    settings.PADDOCK_FRAGMENT_CACHE = True


def test_a_hole_is_left_open_in_the_page_and_closed_in_a_kept_part():
    template = engines["django"].from_string(SOURCE)
    request = RequestFactory().get("/story/")
    with shells.recording(request) as recorded:
        assert recorded is not None
        html = template.render({"news": "first"}, request)
    assert "[in a kept part]" in html
    assert recorded.markup == ["first"] and html.count("<!--hole:") == 1
    response = shells.keep(recorded, request, HttpResponse(html), "story", ("site",))
    assert response.content == b"<p>[in a kept part]</p><p>first</p>"
    shell = shells.get(request, "story", ("site",))
    assert shell is not None
    filled = shells.fill(shell, request, {"news": "second <b>"})
    assert filled.content == b"<p>[in a kept part]</p><p>second &lt;b&gt;</p>"


def test_markers_not_found_each_once_give_the_markup_back_and_keep_nothing():
    template = engines["django"].from_string("{% load paddock %}{% hole %}{{ news }}{% endhole %}")
    request = RequestFactory().get("/story/")
    with shells.recording(request) as recorded:
        html = template.render({"news": "first"}, request)
    response = shells.keep(recorded, request, HttpResponse(html + html), "twice", ("site",))
    assert response.content == b"firstfirst"
    assert shells.get(request, "twice", ("site",)) is None


def test_no_recording_for_a_visitor_with_a_session_or_with_nothing_kept(settings):
    request = RequestFactory().get("/story/", HTTP_COOKIE="sessionid=abc")
    with shells.recording(request) as recorded:
        assert recorded is None
    settings.PADDOCK_FRAGMENT_CACHE = False
    with shells.recording(RequestFactory().get("/story/")) as recorded:
        assert recorded is None


def test_a_hole_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load paddock %}{% hole x %}{% endhole %}")
