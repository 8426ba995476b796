"""The security middleware sends, for every response, the headers django-csp's own path sends:
the settings' policy (built once a process) where nothing changed it, and django-csp's
answer wherever a view's decorators, a nonce, an exemption or an excluded prefix change it."""

from __future__ import annotations

import pytest
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from paddock.core.security import SecurityHeadersMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _answer(view, path: str, *, nonce: bool = False, djangos: bool = False) -> dict:
    request = RequestFactory().get(path)
    middleware = SecurityHeadersMiddleware(lambda request: view(request))
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template asked for it
    response = view(request)
    if djangos:  # django-csp's own way, with this middleware's admin policy
        response = CSPMiddleware.process_response(middleware, request, response)
    else:
        response = middleware.process_response(request, response)
    return {name: response.get(name) for name in HEADERS}


def plain(request):
    return HttpResponse("ok")


@csp_update({"img-src": ["https://images.example"]})
def updated(request):
    return HttpResponse("ok")


@csp_replace({"script-src": ["'self'", "https://cdn.example"]})
def replaced(request):
    return HttpResponse("ok")


@csp_exempt()
def exempt(request):
    return HttpResponse("ok")


def with_header(request):
    response = HttpResponse("ok")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@pytest.mark.parametrize("view", [plain, updated, replaced, exempt, with_header])
@pytest.mark.parametrize("path", ["/", "/news/a-story/", "/admin/pages/"])
@pytest.mark.parametrize("nonce", [False, True])
def test_the_headers_are_django_csps(view, path, nonce):
    ours = _answer(view, path, nonce=nonce)
    assert ours == _answer(view, path, nonce=nonce, djangos=True)
    if view is plain and not nonce:
        assert "default-src 'self'" in ours["Content-Security-Policy"]
        assert ("'unsafe-inline'" in ours["Content-Security-Policy"]) is path.startswith("/admin/")


def test_changed_settings_change_the_headers(settings):
    before = _answer(plain, "/")
    settings.CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/feeds/"],
        "DIRECTIVES": {"default-src": ["'none'"]},
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    for path in ("/", "/feeds/rss/"):
        ours = _answer(plain, path)
        assert ours == _answer(plain, path, djangos=True)
    assert _answer(plain, "/") != before
    assert _answer(plain, "/")["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    assert _answer(plain, "/feeds/rss/")["Content-Security-Policy"] is None


def test_a_nonce_asked_for_after_the_headers_is_refused():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    middleware = SecurityHeadersMiddleware(plain)
    middleware.process_request(request)
    middleware.process_response(request, plain(request))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
