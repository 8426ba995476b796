"""Every write of the newsletter except the sending itself (delivery.py): signing up,
confirming, preferences, unsubscribing, bounces, deleting one's data, starting editions, and
subscribers and sent editions brought in from elsewhere (an import, the demo).

A stranger must not learn from any answer whether an address subscribes, so sign-up, resend
and "email me my link" answer alike: what differs is only which email goes out, and to the
address itself. A stranger can type anyone's address, so a sign-up only records a request
(models.SignupRequest) that is applied when the emailed link is followed, and no email carries
text the stranger typed. Each address gets at most one such email per resend interval and a
few a day (models.NoticeQuota), so the forms cannot be used to flood someone's inbox.
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

from paddock.core.db import after_commit
from paddock.newsroom.models import SectionPage

from . import policy, selectors
from .models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionKind,
    EditionStatus,
    Frequency,
    NoticeQuota,
    SignupRequest,
    Subscriber,
    SubscriberStatus,
)
from .selectors import verified_email
from .tasks import deliver, send_confirmation, send_notice, start_scheduled

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


def _quota_allows(email: str) -> bool:
    """Count one more email to the address, if today's quota and the resend interval allow it.
    Every email the public forms can trigger passes here, whoever the address belongs to."""
    now = timezone.now()
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            NoticeQuota.objects.get_or_create(
                email=email, defaults={"day": today, "sent": 0, "last_sent_at": now}
            )
    except IntegrityError:  # created by a simultaneous request
        pass
    quota = NoticeQuota.objects.select_for_update().get(email=email)
    if quota.day != today:
        quota.day, quota.sent = today, 0
    interval = dt.timedelta(seconds=policy.resend_interval())
    if quota.sent and quota.last_sent_at > now - interval:
        return False
    if quota.sent >= policy.notices_per_day():
        return False
    quota.sent += 1
    quota.last_sent_at = now
    quota.save(update_fields=["day", "sent", "last_sent_at"])
    return True


def _notify(subscriber: Subscriber, kind: str) -> bool:
    """Queue one email about a subscription to its own address, within the address's quota."""

    if not _quota_allows(subscriber.email):
        return False
    pk = subscriber.pk
    after_commit(lambda: send_notice.enqueue(pk, kind), what=f"{kind} notice to subscriber {pk}")
    return True


def _queue_confirmation(request: SignupRequest) -> None:

    pk = request.pk
    after_commit(lambda: send_confirmation.enqueue(pk), what=f"confirmation of sign-up {pk}")


def _send_confirmation(request: SignupRequest) -> bool:
    """Queue the confirmation link of a sign-up request, within the address's quota."""
    if not _quota_allows(request.email):
        return False
    _queue_confirmation(request)
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
) -> SignupRequest | None:
    """Record a sign-up request and email the address: a confirmation link, or (already
    subscribed) a note with the link to their preferences. Nothing about a subscriber changes
    here: the request is applied when its link is followed (signup_confirm). Over the
    address's daily quota nothing is recorded or sent; the caller answers the same either way.
    """
    email = normalise_email(email)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE:
        _notify(subscriber, "already_subscribed")
        return None
    if not _quota_allows(email):
        return None
    request = SignupRequest.objects.create(
        email=email,
        name=name,
        frequency=frequency if frequency in Frequency.values else Frequency.WEEKLY,
        consent_ip=ip,
        consent_source=source[:300],
        consent_text=policy.consent_text(),
    )
    _queue_confirmation(request)
    return request


def _open_request(email: str) -> SignupRequest | None:
    """The latest sign-up request for the address that has not been confirmed yet."""
    return SignupRequest.objects.filter(email=email, confirmed_at__isnull=True).first()


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
    """Send the confirmation (or preferences) email again, if the address signed up: a fresh
    link to its latest open request."""
    subscriber = _subscriber_locked(email)
    if subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE:
        _notify(subscriber, "already_subscribed")
        return
    try:
        email = normalise_email(email)
    except ValidationError:
        return
    request = _open_request(email)
    if request is not None:
        _send_confirmation(request)


@transaction.atomic
def subscriber_request_link(*, email: str) -> None:
    """Email a subscriber the link to their preferences (an address still waiting for its
    first confirmation gets that link again); silently nothing for a stranger."""
    subscriber = _subscriber_locked(email)
    if subscriber is not None:
        _notify(subscriber, "manage")
        return
    try:
        request = _open_request(normalise_email(email))
    except ValidationError:
        return
    if request is not None:
        _send_confirmation(request)


@transaction.atomic
def signup_confirm(*, key: uuid.UUID, ip: str | None = None) -> tuple[Subscriber, bool]:
    """The owner of the address followed a sign-up request's link: apply what it asked for
    (subscribe, with its name, frequency and consent), creating the subscriber when new.
    Returns (subscriber, whether it was already done)."""
    request = SignupRequest.objects.select_for_update().filter(key=key).first()
    if request is None:
        raise NewsletterError(
            "This sign-up no longer exists (its data was deleted). Sign up again to get the "
            "newsletter."
        )
    subscriber, created = _locked(request.email)
    if request.confirmed_at is not None or (
        subscriber.status == SubscriberStatus.ACTIVE and not created
    ):
        if request.confirmed_at is None:
            request.confirmed_at = timezone.now()
            request.save(update_fields=["confirmed_at"])
        return subscriber, True
    if request.name or created:
        subscriber.name = request.name
    subscriber.frequency = request.frequency
    subscriber.consent_at = request.consent_at
    subscriber.consent_ip = request.consent_ip
    subscriber.consent_source = request.consent_source
    subscriber.consent_text = request.consent_text
    subscriber.save(
        update_fields=[
            "name",
            "frequency",
            "consent_at",
            "consent_ip",
            "consent_source",
            "consent_text",
        ]
    )
    request.confirmed_at = timezone.now()
    request.save(update_fields=["confirmed_at"])
    subscriber, _ = subscriber_confirm(key=subscriber.key, ip=ip)
    return subscriber, False


def signup_requests_prune(*, dry_run: bool = False) -> int:
    """Erase sign-up requests and daily quotas past their use; how many requests went."""
    now = timezone.now()
    old = SignupRequest.objects.filter(
        created_at__lt=now - dt.timedelta(days=policy.request_keep_days())
    )
    if dry_run:
        return old.count()
    with transaction.atomic():
        deleted, _ = old.delete()
        NoticeQuota.objects.filter(last_sent_at__lt=now - dt.timedelta(days=2)).delete()
    return deleted


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
    *,
    subscriber: Subscriber,
    edition_id: int | None = None,
    reason: str = "link",
    at: dt.datetime | None = None,
) -> bool:
    """Stop every mailing to the subscriber at once; False when they were not subscribed.
    `at` is when they left, for an import of past events; now by default.

    Deliveries already queued for them are skipped: the sender re-checks the status of every
    subscriber in the batch it claims.
    """
    updated = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=SubscriberStatus.UNSUBSCRIBED)
        .update(
            status=SubscriberStatus.UNSUBSCRIBED,
            unsubscribed_at=at or timezone.now(),
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
    SignupRequest.objects.filter(email=subscriber.email).delete()
    NoticeQuota.objects.filter(email=subscriber.email).delete()
    Subscriber.objects.filter(pk=subscriber.pk).delete()


@transaction.atomic
def subscriber_mark_bounced(
    *,
    email: str = "",
    message_id: str = "",
    detail: str = "",
    permanent: bool = True,
    at: dt.datetime | None = None,
) -> Subscriber | None:
    """A hard bounce or a provider's rejection: the address is undeliverable from now on.
    `at` is when it bounced, for an import of past events; now by default."""
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
    ).update(
        status=SubscriberStatus.BOUNCED,
        bounced_at=at or timezone.now(),
        bounce_detail=detail[:300],
    )
    Delivery.objects.filter(subscriber=subscriber, status__in=NOT_HANDED_OVER).update(
        status=DeliveryStatus.SKIPPED, last_error="undeliverable"
    )
    return subscriber


# --- Editions -------------------------------------------------------------------------------


def _check_can_send(user) -> None:
    if user is not None and not user.has_perm("newsletter.send_edition"):
        raise NewsletterError("You do not have permission to send newsletter editions.")


def edition_record_author(*, edition: Edition, user) -> None:
    """Who wrote the edition, recorded once it was created in the admin."""
    Edition.objects.filter(pk=edition.pk).update(created_by=user)
    edition.created_by = user


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

    after_commit(
        lambda: start_scheduled.using(run_after=when).enqueue(),
        what=f"start of scheduled edition {edition.pk}",
    )
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


def edition_cancel(*, edition: Edition, user=None) -> Edition:
    """Stop an edition that is still sending: every delivery not yet handed to the mail server
    is called off (a worker holding some finds them gone and skips them), while what was sent
    stays sent and a message being handed over right now is recorded as it ends. Only an
    edition that is sending can be cancelled; a scheduled one is unscheduled instead."""
    _check_can_send(user)
    with transaction.atomic():
        now = timezone.now()
        stopped = Edition.objects.filter(pk=edition.pk, status=EditionStatus.SENDING).update(
            status=EditionStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=user if user is not None and user.is_authenticated else None,
            finished_at=now,
            wakeup_at=None,
        )
        edition.refresh_from_db()
        if not stopped:
            if edition.status == EditionStatus.CANCELLED:
                return edition
            raise NewsletterError(
                "Only an edition that is still sending can be cancelled; this one is "
                f"{edition.get_status_display().lower()}."
            )
        Delivery.objects.filter(edition_id=edition.pk, status__in=NOT_HANDED_OVER).update(
            status=DeliveryStatus.CANCELLED, claim="", lease_until=None
        )
    logger.info("Edition %s cancelled while sending", edition.pk)
    return edition


def deliveries_create(*, edition: Edition, chunk: int = 5000) -> int:
    """Create the pending deliveries in chunks (constant memory for any audience), and queue
    the delivery tasks for when the transaction commits. Re-running adds only who is missing."""

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
        after_commit(lambda: deliver.enqueue(edition.pk), what=f"delivery of edition {edition.pk}")
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


# --- Subscribers and editions brought in from elsewhere --------------------------------------


def subscribers_bulk_import(*, subscribers: list[Subscriber]) -> list[Subscriber]:
    """Store subscribers who signed up elsewhere (a move from another newsletter tool, the
    demo), with the consent and dates they come with, in a few queries whatever their number.
    No email goes out. Addresses are normalised; one already subscribed here is left as it is
    and not returned. Only consent given is imported: each needs its consent_at and the
    consent text shown, and an active one the time it was confirmed."""
    for subscriber in subscribers:
        subscriber.email = normalise_email(subscriber.email)
        if subscriber.consent_at is None or not subscriber.consent_text.strip():
            raise NewsletterError(f"{subscriber.email}: no consent recorded, not imported.")
        if subscriber.status == SubscriberStatus.ACTIVE and subscriber.confirmed_at is None:
            raise NewsletterError(f"{subscriber.email}: active, but never confirmed.")
    emails = [subscriber.email for subscriber in subscribers]
    if len(set(emails)) != len(emails):
        raise NewsletterError("The same address is in the import twice.")
    with transaction.atomic():
        known: set[str] = set()
        for start in range(0, len(emails), 2000):
            known.update(
                Subscriber.objects.filter(email__in=emails[start : start + 2000]).values_list(
                    "email", flat=True
                )
            )
        new = [subscriber for subscriber in subscribers if subscriber.email not in known]
        Subscriber.objects.bulk_create(new, batch_size=1000)
    return new


def edition_import_sent(*, edition: Edition, deliveries: list[Delivery]) -> Edition:
    """Store an edition that went out elsewhere, with one delivery per subscriber it went to
    (each with its status, attempts, error, sent_at and message_id), in a few queries whatever
    their number. Nothing is sent; the edition counts its deliveries as its recipients."""
    if edition.pk is not None:
        raise NewsletterError("Only a new edition can be imported as sent.")
    if edition.started_at is None or edition.finished_at is None:
        raise NewsletterError("A sent edition needs the times it started and finished.")
    with transaction.atomic():
        edition.status = EditionStatus.SENT
        edition.recipients = len(deliveries)
        edition.save()
        for delivery in deliveries:
            delivery.edition = edition
        Delivery.objects.bulk_create(deliveries, batch_size=1000)
    return edition
