"""The security headers Django's own SecurityMiddleware does not send.

Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY), with its own,
looser policy for the Wagtail admin (CONTENT_SECURITY_POLICY_ADMIN), which needs inline styles
the public site does without; Permissions-Policy turns off the browser features no page uses
(settings.PERMISSIONS_POLICY). The middleware sits inside the full-page cache, so a stored page
keeps these headers and every cache hit, answered before Django, sends them too.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` as "camera=(), fullscreen=(self)"."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under /admin/ and Permissions-Policy."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own policy (django-csp's decorators) wins over the admin's.
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if "Permissions-Policy" not in response and settings.PERMISSIONS_POLICY:
            response["Permissions-Policy"] = permissions_policy(settings.PERMISSIONS_POLICY)
        return response
