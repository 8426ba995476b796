"""The newsletter's invitations: the sign-up box on articles, the footer form, and the panel on
the reader's account page. The first two make no query and hold nothing tied to one visitor
(the box's CSRF field is filled in the browser, see paddock.core's csrf_field), so the pages
around them stay cacheable and keep their query counts."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from paddock.core.pagecache import shareable

from .. import box
from ..forms import SignupForm
from ..selectors import subscriber_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_signup_box(context) -> SafeString:
    """The sign-up box under an article (box.signup_box)."""
    request = context.get("request")
    # On a page every reader may share, the form's stamp is shared too (the browser swaps it
    # for its own); a signed-in reader's page is theirs, and so is its stamp.
    site_name = context.get("SITE_NAME", "")
    if request is None:
        return box.signup_box(SignupForm(), None, site_name)
    if not shareable(request):
        return box.signup_box(SignupForm(request=request), request, site_name)
    return box.shared_signup_box(request, site_name)


@register.simple_tag(takes_context=True)
def newsletter_fields(context, form, source="") -> SafeString:
    """A sign-up form's errors, honeypot, stamp and source (box.fields)."""
    return box.fields(form, context.get("request"), source or "")


@register.simple_tag(takes_context=True)
def newsletter_widget(context) -> SafeString:
    """The sidebar's and footer's invitation: a GET form to the sign-up page, so it adds no
    CSRF token and no query to any page (box.widget)."""
    # Not on the newsletter's own pages, which are all about it already, nor beside the
    # account forms, whose address fields it would only be confused with.
    request = context.get("request")
    path = getattr(request, "path", "")
    if path.startswith(("/newsletter/", "/accounts/")):
        return SafeString("")
    return box.widget(context.get("SITE_NAME") or "")


@register.inclusion_tag("newsletter/includes/account_panel.html", takes_context=True)
def newsletter_account_panel(context) -> dict:

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "subscriber": subscriber_for_user(user) if user is not None else None,
        "SITE_NAME": context.get("SITE_NAME"),
    }
