"""The sign-up box under every article, and the sign-up form's hidden parts, built in Python.

Through the template engine, the box (with its fields, its honeypot and its stamp) was about
0.4 ms of each article's first render after a publish; here it is a few string joins around
the form's own widgets, which Django renders (and the form renderer keeps). Every value goes
through `conditional_escape`, as a template's variables do.
"""

from __future__ import annotations

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from paddock.core.forms import csrf_field, human_check_html
from paddock.core.urls import reverse_plain
from paddock.pages.templatetags.pages_tags import footer_links

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
    email, name = form["email"], form["name"]
    action = conditional_escape(reverse_plain("newsletter:signup"))
    email_errors = email.errors
    privacy = footer_links(request)["privacy"]
    privacy_link = (
        f' <a class="privacy-link" href="{conditional_escape(privacy)}">'
        "Read our privacy policy.</a>"
        if privacy
        else " "
    )
    return mark_safe(  # noqa: S308 - escaped, or Django's own HTML
        '<section class="newsletter-cta" id="newsletter-signup" '
        'aria-labelledby="newsletter-cta-heading">\n'
        '<h2 id="newsletter-cta-heading" class="newsletter-cta__title">Get the latest '
        f"{conditional_escape(site_name)} e-Newsletter!</h2>\n"
        '<p class="newsletter-cta__intro">The week\'s best stories in your inbox, or every '
        "morning if you prefer. Free, and one click to leave.</p>\n"
        f'<form class="newsletter-form" method="post" action="{action}" hx-post="{action}" '
        'hx-target="#newsletter-signup" hx-swap="outerHTML" novalidate>\n'
        f"{csrf_field(request)}\n"
        f"{fields(form, request, form['source'].value() or getattr(request, 'path', ''))}\n"
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
        f'<p class="newsletter-form__consent">{conditional_escape(form.consent_text)}'
        f"{privacy_link} "
        f'<a href="{conditional_escape(reverse_plain("newsletter:manage"))}">'
        "Already subscribed?</a></p>\n</form>\n</section>"
    )
