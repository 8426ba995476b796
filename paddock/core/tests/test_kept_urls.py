"""`{% url %}` keeps the address of a name without arguments, and answers as Django's tag does."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from paddock.core.templatetags.kept_urls import KeptURLNode


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.fixture(autouse=True)
def script_prefix():
    yield
    set_script_prefix("/")


def test_every_template_gets_it_and_it_gives_what_reverse_gives():
    template = engines["django"].from_string("{% url 'newsroom:contributors' %}")
    assert [n for n in template.template.nodelist if isinstance(n, KeptURLNode)]
    for prefix in ("/", "/magazine/", "/"):  # kept for each prefix, not across them
        set_script_prefix(prefix)
        assert render("{% url 'newsroom:contributors' %}") == reverse("newsroom:contributors")
        assert render("{% url 'newsroom:contributors' %}").startswith(prefix)


def test_arguments_variables_and_as_work_as_in_django():
    assert render("{% url 'newsroom:author' 'ana-ruiz' %}") == "/authors/ana-ruiz/"
    assert render("{% url 'newsroom:author' slug=s %}", s="kai") == "/authors/kai/"
    assert render("{% url name %}", name="newsroom:contributors") == "/contributors/"
    assert render("{% url 'newsroom:contributors' as u %}[{{ u }}]") == "[/contributors/]"
    assert render("{% url 'no-such-name' as u %}[{{ u }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-name' %}")


def test_constant_arguments_are_kept_with_the_address():
    from paddock.core.templatetags import kept_urls

    kept_urls._kept.clear()
    for prefix in ("/", "/magazine/"):
        set_script_prefix(prefix)
        assert render("{% url 'wagtail_serve' '' %}") == reverse("wagtail_serve", args=[""])
        assert render("{% url 'newsroom:author' 'ana-ruiz' %}") == f"{prefix}authors/ana-ruiz/"
        assert render("{% url 'newsroom:author' slug='kai' %}") == f"{prefix}authors/kai/"
    assert any(key[:2] == ("newsroom:author", ("ana-ruiz",)) for key in kept_urls._kept)
    # A filter, or a variable, makes it Django's own at every render.
    set_script_prefix("/")
    assert render("{% url 'newsroom:author' s|lower %}", s="KAI") == "/authors/kai/"
    assert render("{% url 'newsroom:author' s %}", s="ana") == "/authors/ana/"
    assert not any(key[1] in (("kai",), ("ana",)) for key in kept_urls._kept)
