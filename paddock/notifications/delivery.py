"""How a new notification reaches its reader beyond the notifications page: by email,
immediately or in a daily digest, as the reader chose for its kind (preferences.py).

- **At once** (reply, mention, featured): `notification_created` queues `tasks.email_one`,
  which sends one email for the one notification.
- **Followed discussions** are never one email per comment: chosen "at once", the periodic
  job sends one email per discussion with every new thread since the last, at most one per
  discussion per `FOLLOW_BATCH_SECONDS` (an hour); chosen "daily", they join the digest.
- **Daily digest**: the periodic job (`tasks.send_pending`, every few minutes) sends each
  reader one email with every notification of a kind they chose "daily" for, created before
  the last digest time (`PADDOCK_NOTIFICATIONS_DIGEST_HOUR`, local time): one digest a day,
  and one more only for what a stopped worker left behind.

Nothing is emailed twice: each sender first claims its rows with
`UPDATE … SET emailed_at = now WHERE emailed_at IS NULL`, then sends what it claimed; a
retried task or a second worker finds them claimed. A send that fails gives its rows back
(emailed_at null again), so the next periodic run tries again. Only active accounts whose
primary address is verified are emailed; a comment deleted, hidden or held since is left out.
Every email links to the comment and carries RFC 2369 `List-Unsubscribe` and RFC 8058
`List-Unsubscribe-Post` headers with a signed link that stops that kind of email (a digest's
stops the digest).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from paddock.comments.selectors import author_name
from paddock.core.mail import send_templated
from paddock.core.urls import absolute_url

from .models import Frequency, Notification
from .preferences import DESCRIPTIONS, DIGEST, EMAILED_KINDS, frequencies, frequencies_of
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)

Kind = Notification.Kind

# Kinds sent one email each when chosen "at once"; followed discussions are batched.
ONE_BY_ONE = (Kind.REPLY, Kind.MENTION, Kind.FEATURED)
# At most one email per followed discussion and reader in this many seconds.
FOLLOW_BATCH_SECONDS = 3600
# Notifications older than this are not emailed any more (a reader who turns emails back on
# is not sent last month's news).
PENDING_DAYS = 3
# A notification to email at once still unsent after this long lost its task (a worker or
# Redis down when it was queued): the periodic job sends it.
LOST_AFTER = dt.timedelta(minutes=10)


def notification_created(notification: Notification) -> None:
    """Called once the notification is committed: queue its email when the reader wants one
    at once (the other kinds wait for the periodic job)."""
    # tasks imports this module for the work it runs; queueing needs the task in return.
    from .tasks import email_one

    if notification.kind not in ONE_BY_ONE:
        return
    wanted = frequencies(notification.recipient)[notification.kind]
    if wanted == Frequency.IMMEDIATE:
        email_one.enqueue(notification.pk)


# --- What every email needs ---------------------------------------------------------------


def addresses(user_ids: Iterable[int]) -> dict[int, str]:
    """Where each of these readers may be emailed: the verified primary address of an active
    account (allauth's EmailAddress, as posting a comment requires); others are left out."""
    rows = EmailAddress.objects.filter(
        user_id__in=set(user_ids), primary=True, verified=True, user__is_active=True
    ).values_list("user_id", "email")
    return dict(rows)


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)])
    )


def _headers(url: str) -> dict[str, str]:
    # No mailto: the site reads no mail, so an unsubscribe sent by email would reach nobody.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _base_context(user_id: int, kind: str) -> tuple[dict, dict[str, str]]:
    url = unsubscribe_url(user_id, kind)
    return {
        "unsubscribe_url": url,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }, _headers(url)


def _item(notification: Notification) -> dict:
    comment = notification.comment
    return {
        "kind": notification.kind,
        "article_title": notification.article.title if notification.article else "",
        "author": author_name(comment),
        "text": comment.body_text,
        "url": absolute_url(comment.get_absolute_url()),
    }


def _with_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "comment__author__profile", "article", "recipient__profile"
    ).order_by("created_at", "pk")


def _claim(queryset: QuerySet) -> list[Notification]:
    """Mark these rows emailed, as far as no one else did first; the rows this caller got."""
    claimed_at = timezone.now()
    ids = list(queryset.values_list("pk", flat=True))
    if not ids or not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    ):
        return []
    return list(_with_rows(Notification.objects.filter(pk__in=ids, emailed_at=claimed_at)))


def _release(rows: list[Notification]) -> None:
    """The email did not go: these rows may be sent again."""
    if rows:
        claimed = Notification.objects.filter(
            pk__in=[row.pk for row in rows], emailed_at=rows[0].emailed_at
        )
        claimed.update(emailed_at=None)


def _shown(rows: list[Notification]) -> list[Notification]:
    """The claimed notifications whose comment any reader can still see."""
    return [row for row in rows if row.comment is not None and row.comment.is_visible]


def _send(rows: list[Notification], send) -> bool:
    """Send; on failure give the claimed rows back and raise."""
    try:
        send()
    except Exception:
        _release(rows)
        raise
    return True


# --- At once -------------------------------------------------------------------------------


SUBJECTS = {
    Kind.REPLY: "{author} replied to your comment on “{article}”",
    Kind.MENTION: "{author} mentioned you on “{article}”",
    Kind.FEATURED: "Your comment on “{article}” is featured",
}


def email_one(notification_id: int) -> bool:
    """Email one notification to its reader if they want it at once; True when sent."""
    notification = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .select_related("recipient")
        .first()
    )
    if notification is None or notification.kind not in ONE_BY_ONE:
        return False
    recipient = notification.recipient
    if frequencies(recipient)[notification.kind] != Frequency.IMMEDIATE:
        return False  # changed their mind since
    to = addresses([recipient.pk]).get(recipient.pk)
    if to is None:
        return False
    rows = _shown(_claim(Notification.objects.filter(pk=notification.pk)))
    if not rows:
        return False
    row = rows[0]
    item = _item(row)
    context, headers = _base_context(recipient.pk, row.kind)
    context |= {
        "item": item,
        "name": row.recipient.profile.display_name,
        "reason": DESCRIPTIONS[row.kind].lower(),
        "kind_label": row.get_kind_display().lower(),
    }
    subject = SUBJECTS[row.kind].format(author=item["author"], article=item["article_title"])
    return _send(
        rows,
        lambda: send_templated(
            subject=subject,
            template=f"notifications/email/{row.kind}.txt",
            context=context,
            to=[to],
            headers=headers,
        ),
    )


# --- The periodic job: lost ones, followed discussions, digests ---------------------------


def digest_moment(now: dt.datetime) -> dt.datetime:
    """The last time a daily digest was due, at or before `now`."""
    local = timezone.localtime(now)
    moment = local.replace(
        hour=settings.PADDOCK_NOTIFICATIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    return moment if moment <= local else moment - dt.timedelta(days=1)


def _pending(now: dt.datetime) -> QuerySet:
    return Notification.objects.filter(
        emailed_at__isnull=True,
        kind__in=EMAILED_KINDS,
        created_at__gte=now - dt.timedelta(days=PENDING_DAYS),
    )


def lost_send(now: dt.datetime) -> int:
    """Send the at-once emails whose task was lost; how many went."""
    ids = _pending(now).filter(kind__in=ONE_BY_ONE, created_at__lt=now - LOST_AFTER)
    sent = 0
    for pk in ids.values_list("pk", flat=True):
        try:
            sent += email_one(pk)
        except Exception:  # noqa: BLE001 - the others still go; this one stays pending
            logger.warning("Notification email %s failed", pk, exc_info=True)
    return sent


def follow_batches_send(now: dt.datetime) -> int:
    """One email per followed discussion for readers who want them at once, with every new
    thread since the last, at most one per discussion per FOLLOW_BATCH_SECONDS."""
    pending = set(
        _pending(now).filter(kind=Kind.FOLLOW).values_list("recipient_id", "article_id").distinct()
    )
    if not pending:
        return 0
    wanted = frequencies_of({recipient for recipient, _ in pending})
    pending = {p for p in pending if wanted[p[0]][Kind.FOLLOW] == Frequency.IMMEDIATE}
    recent = set(
        Notification.objects.filter(
            kind=Kind.FOLLOW,
            recipient_id__in={recipient for recipient, _ in pending},
            emailed_at__gte=now - dt.timedelta(seconds=FOLLOW_BATCH_SECONDS),
        )
        .values_list("recipient_id", "article_id")
        .distinct()
    )
    due = sorted(pending - recent)
    to = addresses({recipient for recipient, _ in due})
    sent = 0
    for recipient_id, article_id in due:
        if recipient_id not in to:
            continue
        rows = _claim(
            _pending(now).filter(recipient_id=recipient_id, kind=Kind.FOLLOW, article_id=article_id)
        )
        try:
            sent += _send_follow_batch(rows, to=to[recipient_id])
        except Exception:  # noqa: BLE001 - the others still go; these stay pending
            logger.warning("Followed-discussion email to %s failed", recipient_id, exc_info=True)
    return sent


def _send_follow_batch(claimed: list[Notification], *, to: str) -> bool:
    rows = _shown(claimed)
    if not rows:
        return False
    items = [_item(row) for row in rows]
    recipient = rows[0].recipient
    context, headers = _base_context(recipient.pk, Kind.FOLLOW)
    context |= {
        "items": items,
        "name": recipient.profile.display_name,
        "article_title": items[0]["article_title"],
        "article_url": absolute_url(rows[0].article.url or ""),
    }
    count = len(items)
    subject = f"{count} new comment{'s' if count > 1 else ''} on “{items[0]['article_title']}”"
    return _send(
        claimed,
        lambda: send_templated(
            subject=subject,
            template="notifications/email/follow.txt",
            context=context,
            to=[to],
            headers=headers,
        ),
    )


def digests_send(now: dt.datetime) -> int:
    """Each reader's daily digest: every notification of a kind they chose "daily" for, made
    before the last digest time and not emailed yet, in one email; how many went."""
    moment = digest_moment(now)
    kinds_by_reader: dict[int, set[str]] = defaultdict(set)
    for recipient_id, kind in (
        _pending(now).filter(created_at__lt=moment).values_list("recipient_id", "kind").distinct()
    ):
        kinds_by_reader[recipient_id].add(kind)
    if not kinds_by_reader:
        return 0
    wanted = frequencies_of(kinds_by_reader)
    to = addresses(kinds_by_reader)
    sent = 0
    for recipient_id in sorted(kinds_by_reader):
        daily = [
            k for k in kinds_by_reader[recipient_id] if wanted[recipient_id][k] == Frequency.DAILY
        ]
        if not daily or recipient_id not in to:
            continue
        rows = _claim(
            _pending(now).filter(recipient_id=recipient_id, kind__in=daily, created_at__lt=moment)
        )
        try:
            sent += _send_digest(rows, to=to[recipient_id], moment=moment)
        except Exception:  # noqa: BLE001 - the others still go; these stay pending
            logger.warning("Notification digest to %s failed", recipient_id, exc_info=True)
    return sent


def _send_digest(claimed: list[Notification], *, to: str, moment: dt.datetime) -> bool:
    rows = _shown(claimed)
    if not rows:
        return False
    recipient = rows[0].recipient
    kinds = {row.kind for row in rows}
    # One kind in it: its link stops that kind; several: the link stops the digest.
    context, headers = _base_context(recipient.pk, kinds.pop() if len(kinds) == 1 else DIGEST)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.article.title if row.article else "", []).append(_item(row))
    context |= {
        "groups": list(groups.items()),
        "name": recipient.profile.display_name,
        "count": len(rows),
    }
    count = len(rows)
    subject = (
        f"Your {settings.WAGTAIL_SITE_NAME} digest: {count} "
        f"notification{'s' if count > 1 else ''}, {moment:%B} {moment.day}"
    )
    return _send(
        claimed,
        lambda: send_templated(
            subject=subject,
            template="notifications/email/digest.txt",
            context=context,
            to=[to],
            headers=headers,
        ),
    )


def pending_send(now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: what each part sent."""
    now = now or timezone.now()
    return {
        "lost": lost_send(now),
        "follow": follow_batches_send(now),
        "digests": digests_send(now),
    }
