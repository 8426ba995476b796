"""`{% once %}` makes its markup once a process, from the settings alone: nothing of a request
or a reader reaches it, and a script prefix or language of its own gets markup of its own."""

from __future__ import annotations

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import translation

from paddock.core.templatetags.paddock import OnceNode

SOURCE = (
    "{% load paddock static %}{% once %}<a href=\"{% url 'newsroom:feed_rss' %}\">{{ SITE_NAME }}"
    " {{ secret }}</a><link href=\"{% static 'css/site.css' %}\">{% endonce %}[{{ secret }}]"
)


@pytest.fixture(autouse=True)
def script_prefix():
    yield
    set_script_prefix("/")


def test_made_once_from_the_settings_and_never_from_the_page(settings):
    settings.WAGTAIL_SITE_NAME = "Pit <Lane>"
    template = engines["django"].from_string(SOURCE)
    request = RequestFactory().get("/")
    first = template.render({"secret": "ann@example.com"}, request)
    assert first == (
        f'<a href="{reverse("newsroom:feed_rss")}">Pit &lt;Lane&gt; </a>'
        '<link href="/static/css/site.css">[ann@example.com]'
    )
    # What it made is what every later page gets, whoever asks.
    assert template.render({"secret": "bob@example.com"}, request) == first.replace("ann@", "bob@")
    [node] = [n for n in template.template.nodelist if isinstance(n, OnceNode)]
    assert len(node.made) == 1


def test_each_script_prefix_and_language_has_its_own():
    template = engines["django"].from_string(SOURCE)
    at_root = template.render({})
    set_script_prefix("/magazine/")
    assert "/magazine/feeds/rss/" in template.render({})
    set_script_prefix("/")
    with translation.override("de"):
        template.render({})
    assert template.render({}) == at_root
    [node] = [n for n in template.template.nodelist if isinstance(n, OnceNode)]
    assert len(node.made) == 3


def test_it_takes_nothing():
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load paddock %}{% once page %}x{% endonce %}")
