"""Sending an edition, exactly once per subscriber, through whatever EMAIL_BACKEND is set.

Every subscriber's copy is a Delivery row, created before sending starts. A worker claims a
batch of pending rows (its own claim id and a lease), then for each row, in its own short
transaction, moves it to "sending", hands the message to the mail server, and records it
"sent". Because each step is committed before the next one starts:

- a row is handed to the mail server only by the worker that moved it to "sending" under its
  claim, and never again once it is "sent": nothing is sent twice;
- a worker that dies leaves its claimed rows behind; when the lease ends, any worker takes the
  untouched ones back ("claimed" never reached the mail server), so nobody is skipped;
- the one row a worker may have been in the middle of ("sending" with an ended lease) is in
  doubt: it may or may not have reached the server. By default it is set aside as "in doubt"
  and counted, never sent again (PADDOCK_NEWSLETTER_RESEND_IN_DOUBT switches to resending).
  SMTP offers no way to ask the server, so this window of one message per dead worker is the
  limit of what any sender can promise.

Temporary failures (4xx replies, lost connections, provider hiccups) go back to pending with
exponential backoff, up to a number of attempts; permanent ones (5xx) fail the row at once,
and a refused recipient counts as a hard bounce. Unsubscribing, bouncing or deleting one's data
while a sending is under way skips the subscriber's rows that have not been handed over yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from paddock.core.db import after_commit

from . import policy
from .models import (
    UNFINISHED,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionKind,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
)
from .rendering import EditionRenderer

logger = logging.getLogger(__name__)


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: int = 0


class _Pacer:
    """Keeps one worker under `rate` messages per second."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        self.next += self.interval
        delay = self.next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            self.next = time.monotonic()


def _lease() -> dt.timedelta:
    rate = policy.rate()
    batch_time = policy.batch_size() / rate if rate else 0
    return dt.timedelta(seconds=max(policy.lease_seconds(), 2 * batch_time))


def recover_expired(edition_id: int, now: dt.datetime | None = None) -> tuple[int, int]:
    """Release the claims of workers that died: untouched rows go back to pending, a row
    that was being handed over becomes in doubt. (released, in doubt)."""
    now = now or timezone.now()
    expired = Delivery.objects.filter(edition_id=edition_id, lease_until__lt=now)
    released = expired.filter(status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.PENDING, claim="", lease_until=None
    )
    if policy.resend_in_doubt():
        released += expired.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, claim="", lease_until=None
        )
        in_doubt = 0
    else:
        in_doubt = expired.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.IN_DOUBT,
            last_error="The worker stopped while handing this message to the mail server.",
        )
    if released or in_doubt:
        logger.warning(
            "Edition %s: released %s deliveries of a stopped worker, %s in doubt",
            edition_id,
            released,
            in_doubt,
        )
    return released, in_doubt


def _claim(edition_id: int, claim: str) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        recover_expired(edition_id, now)
        ready = (
            Delivery.objects.filter(edition_id=edition_id, status=DeliveryStatus.PENDING)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .order_by("pk")
        )
        if db_connection.features.has_select_for_update_skip_locked:
            ready = ready.select_for_update(skip_locked=True)
        ids = list(ready.values_list("pk", flat=True)[: policy.batch_size()])
        if not ids:
            return []
        lease_until = now + _lease()
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.CLAIMED, claim=claim, lease_until=lease_until
        )
        # A dead man's switch: should this worker die, a follow-up takes the batch back.
        _wake_up_at(edition_id, lease_until + dt.timedelta(seconds=1), now)
    return list(
        Delivery.objects.filter(pk__in=ids, claim=claim, status=DeliveryStatus.CLAIMED)
        .select_related("subscriber")
        .order_by("pk")
    )


def _sections(batch: list[Delivery]) -> dict[int, frozenset[int]]:
    through = Subscriber.sections.through
    ids = [d.subscriber_id for d in batch if d.subscriber_id]
    found: dict[int, set[int]] = {}
    for subscriber_id, section_id in through.objects.filter(subscriber_id__in=ids).values_list(
        "subscriber_id", "sectionpage_id"
    ):
        found.setdefault(subscriber_id, set()).add(section_id)
    return {k: frozenset(v) for k, v in found.items()}


def _mark(delivery: Delivery, owner: str, statuses: list[str], **fields) -> bool:
    """Move a row on, only if this worker's claim still holds it in one of `statuses`."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim=owner, status__in=statuses).update(**fields)
    )


def _record_sent(delivery: Delivery, owner: str, message) -> None:
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    _mark(
        delivery,
        owner,
        [DeliveryStatus.SENDING, DeliveryStatus.IN_DOUBT],
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        message_id=(provider_id if isinstance(provider_id, str) else None)
        or message.extra_headers["Message-ID"],
        lease_until=None,
    )


def _classify(error: Exception) -> tuple[bool, bool]:
    """(permanent, bounced) for a sending error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return permanent, permanent
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500, False
    try:
        from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        return False, False
    if isinstance(error, AnymailRecipientsRefused):
        return True, True
    if isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None) or 0
        return 400 <= status < 500 and status != 429, False
    return False, False


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def deliver_edition(edition_id: int) -> Report:
    """Send the edition's pending deliveries until none is left to claim, then finish the
    edition or queue a follow-up for what others hold or what waits for a retry."""
    report = Report()
    edition = Edition.objects.filter(pk=edition_id, status=EditionStatus.SENDING).first()
    if edition is None:
        return report
    renderer = EditionRenderer(edition)
    claim = uuid.uuid4().hex
    pacer = _Pacer(policy.rate())
    mail = get_connection()
    try:
        while batch := _claim(edition_id, claim):
            _send_batch(batch, claim, renderer, mail, pacer, report)
    finally:
        mail.close()
    _finish_or_follow_up(edition_id)
    return report


def _send_batch(batch, claim, renderer, mail, pacer, report: Report) -> None:
    sections = _sections(batch) if renderer.edition.kind != EditionKind.SPECIAL else {}
    opened = False
    # The last message handed over, not yet recorded: recorded in the same transaction that
    # starts the next one (one commit per message), or at once when a rate makes us wait.
    unrecorded = None
    for delivery in batch:
        subscriber = delivery.subscriber
        if subscriber is None or subscriber.status != SubscriberStatus.ACTIVE:
            _mark(delivery, claim, [DeliveryStatus.CLAIMED], status=DeliveryStatus.SKIPPED)
            report.skipped += 1
            continue
        message = renderer.message(
            subscriber,
            section_ids=sections.get(subscriber.pk, frozenset()),
            delivery_id=delivery.pk,
        )
        if message is None:
            _mark(
                delivery,
                claim,
                [DeliveryStatus.CLAIMED],
                status=DeliveryStatus.SKIPPED,
                last_error="Nothing new in the subscriber's sections.",
            )
            report.skipped += 1
            continue
        # Committed before the message leaves: from here on, this row is never sent again.
        with transaction.atomic():
            if unrecorded:
                _record_sent(*unrecorded)
                unrecorded = None
            taken = _mark(
                delivery,
                claim,
                [DeliveryStatus.CLAIMED],
                status=DeliveryStatus.SENDING,
                attempts=F("attempts") + 1,
            )
        if not taken:
            report.skipped += 1  # unsubscribed meanwhile, or taken over after a lost lease
            continue
        try:
            if not opened:
                mail.open()
                opened = True
            mail.send_messages([message])
        except Exception as error:  # every failure is recorded; none may stop the batch
            opened = False
            mail.close()
            _record_failure(delivery, claim, error, report)
        else:
            report.sent += 1
            unrecorded = (delivery, claim, message)
            if pacer.interval:
                _record_sent(*unrecorded)
                unrecorded = None
        pacer.wait()
    if unrecorded:
        _record_sent(*unrecorded)


def _record_failure(delivery: Delivery, claim: str, error: Exception, report: Report) -> None:
    permanent, bounced = _classify(error)
    attempts = delivery.attempts + 1
    if permanent or attempts >= policy.max_attempts():
        logger.warning("Delivery %s failed: %s", delivery.pk, _describe(error))
        _mark(
            delivery,
            claim,
            [DeliveryStatus.SENDING],
            status=DeliveryStatus.FAILED,
            last_error=_describe(error),
            bounced=bounced,
            lease_until=None,
        )
        report.failed += 1
        if bounced and delivery.subscriber_id:
            Subscriber.objects.filter(
                pk=delivery.subscriber_id, status=SubscriberStatus.ACTIVE
            ).update(
                status=SubscriberStatus.BOUNCED,
                bounced_at=timezone.now(),
                bounce_detail=_describe(error),
            )
        return
    retry_at = timezone.now() + dt.timedelta(seconds=policy.backoff_seconds(attempts))
    _mark(
        delivery,
        claim,
        [DeliveryStatus.SENDING],
        status=DeliveryStatus.PENDING,
        claim="",
        lease_until=None,
        not_before=retry_at,
        last_error=_describe(error),
    )
    report.retrying += 1


def _finish_or_follow_up(edition_id: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        recover_expired(edition_id, now)
        unfinished = Delivery.objects.filter(edition_id=edition_id, status__in=UNFINISHED)
        times = unfinished.aggregate(
            lease=Min("lease_until"),
            retry=Min("not_before", filter=Q(status=DeliveryStatus.PENDING)),
            ready=Min("pk", filter=Q(status=DeliveryStatus.PENDING, not_before__isnull=True)),
        )
        if not unfinished.exists():
            Edition.objects.filter(pk=edition_id, status=EditionStatus.SENDING).update(
                status=EditionStatus.SENT, finished_at=now, wakeup_at=None
            )
            return
        candidates = [t for t in (times["lease"], times["retry"]) if t is not None]
        if times["ready"] is not None:
            candidates.append(now)
        if not candidates:
            return
        _wake_up_at(edition_id, max(min(candidates), now) + dt.timedelta(seconds=1), now)


def _wake_up_at(edition_id: int, wake: dt.datetime, now: dt.datetime) -> None:
    """Queue a follow-up delivery task for `wake`, unless one is already due by then."""
    from .tasks import deliver  # tasks run this module

    queued = (
        Edition.objects.filter(pk=edition_id)
        .filter(Q(wakeup_at__isnull=True) | Q(wakeup_at__lte=now) | Q(wakeup_at__gt=wake))
        .update(wakeup_at=wake)
    )
    if queued:
        after_commit(
            lambda: deliver.using(run_after=wake).enqueue(edition_id),
            what=f"delivery of edition {edition_id} at {wake}",
        )


def editions_resume(*, now: dt.datetime | None = None) -> list[int]:
    """Safety net run by the scheduler: an edition still sending with nothing queued to
    carry it on (every worker on it died) gets a delivery task again."""
    from .tasks import deliver  # tasks run this module

    now = now or timezone.now()
    resumed = []
    for edition_id in Edition.objects.filter(status=EditionStatus.SENDING).values_list(
        "pk", flat=True
    ):
        recover_expired(edition_id, now)
        waiting = Delivery.objects.filter(
            edition_id=edition_id, status=DeliveryStatus.PENDING
        ).filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        held = Delivery.objects.filter(
            edition_id=edition_id, status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]
        )
        if waiting.exists() and not held.exists():
            deliver.enqueue(edition_id)
            resumed.append(edition_id)
        elif not Delivery.objects.filter(edition_id=edition_id, status__in=UNFINISHED).exists():
            _finish_or_follow_up(edition_id)
    return resumed
