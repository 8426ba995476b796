"""Form stamps for tests that post a form without showing it first (paddock.core.forms)."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client

from paddock.core.forms import stamp_make


def stamp_for(client: Client, form: str, ago: float = 5.0) -> str:
    """A stamp for `form` shown `ago` seconds before, bound to the test client's browser: its
    session, else its CSRF cookie, else (a client holding neither) to none."""
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    csrf = client.cookies.get(settings.CSRF_COOKIE_NAME)
    if session is not None and session.value:
        identity = "session:" + session.value
    elif csrf is not None and csrf.value:
        identity = "csrf:" + csrf.value
    else:
        identity = ""
    return stamp_make(form=form, identity=identity, at=time.time() - ago)
