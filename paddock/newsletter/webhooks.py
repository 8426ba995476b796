"""The email provider's tracking webhook (/newsletter/anymail/<provider>/tracking/), served
through django-anymail's view for that provider, but only on our terms:

- it exists only for the provider that EMAIL_BACKEND names (anything else is a 404), so a site
  that sends by SMTP has no webhook at all;
- it takes a post only with valid authentication: anymail's WEBHOOK_SECRET (HTTP basic auth),
  or the provider's signature where anymail checks one and its key is set. A provider set up
  with neither is a system check error (newsletter.E001) and its webhook refuses every post,
  where anymail itself would only warn and then accept anyone's bounces.

The route is resolved from settings on each request, so changing EMAIL_BACKEND needs no
change of URLs.
"""

from __future__ import annotations

import logging
import warnings

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

BACKEND_PREFIX = "anymail.backends."

FIX = (
    'Set ANYMAIL={{"WEBHOOK_SECRET": "<user>:<long random password>", ...}} and give the '
    "provider the webhook URL https://<user>:<password>@<your host>/newsletter/anymail/"
    "{provider}/tracking/, or set the provider's webhook signing key in ANYMAIL where anymail "
    "checks its signature (see docs/newsletter.md)."
)


def configured_provider() -> str | None:
    """The provider EMAIL_BACKEND sends through ("postmark"), or None for plain SMTP and the
    like."""
    backend = str(getattr(settings, "EMAIL_BACKEND", "") or "")
    if not backend.startswith(BACKEND_PREFIX):
        return None
    return backend[len(BACKEND_PREFIX) :].rpartition(".")[0] or None


def _tracking_view_class(provider: str):
    from anymail import urls

    for pattern in urls.urlpatterns:
        if getattr(pattern, "name", None) == f"{provider}_tracking_webhook":
            return pattern.callback.view_class
    return None  # a backend without webhooks (anymail's test and console backends)


def _secured_view(view_class):
    """An instance of anymail's view, and why it would take unauthenticated posts (None when
    it is protected)."""
    try:
        view = view_class()
    except ImproperlyConfigured as exc:  # a provider whose signing key anymail requires
        return None, str(exc)
    # Anymail clears warn_if_no_basic_auth exactly when it checks a signature instead.
    if view.basic_auth or not view.warn_if_no_basic_auth:
        return view, None
    return view, "neither ANYMAIL's WEBHOOK_SECRET nor a webhook signing key is set"


@csrf_exempt  # the provider signs or authenticates its posts; it has no cookie to send
def tracking(request: HttpRequest, provider: str) -> HttpResponse:
    if provider != configured_provider():
        raise Http404("No email provider webhook here.")
    view_class = _tracking_view_class(provider)
    if view_class is None:
        raise Http404("This email provider has no tracking webhook.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the system check reports it, with the fix
        view, problem = _secured_view(view_class)
    if problem:
        logger.error(
            "Refused a %s webhook post: the webhook has no authentication (%s). %s",
            provider,
            problem,
            FIX.format(provider=provider),
        )
        return HttpResponse(
            "This webhook is not set up to authenticate its posts.\n",
            status=403,
            content_type="text/plain",
        )
    from anymail.exceptions import AnymailWebhookValidationFailure

    view.setup(request, provider=provider)
    try:
        return view.dispatch(request)
    except AnymailWebhookValidationFailure:
        if view.basic_auth and not request.headers.get("Authorization"):
            # Some providers send credentials only when challenged.
            response = HttpResponse("Authentication required.\n", status=401)
            response["WWW-Authenticate"] = 'Basic realm="email provider webhook"'
            return response
        return HttpResponse(
            "Invalid webhook credentials or signature.\n", status=403, content_type="text/plain"
        )


@checks.register(checks.Tags.security)
def check_webhook_authentication(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    provider = configured_provider()
    view_class = _tracking_view_class(provider) if provider else None
    if view_class is None:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, problem = _secured_view(view_class)
    if not problem:
        return []
    return [
        checks.Error(
            f"The {provider} tracking webhook would take bounces and complaints from anyone: "
            f"{problem}.",
            hint=FIX.format(provider=provider),
            id="newsletter.E001",
        )
    ]
