"""Background work of the newsletter: its emails to one address, delivering editions, and the
periodic jobs (digests, scheduled editions, recovery) that settings.PADDOCK_SCHEDULE runs."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from paddock.core.urls import absolute_url

from . import delivery, policy, rendering, services, tokens
from .models import Edition, SignupRequest, Subscriber

logger = logging.getLogger(__name__)

CONFIRM = ("newsletter_confirm", "Confirm your subscription to the {site} newsletter")
NOTICES = {
    "already_subscribed": ("newsletter_already", "You already get the {site} newsletter"),
    "manage": ("newsletter_manage", "Your {site} newsletter preferences"),
}


def _send(template: str, subject: str, to: str, context: dict, retry, attempt: int) -> bool:
    """Send one email to one address; a mail server that fails is tried again later, with the
    same backoff as editions. The context holds links and our own words only: these emails
    go wherever a stranger typed an address, so nothing typed into a form appears in them."""
    message = rendering.transactional(
        template=template,
        subject=subject.format(site=settings.WAGTAIL_SITE_NAME),
        to=to,
        context=context,
    )
    try:
        message.send()
    except Exception:
        if attempt >= policy.max_attempts():
            raise
        logger.warning("Newsletter %s email failed; retrying", template)
        retry_at = timezone.now() + dt.timedelta(seconds=policy.backoff_seconds(attempt))
        retry(retry_at)
        return False
    return True


@task(backend="background")
def send_confirmation(request_id: int, attempt: int = 1) -> bool:
    """Email a sign-up request's confirmation link to its address."""
    request = SignupRequest.objects.filter(pk=request_id, confirmed_at__isnull=True).first()
    if request is None:
        return False
    template, subject = CONFIRM
    context = {
        "confirm_url": absolute_url(
            reverse("newsletter:confirm", args=[tokens.confirm_token(request.key)])
        ),
        "confirm_days": policy.confirm_max_age() // 86400,
    }
    return _send(
        template,
        subject,
        request.email,
        context,
        lambda when: send_confirmation.using(run_after=when).enqueue(request_id, attempt + 1),
        attempt,
    )


@task(backend="background")
def send_notice(subscriber_id: int, kind: str, attempt: int = 1) -> bool:
    """Email one subscriber the link to their preferences (asked for, or because their
    address was typed into the sign-up form again)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or kind not in NOTICES:
        return False
    template, subject = NOTICES[kind]
    context = {"manage_url": rendering.manage_url(subscriber.key)}
    return _send(
        template,
        subject,
        subscriber.email,
        context,
        lambda when: send_notice.using(run_after=when).enqueue(subscriber_id, kind, attempt + 1),
        attempt,
    )


@task(backend="background")
def prune_signup_requests() -> int:
    """Periodic: erase sign-up requests and daily email quotas past their use."""
    return services.signup_requests_prune()


@task(backend="background")
def deliver(edition_id: int) -> int:
    """Send an edition's pending deliveries; how many went out from this task."""
    return delivery.deliver_edition(edition_id).sent


@task(backend="background")
def send_digests() -> int:
    """Periodic: start each daily or weekly digest that is due; safe to run at any rate."""
    return len(services.digests_send_due())


@task(backend="background")
def start_scheduled() -> int:
    """Start every scheduled special edition whose time has come."""
    return len(services.editions_start_scheduled())


@task(backend="background")
def dispatch() -> int:
    """Periodic: start due scheduled editions and resume editions whose workers died."""
    started = services.editions_start_scheduled()
    return len(started) + len(delivery.editions_resume())


@task(backend="background")
def send_test(edition_id: int, email: str) -> bool:
    """An editor's test copy of an edition, marked as a test in its subject."""

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return False
    rendering.test_message(edition, email=email).send()
    return True
