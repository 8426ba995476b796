"""Every write of the newsletter except the sending itself (delivery.py): signing up,
confirming, preferences, unsubscribing, bounces, deleting one's data, and starting editions.

A stranger must not learn from any answer whether an address subscribes, so sign-up, resend
and "email me my link" all return nothing: what differs is only which email goes out, and to
the address itself. Each address gets at most one such email per resend interval, so the forms
cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from paddock.newsroom.models import SectionPage

from . import policy
from .models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionKind,
    EditionStatus,
    Frequency,
    Subscriber,
    SubscriberStatus,
)

logger = logging.getLogger(__name__)

# A delivery in these states has not reached the mail server: it can still be called off.
NOT_HANDED_OVER = [DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]


class NewsletterError(Exception):
    """A request that cannot be done, with a message fit to show the person who asked."""


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    validate_email(value)
    local, _, domain = value.rpartition("@")
    # Addresses differing only in case reach one inbox in practice: one subscription each.
    return f"{local}@{domain}".lower()


def _notify(subscriber: Subscriber, kind: str, *, force: bool = False) -> bool:
    """Queue one email to the subscriber, at most once per resend interval per address."""
    from .tasks import send_notice

    now = timezone.now()
    last = subscriber.confirmation_sent_at
    if not force and last and last > now - dt.timedelta(seconds=policy.resend_interval()):
        return False
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
    subscriber.confirmation_sent_at = now
    pk = subscriber.pk
    transaction.on_commit(lambda: send_notice.enqueue(pk, kind))
    return True


def _locked(email: str) -> tuple[Subscriber, bool]:
    """The subscriber row for an address, locked, created when new."""
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(email=email)
    except IntegrityError:  # created by a simultaneous sign-up
        created = False
    subscriber = Subscriber.objects.select_for_update().get(email=email)
    return subscriber, created


@transaction.atomic
def subscriber_signup(
    *,
    email: str,
    name: str = "",
    ip: str | None = None,
    source: str = "",
    frequency: str = Frequency.WEEKLY,
) -> Subscriber:
    """Record a sign-up and email the address: a confirmation link, or (already subscribed)
    a note with the link to their preferences. The caller answers the same either way."""
    email = normalise_email(email)
    subscriber, created = _locked(email)
    if subscriber.status == SubscriberStatus.ACTIVE:
        _notify(subscriber, "already_subscribed")
        return subscriber
    subscriber.status = SubscriberStatus.PENDING
    if name or created:
        subscriber.name = name
    if created:
        subscriber.frequency = frequency
    subscriber.consent_at = timezone.now()
    subscriber.consent_ip = ip
    subscriber.consent_source = source[:300]
    subscriber.consent_text = policy.consent_text()
    subscriber.save(
        update_fields=[
            "status",
            "name",
            "frequency",
            "consent_at",
            "consent_ip",
            "consent_source",
            "consent_text",
        ]
    )
    _notify(subscriber, "confirm", force=created)
    return subscriber


def _subscriber_locked(email: str) -> Subscriber | None:
    """The subscriber with this address, locked for the transaction; None for a stranger or
    for something that is not an address."""
    try:
        email = normalise_email(email)
    except ValidationError:
        return None
    return Subscriber.objects.select_for_update().filter(email=email).first()


@transaction.atomic
def subscriber_resend(*, email: str) -> None:
    """Send the confirmation (or preferences) email again, if the address signed up."""
    subscriber = _subscriber_locked(email)
    if subscriber is None:
        return
    if subscriber.status == SubscriberStatus.ACTIVE:
        _notify(subscriber, "already_subscribed")
    elif subscriber.status == SubscriberStatus.PENDING:
        _notify(subscriber, "confirm")


@transaction.atomic
def subscriber_request_link(*, email: str) -> None:
    """Email a subscriber the link to their preferences; silently nothing for a stranger."""
    subscriber = _subscriber_locked(email)
    if subscriber is None:
        return
    _notify(subscriber, "confirm" if subscriber.status == SubscriberStatus.PENDING else "manage")


@transaction.atomic
def subscriber_confirm(*, key: uuid.UUID, ip: str | None = None) -> tuple[Subscriber, bool]:
    """Confirm a sign-up from the emailed link; (subscriber, whether it was already done)."""
    subscriber = Subscriber.objects.select_for_update().filter(key=key).first()
    if subscriber is None:
        raise NewsletterError(
            "This subscription no longer exists (its data was deleted). Sign up again to "
            "get the newsletter."
        )
    if subscriber.status == SubscriberStatus.ACTIVE:
        return subscriber, True
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.confirmed_ip = ip
    subscriber.unsubscribed_at = None
    subscriber.unsubscribed_edition = None
    subscriber.unsubscribe_reason = ""
    subscriber.bounced_at = None
    subscriber.bounce_detail = ""
    subscriber.save(
        update_fields=[
            "status",
            "confirmed_at",
            "confirmed_ip",
            "unsubscribed_at",
            "unsubscribed_edition",
            "unsubscribe_reason",
            "bounced_at",
            "bounce_detail",
        ]
    )
    return subscriber, False


def _verified_email(user) -> str | None:
    from .selectors import verified_email

    return verified_email(user)


@transaction.atomic
def subscriber_subscribe_user(
    *, user, ip: str | None = None, source: str = ""
) -> Subscriber | None:
    """One click on the account page. A verified address needs no second confirmation and
    the subscription is tied to the account; an unverified one is treated as any sign-up
    (a confirmation email, nothing tied), and None is returned."""
    verified = _verified_email(user)
    profile = getattr(user, "profile", None)
    display_name = getattr(profile, "display_name", "") or ""
    if verified is None:
        if not user.email:
            raise NewsletterError("Add an email address to your account first.")
        subscriber_signup(email=user.email, name=display_name, ip=ip, source=source)
        return None
    subscriber, _ = _locked(normalise_email(verified))
    if subscriber.user_id not in (None, user.pk):
        raise NewsletterError("That address is subscribed from another account.")
    subscriber.user = user
    subscriber.name = subscriber.name or display_name
    fields = ["user", "name"]
    if subscriber.status != SubscriberStatus.ACTIVE:
        subscriber.consent_at = timezone.now()
        subscriber.consent_ip = ip
        subscriber.consent_source = source[:300]
        subscriber.consent_text = policy.consent_text()
        fields += ["consent_at", "consent_ip", "consent_source", "consent_text"]
    subscriber.save(update_fields=fields)
    if subscriber.status != SubscriberStatus.ACTIVE:
        subscriber, _ = subscriber_confirm(key=subscriber.key, ip=ip)
    return subscriber


@transaction.atomic
def subscriber_update_preferences(
    *,
    subscriber: Subscriber,
    name: str,
    frequency: str,
    special_editions: bool,
    sections: Iterable[SectionPage],
) -> Subscriber:
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.name = name
    subscriber.frequency = frequency
    subscriber.special_editions = special_editions
    subscriber.save(update_fields=["name", "frequency", "special_editions"])
    subscriber.sections.set(sections)
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(
    *, subscriber: Subscriber, edition_id: int | None = None, reason: str = "link"
) -> bool:
    """Stop every mailing to the subscriber at once; False when they were not subscribed.

    Deliveries already queued for them are skipped: the sender re-checks the status of every
    subscriber in the batch it claims.
    """
    updated = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=SubscriberStatus.UNSUBSCRIBED)
        .update(
            status=SubscriberStatus.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribed_edition_id=(
                edition_id if Edition.objects.filter(pk=edition_id).exists() else None
            ),
            unsubscribe_reason=reason[:20],
        )
    )
    Delivery.objects.filter(subscriber=subscriber, status__in=NOT_HANDED_OVER).update(
        status=DeliveryStatus.SKIPPED, last_error="unsubscribed"
    )
    return bool(updated)


@transaction.atomic
def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Erase the subscriber; their deliveries stay, anonymous, for the edition statistics."""
    Delivery.objects.filter(subscriber=subscriber, status__in=NOT_HANDED_OVER).update(
        status=DeliveryStatus.SKIPPED, last_error="deleted"
    )
    Subscriber.objects.filter(pk=subscriber.pk).delete()


@transaction.atomic
def subscriber_mark_bounced(
    *, email: str = "", message_id: str = "", detail: str = "", permanent: bool = True
) -> Subscriber | None:
    """A hard bounce or a provider's rejection: the address is undeliverable from now on."""
    delivery = (
        Delivery.objects.select_related("subscriber").filter(message_id=message_id).first()
        if message_id
        else None
    )
    subscriber = delivery.subscriber if delivery else None
    if subscriber is None and email:
        try:
            subscriber = Subscriber.objects.filter(email=normalise_email(email)).first()
        except ValidationError:
            subscriber = None
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk).update(bounced=True, last_error=detail[:300])
    elif subscriber is not None:
        latest = (
            Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.SENT)
            .order_by("-sent_at")
            .first()
        )
        if latest:
            Delivery.objects.filter(pk=latest.pk).update(bounced=True, last_error=detail[:300])
    if subscriber is None or not permanent:
        return subscriber
    Subscriber.objects.filter(pk=subscriber.pk).exclude(
        status=SubscriberStatus.UNSUBSCRIBED
    ).update(status=SubscriberStatus.BOUNCED, bounced_at=timezone.now(), bounce_detail=detail[:300])
    Delivery.objects.filter(subscriber=subscriber, status__in=NOT_HANDED_OVER).update(
        status=DeliveryStatus.SKIPPED, last_error="undeliverable"
    )
    return subscriber


# --- Editions -------------------------------------------------------------------------------


def _check_can_send(user) -> None:
    if user is not None and not user.has_perm("newsletter.send_edition"):
        raise NewsletterError("You do not have permission to send newsletter editions.")


@transaction.atomic
def edition_schedule(*, edition: Edition, when: dt.datetime, user=None) -> Edition:
    _check_can_send(user)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status not in (EditionStatus.DRAFT, EditionStatus.SCHEDULED):
        raise NewsletterError("This edition has already gone out.")
    if when <= timezone.now():
        raise NewsletterError("Choose a time in the future, or send it now.")
    edition.status = EditionStatus.SCHEDULED
    edition.scheduled_for = when
    edition.save(update_fields=["status", "scheduled_for"])
    from .tasks import start_scheduled

    transaction.on_commit(lambda: start_scheduled.using(run_after=when).enqueue())
    return edition


@transaction.atomic
def edition_unschedule(*, edition: Edition, user=None) -> Edition:
    _check_can_send(user)
    updated = Edition.objects.filter(pk=edition.pk, status=EditionStatus.SCHEDULED).update(
        status=EditionStatus.DRAFT, scheduled_for=None
    )
    if not updated:
        raise NewsletterError("This edition is not scheduled (it may have started already).")
    edition.refresh_from_db()
    return edition


def edition_send(*, edition: Edition, user=None, chunk: int = 5000) -> Edition:
    """Start sending: one pending delivery per subscriber in the audience, then the delivery
    tasks, all in one transaction. Safe to call twice: the second call finds the edition
    started and does nothing."""
    _check_can_send(user)
    if edition.kind == EditionKind.SPECIAL and not edition.body.strip():
        raise NewsletterError("Write something in the edition before sending it.")
    with transaction.atomic():
        started = Edition.objects.filter(
            pk=edition.pk, status__in=[EditionStatus.DRAFT, EditionStatus.SCHEDULED]
        ).update(status=EditionStatus.SENDING, started_at=timezone.now(), scheduled_for=None)
        edition.refresh_from_db()
        if not started:
            if edition.status == EditionStatus.SENDING:
                return edition
            raise NewsletterError("This edition has already gone out.")
        deliveries_create(edition=edition, chunk=chunk)
    return edition


def deliveries_create(*, edition: Edition, chunk: int = 5000) -> int:
    """Create the pending deliveries in chunks (constant memory for any audience), and queue
    the delivery tasks for when the transaction commits. Re-running adds only who is missing."""
    from .tasks import deliver

    audience = Subscriber.objects.audience(edition).order_by("pk").values_list("pk", flat=True)
    last, total = 0, 0
    while True:
        ids = list(audience.filter(pk__gt=last)[:chunk])
        if not ids:
            break
        Delivery.objects.bulk_create(
            [Delivery(edition_id=edition.pk, subscriber_id=pk) for pk in ids],
            ignore_conflicts=True,
        )
        total += len(ids)
        last = ids[-1]
    Edition.objects.filter(pk=edition.pk).update(recipients=total)
    edition.recipients = total
    for _ in range(policy.parallel_tasks()):
        transaction.on_commit(lambda: deliver.enqueue(edition.pk))
    if total == 0:
        Edition.objects.filter(pk=edition.pk).update(
            status=EditionStatus.SENT, finished_at=timezone.now()
        )
    return total


def _digest_period(kind: str, local: dt.datetime) -> tuple[str, dt.datetime, dt.datetime] | None:
    """The digest period that is due at local time `local`, if any: (key, start, end)."""
    hour = policy.digest_hour()
    end = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if local < end:
        return None
    if kind == EditionKind.DAILY:
        return f"daily:{end.date().isoformat()}", end - dt.timedelta(days=1), end
    if local.weekday() != policy.weekly_day():
        return None
    year, week, _ = end.isocalendar()
    return f"weekly:{year}-W{week:02d}", end - dt.timedelta(days=7), end


def digests_send_due(*, now: dt.datetime | None = None) -> list[Edition]:
    """Create and start each digest whose time has come and that has not gone out yet.

    A digest is one edition per period, unique by its period key, so running this any number
    of times in a period sends it once. A period with no new articles is recorded as
    "nothing to send".
    """
    from . import selectors

    local = timezone.localtime(now or timezone.now())
    started = []
    for kind in (EditionKind.DAILY, EditionKind.WEEKLY):
        period = _digest_period(kind, local)
        if period is None:
            continue
        key, start, end = period
        if Edition.objects.filter(period_key=key).exists():
            continue
        edition = Edition(
            kind=kind,
            subject=f"Your {kind} {settings.WAGTAIL_SITE_NAME} digest, {end:%B} {end.day}",
            period_key=key,
            window_start=start,
            window_end=end,
        )
        try:
            with transaction.atomic():
                edition.save()
        except IntegrityError:
            continue  # another run created it a moment ago
        if not selectors.digest_articles(edition):
            Edition.objects.filter(pk=edition.pk).update(
                status=EditionStatus.EMPTY, finished_at=timezone.now()
            )
            continue
        started.append(edition_send(edition=edition))
    return started


def editions_start_scheduled(*, now: dt.datetime | None = None) -> list[Edition]:
    started = []
    for edition in Edition.objects.due(now):
        try:
            started.append(edition_send(edition=edition))
        except NewsletterError as exc:
            logger.warning("Scheduled edition %s not sent: %s", edition.pk, exc)
    return started
