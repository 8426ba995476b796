"""The sign-up box under every article, and the sign-up form's hidden parts, built in Python.

Through the template engine, the box (with its fields, its honeypot and its stamp) was about
0.4 ms of each article's first render after a publish; here it is a few string joins around
the form's own widgets, which Django renders (and the form renderer keeps). Every value goes
through `conditional_escape`, as a template's variables do.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from paddock.core.forms import csrf_field, form_started, human_check_html
from paddock.core.urls import current_script_prefix, reverse_plain
from paddock.pages.templatetags.pages_tags import privacy_link_html

from . import policy
from .forms import SignupForm


def fields(form: SignupForm, request, source: str = "") -> SafeString:
    """What every sign-up form carries besides its inputs: its errors not tied to a field,
    the honeypot and stamp, and the page the reader signed up from (`source`, else the
    request's own path)."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        parts.append(f'<div class="form-errors" role="alert">{errors}</div>')
    parts.append(human_check_html(form))
    path = source or getattr(request, "path", "")
    parts.append(f'<input type="hidden" name="source" value="{conditional_escape(path)}">')
    return mark_safe("\n".join(parts))  # noqa: S308 - escaped above, or Django's own HTML


def signup_box(form: SignupForm, request, site_name: str) -> SafeString:
    """The box: a heading, the address and name, the consent line and links; sent in place
    by htmx when present (the view answers with this box again, errors and all)."""
    return _box(
        form,
        site_name=conditional_escape(site_name),
        csrf_html=csrf_field(request),
        source=form["source"].value() or getattr(request, "path", ""),
        privacy_link=_privacy_link(request),
        consent=conditional_escape(form.consent_text),
    )


def _privacy_link(request) -> str:
    """What stands between the consent line and the link for subscribers: a space, and the
    privacy policy's link when the site has one."""
    return f" {privacy_link_html(request)}"


def _box(form, *, site_name, csrf_html, source, privacy_link, consent) -> SafeString:
    email, name = form["email"], form["name"]
    action = conditional_escape(reverse_plain("newsletter:signup"))
    email_errors = email.errors
    return mark_safe(  # noqa: S308 - escaped, or Django's own HTML
        '<section class="newsletter-cta" id="newsletter-signup" '
        'aria-labelledby="newsletter-cta-heading">\n'
        '<h2 id="newsletter-cta-heading" class="newsletter-cta__title">Get the latest '
        f"{site_name} e-Newsletter!</h2>\n"
        '<p class="newsletter-cta__intro">The week\'s best stories in your inbox, or every '
        "morning if you prefer. Free, and one click to leave.</p>\n"
        f'<form class="newsletter-form" method="post" action="{action}" hx-post="{action}" '
        'hx-target="#newsletter-signup" hx-swap="outerHTML" novalidate>\n'
        f"{csrf_html}\n"
        f"{fields(form, None, source)}\n"
        '<div class="newsletter-form__row">\n'
        f'<div class="newsletter-form__field{" field--error" if email_errors else ""}">\n'
        f'<label for="{conditional_escape(email.id_for_label)}">'
        f"{conditional_escape(email.label)}</label>\n{email}\n"
        + (f'<div class="field-error">{email_errors}</div>\n' if email_errors else "")
        + "</div>\n"
        '<div class="newsletter-form__field">\n'
        f'<label for="{conditional_escape(name.id_for_label)}">Name '
        '<span class="quote-form__optional">(optional)</span></label>\n'
        f"{name}\n</div>\n</div>\n"
        '<button class="button" type="submit">Subscribe</button>\n'
        f'<p class="newsletter-form__consent">{consent}{privacy_link} '
        f'<a href="{conditional_escape(reverse_plain("newsletter:manage"))}">'
        "Already subscribed?</a></p>\n</form>\n</section>"
    )


# What differs between two boxes on pages every reader may share: letters only, which nothing
# escapes or changes, standing in for it in the markup made once a process.
_STAND_INS = {
    name: f"paddockbox{name}x" for name in ("site", "source", "privacy", "consent", "stamp")
}
_SPLIT = re.compile("(" + "|".join(_STAND_INS.values()) + ")")
_NAMES = {stand_in: name for name, stand_in in _STAND_INS.items()}


def shared_signup_box(request, site_name: str) -> SafeString:
    """What signup_box gives for a fresh form on a page every reader may share (a stamp bound
    to no browser, the CSRF field filled in the browser), without making the form: its markup
    (fields, widgets and their attributes, all code) is made once a process around stand-ins
    for the site's name, the page's address, the privacy link, the consent line and the
    stamp, which each render puts in."""
    pieces, names = _shared_markup(current_script_prefix(), get_language())
    values = {
        "site": conditional_escape(site_name),
        "source": conditional_escape(getattr(request, "path", "")),
        "privacy": _privacy_link(request),
        "consent": conditional_escape(policy.consent_text()),
        "stamp": conditional_escape(form_started(form=SignupForm.stamp_form)),
    }
    out = [pieces[0]]
    for name, piece in zip(names, pieces[1:], strict=True):
        out += (values[name], piece)
    return mark_safe("".join(out))  # noqa: S308 - escaped above, or made by _box


@lru_cache(maxsize=16)
def _shared_markup(script_prefix: str, language: str | None) -> tuple[tuple, tuple]:
    """The shared box's markup split at its stand-ins, and which stands where (for each URL
    prefix and language: its addresses and labels)."""
    form = SignupForm()
    form.initial["started"] = _STAND_INS["stamp"]
    html = _box(
        form,
        site_name=_STAND_INS["site"],
        csrf_html=csrf_field(None, shared=True),
        source=_STAND_INS["source"],
        privacy_link=_STAND_INS["privacy"],
        consent=_STAND_INS["consent"],
    )
    parts = _SPLIT.split(html)
    return tuple(parts[0::2]), tuple(_NAMES[s] for s in parts[1::2])


@lru_cache(maxsize=16)
def _widget(site_name: str, script_prefix: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped
        '<section class="widget newsletter-widget" aria-labelledby="newsletter-widget-heading">\n'
        '<h2 id="newsletter-widget-heading" class="widget__title">Newsletter</h2>\n'
        f"<p>Get the latest {conditional_escape(site_name)} e-Newsletter! The best stories, "
        "daily or weekly.</p>\n"
        '<form class="quote-widget__form" method="get" '
        f'action="{conditional_escape(reverse_plain("newsletter:signup"))}">\n'
        '<label for="newsletter-widget-email">Your email address</label>\n'
        '<input id="newsletter-widget-email" type="email" name="email" autocomplete="email" '
        'maxlength="254">\n'
        '<button class="button" type="submit">Sign up</button>\n</form>\n</section>'
    )


def widget(site_name: str) -> SafeString:
    """The sidebar's and footer's invitation to sign up, made once a process (for each site
    name and script prefix: it holds nothing else)."""
    return _widget(site_name, current_script_prefix())
