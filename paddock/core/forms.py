"""What every public form carries against scripts: a honeypot field people never see, and a
signed stamp of when the form was shown, so that a form sent back faster than a person could
fill it in is refused (with a fresh stamp, so a person can simply send it again).

A stamp names the form it was issued for and the browser it was issued to: the browser's
session, or, without one, its CSRF secret, which every POST must carry anyway. It expires after
PADDOCK_FORM_MAX_AGE seconds. So one stamp cannot be replayed from another browser, on another
form, or for days. A page the full-page cache may share holds only a stamp bound to no browser
("shared"), marked data-stamp-fill: static/js/csrf.js swaps it for a bound one from /csrf/, and
without JavaScript the CSRF failure page (paddock.core.views.csrf_failure) binds it. A shared
stamp is accepted only from a request with neither session nor CSRF cookie, which
CsrfViewMiddleware lets through only where CSRF checks are off (Django's test client).
"""

from __future__ import annotations

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SALT = "paddock.core.form-started"
BINDING_SALT = "paddock.core.form-started.browser"
# What /csrf/ accepts as a form's name (HumanCheckMixin.stamp_form and the like).
FORM_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def max_age() -> float:
    return float(getattr(settings, "PADDOCK_FORM_MAX_AGE", 4 * 3600))


def _digest(identity: str) -> str:
    # The stamp is signed, not encrypted: it carries a keyed digest, never the secret itself.
    return salted_hmac(BINDING_SALT, identity).hexdigest()[:24] if identity else ""


def _holder(request: HttpRequest) -> str:
    """What a stamp issued to this request is bound to: its session, else its CSRF secret
    (made now if the browser has none, as rendering a CSRF token does)."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return "session:" + session.session_key
    from django.middleware.csrf import get_token

    get_token(request)
    return "csrf:" + request.META["CSRF_COOKIE"]


def _identities(request: HttpRequest | None) -> set[str]:
    """The digests of what this request holds: its session and its CSRF secret, if any."""
    if request is None:
        return set()
    held = set()
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        held.add(_digest("session:" + session.session_key))
    if secret := request.META.get("CSRF_COOKIE"):
        held.add(_digest("csrf:" + secret))
    return held


def stamp_make(*, form: str, identity: str = "", at: float | None = None) -> str:
    """A stamp for `form`, shown at `at` (now), bound to `identity` ("" for a shared one)."""
    started = time.time() if at is None else at
    return signing.dumps({"t": started, "f": form, "b": _digest(identity)}, salt=SALT)


def form_started(*, form: str, request: HttpRequest | None = None) -> str:
    """A stamp for `form` shown now, bound to the request's browser; shared without one."""
    return stamp_make(form=form, identity=_holder(request) if request is not None else "")


def _read(value: str) -> dict | None:
    try:
        stamp = signing.loads(value or "", salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if (
        not isinstance(stamp, dict)
        or not isinstance(stamp.get("t"), int | float)
        or not isinstance(stamp.get("f"), str)
        or not isinstance(stamp.get("b"), str)
    ):
        return None
    return stamp


def stamp_bound(value: str, request: HttpRequest) -> bool:
    """Whether `value` is one of our stamps, bound to this request's browser (not a shared
    one, nor one issued to another browser)."""
    stamp = _read(value)
    return stamp is not None and bool(stamp["b"]) and stamp["b"] in _identities(request)


def form_age(value: str, *, form: str, request: HttpRequest | None) -> float | None:
    """Seconds since the form was shown, or None when the stamp is not one of ours, is for
    another form or another browser, or has expired."""
    stamp = _read(value)
    if stamp is None or stamp["f"] != form:
        return None
    held = _identities(request)
    # A browser that holds a session or a CSRF secret must show a stamp bound to one of them.
    allowed = held or {""}
    if stamp["b"] not in allowed:
        return None
    age = time.time() - stamp["t"]
    return age if age <= max_age() else None


def stamp_rebind(request: HttpRequest, value: str) -> str:
    """The stamp of a form sent back for one confirming click (the CSRF failure page): a
    shared stamp still in date keeps its time and is bound to this browser; any other of ours
    is replaced by a fresh one for the same form; anything else is left as it came."""
    stamp = _read(value)
    if stamp is None:
        return value
    if stamp["b"] == "" and 0 <= time.time() - stamp["t"] <= max_age():
        return stamp_make(form=stamp["f"], identity=_holder(request), at=stamp["t"])
    return form_started(form=stamp["f"], request=request)


def stamp_widget(field: forms.Field, *, form: str, shared: bool) -> None:
    """Mark a shared stamp's field for static/js/csrf.js to fill in with a bound one."""
    if shared:
        field.widget.attrs["data-stamp-fill"] = form


class HumanCheckMixin(forms.Form):
    """Mix into a public form; `min_seconds` (default settings.PADDOCK_FORM_MIN_SECONDS) is how
    long a person takes at the least (a form with a setting of its own overrides
    `minimum_seconds`), `stamp_form` names the form in its stamp. Pass the `request` when there
    is one: the stamp is bound to its browser (a form made without one, on a page every reader
    may share, gets a shared stamp that the browser swaps). Templates include
    "core/includes/human_check.html" and show the form's non-field errors, where these
    checks put theirs."""

    min_seconds: float | None = None
    stamp_form: str = ""
    too_fast_message = "That was quick! Check what you wrote and send it again."
    expired_message = "This form has expired; send it again."

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth's LoginForm takes the request too, and keeps it as self.request.
        self.request = request or getattr(self, "request", None)
        if not self.is_bound:
            self.initial["started"] = form_started(form=self._stamp_name(), request=self.request)
            stamp_widget(
                self.fields["started"], form=self._stamp_name(), shared=self.request is None
            )

    def _stamp_name(self) -> str:
        return self.stamp_form or type(self).__name__.lower()

    def minimum_seconds(self) -> float:
        """How long a person takes at the least; 0 turns the stamp check off (as tests do)."""
        default = getattr(settings, "PADDOCK_FORM_MIN_SECONDS", 3)
        return default if self.min_seconds is None else min(self.min_seconds, default)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.add_error(None, "Leave the hidden field empty; it is there to catch robots.")
        minimum = self.minimum_seconds()
        if minimum > 0:
            age = form_age(
                cleaned.get("started", ""), form=self._stamp_name(), request=self.request
            )
            if age is None:
                self.add_error(None, self.expired_message)
            elif age < minimum:
                self.add_error(None, self.too_fast_message)
        if self.errors and self.is_bound:
            # A fresh stamp, so the person can send the form again as it stands.
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = form_started(
                form=self._stamp_name(), request=self.request
            )
        return cleaned


def human_check_html(form) -> SafeString:
    """A public form's honeypot (hidden from people and from screen readers) and its signed
    start time, as forms that mix in HumanCheckMixin show them
    ("core/includes/human_check.html" and markup built in Python alike)."""
    website = form["website"]
    return mark_safe(  # noqa: S308 - every value is escaped, the fields are Django's widgets
        f'<div class="honeypot" aria-hidden="true"><label for="'
        f'{conditional_escape(website.id_for_label)}">{conditional_escape(website.label)}'
        f"</label>{website}</div>{form['started']}"
    )


def csrf_field(request: HttpRequest | None, *, shared: bool = False) -> SafeString:
    """The CSRF field of a form on a page the full-page cache may keep.

    On such a page (an anonymous reader's GET) the field is left empty, so the page holds nothing
    tied to one visitor and sets no cookie; static/js/csrf.js fills it from /csrf/ when the page
    loads, and without JavaScript the form's first post comes back for one confirming click
    (paddock.core.views.csrf_failure). Elsewhere it is Django's usual field. `shared`: the
    field of such a page, whatever the request.
    """
    from django.middleware.csrf import get_token

    from .pagecache import shareable

    if shared or (request is not None and shareable(request)):
        return mark_safe(  # noqa: S308 - a constant
            '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf-fill>'
        )
    token = get_token(request) if request is not None else ""
    return mark_safe(  # noqa: S308 - escaped
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(token)}">'
    )
