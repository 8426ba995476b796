"""The WSGI handler the site is served by (paddock/core/handler.py) resolves each path to its
view once a process: the same view and arguments as Django's resolver, a request's own copy of
them, another answer under another URL configuration, nothing kept for a path no pattern
takes, and no more paths kept than RESOLVED_PATHS."""

from __future__ import annotations

import json

import pytest
from django.http import JsonResponse
from django.test.utils import override_settings
from django.urls import path
from django.urls.resolvers import URLResolver

from paddock.core import handler

from .test_pagecache import wsgi  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def echo(request, slug):
    match = request.resolver_match
    seen = {"slug": slug, "kwargs": dict(match.kwargs), "route": match.route}
    match.kwargs["slug"] = "changed by the view"  # must not reach the next request
    return JsonResponse(seen)


echo.shows_no_site = True  # newsroom's SiteMiddleware looks up no site for it

urlpatterns = [path("echo/<slug:slug>/", echo, name="echo")]


def other(request, slug):
    return JsonResponse({"other": slug})


other.shows_no_site = True


class OtherUrls:
    urlpatterns = [path("echo/<slug:slug>/", other)]


@pytest.fixture
def resolutions(monkeypatch):
    """How many times Django's root resolver was asked to resolve a path."""
    asked: list[str] = []
    resolve = URLResolver.resolve

    def counted(self, path):
        if self.pattern.regex.pattern == "^/":  # the root resolver, not the ones it includes
            asked.append(path)
        return resolve(self, path)

    monkeypatch.setattr(URLResolver, "resolve", counted)
    monkeypatch.setattr(handler, "_resolved", {})
    return asked


@override_settings(ROOT_URLCONF=__name__)
def test_a_path_is_resolved_once_and_each_request_gets_its_own_arguments(
    wsgi,  # noqa: F811
    resolutions,
):
    first = json.loads(wsgi("/echo/volvo/").body)
    second = json.loads(wsgi("/echo/volvo/").body)
    assert (
        first
        == second
        == {"slug": "volvo", "kwargs": {"slug": "volvo"}, "route": "echo/<slug:slug>/"}
    )
    assert resolutions == ["/echo/volvo/"]
    assert json.loads(wsgi("/echo/saab/").body)["slug"] == "saab"
    assert resolutions == ["/echo/volvo/", "/echo/saab/"]


def test_another_url_configuration_resolves_afresh(wsgi, resolutions):  # noqa: F811
    with override_settings(ROOT_URLCONF=__name__):
        assert json.loads(wsgi("/echo/volvo/").body)["slug"] == "volvo"
    with override_settings(ROOT_URLCONF=OtherUrls):
        assert json.loads(wsgi("/echo/volvo/").body) == {"other": "volvo"}
    assert len(resolutions) == 2


def test_a_path_no_pattern_takes_is_not_kept(wsgi, resolutions):  # noqa: F811
    # The site's own patterns: Wagtail's takes any path of words and hyphens, not a dot.
    assert wsgi("/no.such.thing/").status == 404
    assert wsgi("/no.such.thing/").status == 404
    assert resolutions == ["/no.such.thing/", "/no.such.thing/"]
    assert handler._resolved == {}


@override_settings(ROOT_URLCONF=__name__)
def test_no_more_paths_are_kept_than_the_bound(wsgi, resolutions, monkeypatch):  # noqa: F811
    monkeypatch.setattr(handler, "RESOLVED_PATHS", 3)
    for n in range(10):
        assert wsgi(f"/echo/car{n}/").status == 200
        assert len(handler._resolved) <= 3
    assert wsgi("/echo/car9/").status == 200
    assert resolutions.count("/echo/car9/") == 1  # the latest still kept
