"""Emails written as templates: a plain-text body, optionally an HTML alternative, both rendered
from one context.

Every one-off email of the site (reply notifications, moderation notices, lead emails, the
newsletter's confirmation and preferences links) is built here, so they all leave the same way:
from DEFAULT_FROM_EMAIL, through the configured backend, an error raised rather than swallowed.

The newsletter's editions do not come through here: they render once per edition and fill in
each subscriber's links by substitution, and go out on one connection per batch
(paddock/newsletter/rendering.py and delivery.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_message(
    *,
    subject: str,
    template: str,
    context: dict,
    to: Sequence[str],
    html_template: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The email, built but not sent: `template` renders the text/plain body, `html_template`
    (when given) a text/html alternative. All of `to` are on one message."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(template, context),
        to=list(to),
        headers=dict(headers) if headers else None,
    )
    if html_template:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    return message


def send_templated(
    *,
    subject: str,
    template: str,
    context: dict,
    to: Sequence[str],
    html_template: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> int:
    """Build the email as `templated_message` does and send it now; how many were sent (1)."""
    return templated_message(
        subject=subject,
        template=template,
        context=context,
        to=to,
        html_template=html_template,
        headers=headers,
    ).send()
