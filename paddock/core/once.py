"""Forms that create something store it once, however often the same form is sent.

A form shown to a browser carries a signed stamp (paddock/core/forms.py) that is new each time
the form is shown and bound to that browser. `once` keys a view's POSTs on it: the first sent
with a stamp is answered as usual, and its answer (a redirect, or a page up to `MAX_CONTENT`
bytes) kept in core.FormSubmission; the same form sent again, a double click or a browser's
retry or a resend after a dropped connection, gets that answer again without the view
running. While the first is still being answered, a second waits for it (up to `WAIT`
seconds). An answer that refused the form (4xx, 5xx) is not kept: the form comes back with a
fresh stamp, and the corrected form is a new one. A form sent without a stamp bound to the
browser sending it (a shared one, accepted only where CSRF checks are off, or one issued to
another browser, which the form refuses) is not keyed: no one is answered with another's
answer. A first answer that never finished (its process was stopped, or the database went away
before the claim could be let go) is taken over by a resend after `ABANDONED` seconds. On
PostgreSQL the view's writes and its kept answer commit together, so such a first answer
also wrote nothing (`_answered_with_the_write`).

Answers are kept as long as a stamp is valid (PADDOCK_FORM_MAX_AGE); older ones are deleted
as the table is written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import random
import time
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse

from .forms import max_age, stamp_bound
from .models import FormSubmission

WAIT = 5.0
# A first answer still unfinished after this long is dead (gunicorn stops a worker after 30 s;
# or the database went away before the claim could be let go): a resend takes the form over.
ABANDONED = 60.0
MAX_CONTENT = 256 * 1024
_PRUNE_EVERY = 100
# What of the first answer is sent again, besides its body and htmx's HX-* headers.
KEPT_HEADERS = {"location", "content-type", "cache-control"}


def _key(request: HttpRequest) -> str | None:
    for name, value in request.POST.items():
        if (name == "started" or name.endswith("-started")) and stamp_bound(value, request):
            return hashlib.sha256(f"{request.path}\n{value}".encode()).hexdigest()
    return None


def _claim(key: str) -> bool:
    if random.randrange(_PRUNE_EVERY) == 0:  # noqa: S311 - not a secret
        FormSubmission.objects.filter(created__lt=time.time() - max_age()).delete()
    now = time.time()
    try:
        with transaction.atomic():
            FormSubmission.objects.create(key=key, created=now)
    except IntegrityError:
        # Taken over only if the first never finished and never will; at most one resend can
        # (the update is one statement).
        return bool(
            FormSubmission.objects.filter(key=key, status=0, created__lt=now - ABANDONED).update(
                created=now
            )
        )
    return True


def _keep(key: str, response: HttpResponse) -> None:
    if response.status_code >= 400 or response.streaming:
        FormSubmission.objects.filter(key=key).delete()
        return
    content = response.content if len(response.content) <= MAX_CONTENT else b""
    headers = [
        [name, value]
        for name, value in response.headers.items()
        if name.lower() in KEPT_HEADERS or name.lower().startswith("hx-")
    ]
    FormSubmission.objects.filter(key=key).update(
        status=response.status_code, headers=headers, content=content
    )


def _replay(key: str) -> HttpResponse:
    deadline = time.monotonic() + WAIT
    while True:
        first = FormSubmission.objects.filter(key=key).first()
        if first is None or first.status or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    if first is None or not first.status:
        # The first is still being answered (or failed meanwhile): say so rather than store twice.
        response = HttpResponse(
            "This form was already sent and is still being answered. Reload the page in a "
            "moment to see the result.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "5"
        return response
    response = HttpResponse(bytes(first.content), status=first.status)
    for name, value in first.headers:
        response[name] = value
    return response


def _answered_with_the_write():
    """On PostgreSQL, the view's writes and its kept answer commit together: a database that
    goes away after the view's write committed but before its answer was kept left the claim
    unanswered, and a resend took it over after ABANDONED seconds and stored the form again
    (bench/chaos.py found two such comments in 324). Now either both are stored (a resend
    gets the answer) or neither (a resend is the first). SQLite takes its one write lock when
    a transaction begins, which would hold every other writer for the whole view (an outside
    spam check included), so there the view's writes commit on their own, as before: its
    database, a local file, does not go away between two statements, though a process killed
    between them still leaves the claim for a resend to take over."""
    if connection.vendor == "postgresql":
        return transaction.atomic()
    return contextlib.nullcontext()


def once(view: Callable) -> Callable:
    """Decorate a view whose POST creates something (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        key = _key(request) if request.method == "POST" else None
        if key is None:
            return view(request, *args, **kwargs)
        if not _claim(key):
            return _replay(key)
        try:
            with _answered_with_the_write():
                response = view(request, *args, **kwargs)
                _keep(key, response)
        except BaseException:
            FormSubmission.objects.filter(key=key).delete()
            raise
        return response

    return wrapped
