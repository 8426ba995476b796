"""The security headers Django's own SecurityMiddleware does not send.

Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY), with its own,
looser policy for the Wagtail admin (CONTENT_SECURITY_POLICY_ADMIN), which needs inline styles
the public site does without; Permissions-Policy turns off the browser features no page uses
(settings.PERMISSIONS_POLICY). The middleware sits inside the full-page cache, so a stored page
keeps these headers and every cache hit, answered before Django, sends them too.

django-csp builds the policy's text from the settings for every response (twice: the policy and
the report-only one). Where no view changed the policy (its decorators) and no nonce was asked
for, which is every page of the site but the admin's forms, the middleware sends the same text
built once a process instead (built again when the settings change, as tests do).
"""

from __future__ import annotations

from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"
# What a view's django-csp decorators set on its response to change its policy.
_VIEW_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@lru_cache(maxsize=4)
def _settings_policies(admin: bool) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """The policy and the report-only policy as django-csp builds them from the settings, for
    the admin or the site, each with the URL prefixes it leaves out."""
    config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]) if admin else None
    return (
        build_policy(config=config),
        _excluded("CONTENT_SECURITY_POLICY"),
        build_policy(report_only=True),
        _excluded("CONTENT_SECURITY_POLICY_REPORT_ONLY"),
    )


def _excluded(name: str) -> tuple[str, ...]:
    return tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())


@receiver(setting_changed, dispatch_uid="paddock.core.security.setting_changed")
def _settings_changed(**kwargs) -> None:
    _settings_policies.cache_clear()


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
        if self._settings_policy_applies(request, response):
            self._send_settings_policy(request, response)
        else:
            response = super().process_response(request, response)
        if "Permissions-Policy" not in response and settings.PERMISSIONS_POLICY:
            response["Permissions-Policy"] = permissions_policy(settings.PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _settings_policy_applies(request: HttpRequest, response: HttpResponseBase) -> bool:
        """Whether the response gets the settings' policy unchanged: no decorator changed it,
        no nonce was made for it, and it is not one django-csp leaves alone (an error page
        while DEBUG is on)."""
        if settings.DEBUG and response.status_code in (404, 500):
            return False
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        return not any(hasattr(response, name) for name in _VIEW_POLICY)

    def _send_settings_policy(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """What CSPMiddleware.process_response does for such a response, with the policies'
        text built once a process."""
        path = request.path_info
        policy, excluded, report_only, excluded_ro = _settings_policies(
            path.startswith(ADMIN_PREFIX)
        )
        for header, value, exempt, left_out in (
            (HEADER, policy, "_csp_exempt", excluded),
            (HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro", excluded_ro),
        ):
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not path.startswith(left_out)
            ):
                response[header] = value
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
