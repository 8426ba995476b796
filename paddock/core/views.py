"""Site-wide endpoints that belong to no feature: robots.txt, favicon, health check, media
files."""

from __future__ import annotations

import re
import sys

from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from paddock.core.forms import FORM_NAME, form_started, stamp_rebind


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and feed readers ask for without reading the page: the
    icon from the static files (templates/base.html links it, and the SVG, too)."""
    response = HttpResponsePermanentRedirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


# What a request that met a busy or unreachable database is told to wait before trying again.
BUSY_RETRY_AFTER = 5
# PostgreSQL's codes for a statement cut off by statement_timeout (query_canceled) and for a
# lock not granted within lock_timeout (lock_not_available).
_BUSY_SQLSTATES = {"57014", "55P03"}
# The server shutting down or restarting under the connection (admin_shutdown, crash_shutdown,
# cannot_connect_now): away for a moment, like a dropped connection.
_AWAY_SQLSTATES = {"57P01", "57P02", "57P03"}


def database_busy(error: BaseException | None) -> bool:
    """Whether `error` is the database being slow, locked or away (worth trying again later),
    not a mistake in the request or the code. Errors raised while handling one (a session
    that could not be saved once the database went away) are judged by the first."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError):
            return _operational_busy(error)
        error = error.__cause__ or error.__context__
    return False


def _operational_busy(error: OperationalError) -> bool:
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:
        return (
            sqlstate in _BUSY_SQLSTATES
            or sqlstate in _AWAY_SQLSTATES
            or sqlstate.startswith("08")  # 08: connection
        )
    text = str(error).lower()
    # SQLite's busy timeout ran out; or PostgreSQL could not be reached at all (no code then).
    return "database is locked" in text or "connect" in text


def server_error(request: HttpRequest) -> HttpResponse:
    """500, unless the error was the database being busy: then 503 with Retry-After, so a
    person (or a client) knows to try again. Renders without touching the database."""
    from django.template.loader import render_to_string
    from django.views.defaults import server_error as django_server_error

    if not database_busy(sys.exception()):
        return django_server_error(request)
    body = render_to_string("503.html", {"retry_after": BUSY_RETRY_AFTER})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while this process can serve (the database answers), 503 when
    it cannot. The body says what answers: {"status": "ok" | "degraded" | "unavailable",
    "database": "ok" | "unavailable", "cache": "ok" | "degraded"}. A degraded cache (Redis
    unreachable) still serves every page, from the database and slower, so it stays 200."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure to reach the database means "unhealthy"
        database = "unavailable"
    reachable = getattr(caches["default"], "reachable", None)
    cache = "ok" if reachable is None or reachable() else "degraded"
    status = cache if database == "ok" else "unavailable"
    body = {"status": status, "database": database, "cache": cache}
    return JsonResponse(body, status=503 if database != "ok" else 200)


health.shows_no_site = True  # no Wagtail site to look up for it (newsroom's SiteMiddleware)


MEDIA_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'; sandbox"
)


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files, when no web server in front serves MEDIA_ROOT (the embedded default).

    MEDIA_ROOT is read per request, not when the URLs load, so settings changed later apply.
    Uploads are the readers' and editors', not the site's: nothing in them may run, even an
    SVG or HTML document opened on its own (deploy/nginx/paddock.conf sends the same policy).
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response


@never_cache
@require_safe
def csrf_token(request: HttpRequest) -> JsonResponse:
    """A CSRF token for the forms of a cached page (static/js/csrf.js asks for it), and for
    each `form` named in the query, a stamp of when it was shown bound to this browser
    (paddock.core.forms), in place of the shared one the cached page holds."""
    from django.middleware.csrf import get_token

    token = get_token(request)
    names = [name for name in request.GET.getlist("form")[:10] if FORM_NAME.match(name)]
    stamps = {name: form_started(form=name, request=request) for name in names}
    response = JsonResponse({"token": token, "stamps": stamps})
    response["Cache-Control"] = "private, no-store"
    return response


# Fields never written back into a page: whatever is named like a password, secret or token
# (the CSRF field itself is issued anew).
SECRET_FIELD = re.compile(r"pass|pwd|secret|token|otp|key|csrf", re.IGNORECASE)


def _resendable(request: HttpRequest) -> bool:
    """Whether the form may come back for one confirming click: an anonymous visitor's POST to
    a view listed in PADDOCK_CSRF_RESEND_VIEWS (forms where a forged request does no harm, such
    as the newsletter sign-up, which still asks the address to confirm by email)."""
    if request.method != "POST" or request.user.is_authenticated:
        return False
    try:
        match = resolve(request.path_info)
    except Http404:
        return False
    return match.view_name in settings.PADDOCK_CSRF_RESEND_VIEWS


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid CSRF token.

    Most often a form from a cached page sent with JavaScript off, or a page left open too long;
    but it may just as well be a form another site sent in this browser's name. Only the few
    harmless forms of PADDOCK_CSRF_RESEND_VIEWS come back, filled in as sent (less anything
    secret) and with a token, to send with one click. Every other form, sign-in, sign-up and
    account forms above all, gets a plain refusal that says what to do: a forged sign-in one
    click away from succeeding would log the visitor in as the forger.
    """
    from django.shortcuts import render

    fields = []
    if _resendable(request):
        fields = [
            (name, stamp_rebind(request, value) if name == "started" else value)
            for name, values in request.POST.lists()
            if not SECRET_FIELD.search(name)
            for value in values
        ][:50]
    return render(
        request,
        "core/csrf_failure.html",
        {"fields": fields, "action": request.get_full_path()},
        status=403,
    )


# allauth's limits (sign-up, sign-in, password resets) answer through this handler. Their
# windows run from one to fifteen minutes; a minute is when trying again can first work.
ACCOUNT_RETRY_AFTER = 60


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    """429 for the account flows' rate limits, with Retry-After like every other limit."""
    from django.shortcuts import render

    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(ACCOUNT_RETRY_AFTER)
    return response
