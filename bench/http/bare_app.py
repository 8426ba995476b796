"""The Python ceiling: Django with one view returning a fixed page, and nothing else.

No apps, no middleware, no database: what gunicorn and Django's request handling cost alone.
bench/http_load.py serves it under the same gunicorn settings as Paddock, with the page in
PADDOCK_BENCH_PAGE (the article's HTML, saved from the site), so the two compare byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

PAGE = Path(os.environ["PADDOCK_BENCH_PAGE"]).read_bytes()


def page(request: HttpRequest, rest: str = "") -> HttpResponse:
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bare-django-has-no-secrets-to-keep"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
)
urlpatterns = [path("", page), path("<path:rest>", page)]
application = get_wsgi_application()
