"""Read-side queries of the newsletter: the articles of a digest, and statistics for the admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from paddock.core.urls import absolute_url
from paddock.newsroom.models import ArticlePage, SectionPage

from .models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionKind,
    EditionStatus,
    SignupRequest,
    Subscriber,
    SubscriberStatus,
)

# More new articles than this in one digest period is a bulk import, not news.
DIGEST_ARTICLE_LIMIT = 200


@dataclass(frozen=True)
class DigestArticle:
    title: str
    url: str
    standfirst: str
    published_at: dt.datetime
    section_id: int | None
    section_title: str


def digest_sections() -> list[SectionPage]:
    """The sections a subscriber may choose from, in menu order."""
    return list(SectionPage.objects.live().public().order_by("path"))


def digest_articles(edition: Edition) -> list[DigestArticle]:
    """Articles published in the digest's window, newest first, each with its section."""
    if edition.window_start is None or edition.window_end is None:
        return []
    sections = digest_sections()
    articles = (
        ArticlePage.objects.published()
        .filter(published_at__gte=edition.window_start, published_at__lt=edition.window_end)
        .only("title", "url_path", "path", "standfirst", "published_at", "search_description")
        .order_by("-published_at", "-pk")[:DIGEST_ARTICLE_LIMIT]
    )
    found = []
    for article in articles:
        section = next((s for s in sections if article.path.startswith(s.path)), None)
        url = article.get_url()
        found.append(
            DigestArticle(
                title=article.title,
                url=absolute_url(url) if url and url.startswith("/") else (url or ""),
                standfirst=article.standfirst or article.search_description,
                published_at=article.published_at,
                section_id=section.pk if section else None,
                section_title=section.title if section else "",
            )
        )
    return found


def group_by_section(articles: list[DigestArticle]) -> list[tuple[str, list[DigestArticle]]]:
    groups: dict[str, list[DigestArticle]] = {}
    for article in articles:
        groups.setdefault(article.section_title or "More news", []).append(article)
    return list(groups.items())


def audience_description(edition: Edition) -> str:
    """Who an edition goes to, in words, for the pages that ask an editor to confirm."""
    if edition.kind == EditionKind.SPECIAL:
        return "active subscribers who asked for special editions"
    return f"active subscribers to the {edition.get_kind_display().lower()}"


def delivery_counts(edition: Edition) -> dict[str, int]:
    rows = Delivery.objects.filter(edition=edition).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["bounced"] = Delivery.objects.filter(edition=edition, bounced=True).count()
    counts["unsubscribed"] = Subscriber.objects.filter(unsubscribed_edition=edition).count()
    return counts


def _bars(rows: list[dict], keys: list[str]) -> list[dict]:
    top = max((r[k] for r in rows for k in keys), default=0) or 1
    for row in rows:
        row["bars"] = [
            {"key": k, "n": row[k], "pct": round(100 * row[k] / top), "index": i}
            for i, k in enumerate(keys)
        ]
    return rows


def subscribers_over_time(days: int = 30) -> list[dict]:
    """Active subscribers at the end of each of the last `days` days, from the confirmation
    and leaving dates (so it needs no daily snapshot)."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    confirmed = Subscriber.objects.filter(confirmed_at__isnull=False)
    left_q = Q(unsubscribed_at__isnull=False) | Q(bounced_at__isnull=False)
    base = confirmed.filter(confirmed_at__lt=start).count() - (
        confirmed.filter(left_q)
        .filter(Q(unsubscribed_at__lt=start) | Q(bounced_at__lt=start))
        .count()
    )
    joins = {
        r["day"]: r["n"]
        for r in confirmed.filter(confirmed_at__gte=start)
        .annotate(day=TruncDate("confirmed_at"))
        .values("day")
        .annotate(n=Count("pk"))
    }
    leaves: dict[dt.date, int] = {}
    for field in ("unsubscribed_at", "bounced_at"):
        for r in (
            confirmed.filter(**{f"{field}__gte": start})
            .annotate(day=TruncDate(field))
            .values("day")
            .annotate(n=Count("pk"))
        ):
            leaves[r["day"]] = leaves.get(r["day"], 0) + r["n"]
    rows, running = [], base
    for i in range(days):
        day = first + dt.timedelta(days=i)
        running += joins.get(day, 0) - leaves.get(day, 0)
        rows.append(
            {
                "label": day.strftime("%b %d"),
                "active": max(running, 0),
                "joined": joins.get(day, 0),
                "left": leaves.get(day, 0),
            }
        )
    return _bars(rows, ["active"])


def edition_rows(limit: int = 15) -> list[dict]:
    """The latest editions that went out: sent, failed and unsubscribes for each."""
    editions = list(
        Edition.objects.filter(started_at__isnull=False)
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            failed=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[DeliveryStatus.FAILED, DeliveryStatus.IN_DOUBT])
                | Q(deliveries__bounced=True),
            ),
            not_sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.CANCELLED)),
        )
        .order_by("-started_at", "-pk")[:limit]
    )
    unsubscribes = {
        r["unsubscribed_edition"]: r["n"]
        for r in Subscriber.objects.filter(unsubscribed_edition__in=editions)
        .values("unsubscribed_edition")
        .annotate(n=Count("pk"))
    }
    rows = [
        {
            "label": f"{e.started_at:%b %d} · "
            + ("Cancelled · " if e.status == EditionStatus.CANCELLED else "")
            + e.subject,
            "edition": e,
            "sent": e.sent,
            "failed": e.failed,
            "unsubscribed": unsubscribes.get(e.pk, 0),
            "not sent (cancelled)": e.not_sent,
        }
        for e in reversed(editions)
    ]
    return _bars(rows, ["sent", "failed", "unsubscribed", "not sent (cancelled)"])


def newsletter_stats() -> dict:
    by_status = dict(
        Subscriber.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {
        "active": by_status.get(SubscriberStatus.ACTIVE, 0),
        "pending": by_status.get(SubscriberStatus.PENDING, 0),
        "unsubscribed": by_status.get(SubscriberStatus.UNSUBSCRIBED, 0),
        "bounced": by_status.get(SubscriberStatus.BOUNCED, 0),
        "over_time": subscribers_over_time(),
        "editions": edition_rows(),
    }


def verified_email(user) -> str | None:
    """The reader's primary address if verified: the only one an account may speak for."""
    address = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return address.email if address else None


def subscriber_for_user(user) -> Subscriber | None:
    """The reader's subscription: tied to the account, or under their verified address."""
    if not user.is_authenticated:
        return None
    found = Subscriber.objects.filter(user=user).first()
    if found is None and (verified := verified_email(user)):
        found = Subscriber.objects.filter(email=verified.lower(), user__isnull=True).first()
    return found


def subscriber_export(subscriber: Subscriber) -> dict:
    """Everything recorded about a subscriber, for them to download."""
    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("edition")
        .order_by("pk")
        .values_list("edition__subject", "edition__kind", "status", "sent_at", "bounced")
    )
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.status,
        "digest": subscriber.frequency,
        "special_editions": subscriber.special_editions,
        "sections": list(subscriber.sections.values_list("title", flat=True)),
        "signed_up": {
            "at": subscriber.consent_at,
            "ip_address": subscriber.consent_ip,
            "page": subscriber.consent_source,
            "consent_text": subscriber.consent_text,
        },
        "confirmed": {"at": subscriber.confirmed_at, "ip_address": subscriber.confirmed_ip},
        "unsubscribed_at": subscriber.unsubscribed_at,
        "undeliverable_since": subscriber.bounced_at,
        "account": subscriber.user.get_username() if subscriber.user_id else None,
        "emails": [
            {"subject": s, "kind": k, "status": st, "sent_at": at, "bounced": b}
            for s, k, st, at, b in deliveries
        ],
    }


# --- A reader's own data ------------------------------------------------------------------


def personal_data(user, emails: list[str]) -> dict:
    """What the newsletter holds about a reader, for their download: the subscription tied to
    their account or to one of their verified addresses (with its consent record and the
    editions sent to it), and sign-ups asked for those addresses."""
    subscribers = list(
        Subscriber.objects.filter(Q(user=user) | Q(email__in=emails))
        .order_by("pk")
        .prefetch_related("sections")
    )
    ids = [s.pk for s in subscribers]
    deliveries = (
        Delivery.objects.filter(subscriber_id__in=ids, sent_at__isnull=False)
        .order_by("sent_at", "pk")
        .values("edition__subject", "sent_at", "bounced")
        .iterator(chunk_size=500)
    )
    signups = (
        SignupRequest.objects.filter(email__in=emails)
        .order_by("created_at", "pk")
        .values(
            "email",
            "name",
            "frequency",
            "consent_at",
            "consent_ip",
            "consent_source",
            "consent_text",
            "created_at",
            "confirmed_at",
        )
        .iterator(chunk_size=500)
    )
    return {
        "newsletter_subscriptions": [
            {
                "email": s.email,
                "name": s.name,
                "status": s.status,
                "frequency": s.frequency,
                "special_editions": s.special_editions,
                "sections": [section.title for section in s.sections.all()],
                "consent_at": s.consent_at,
                "consent_ip": s.consent_ip,
                "consent_source": s.consent_source,
                "consent_text": s.consent_text,
                "confirmed_at": s.confirmed_at,
                "unsubscribed_at": s.unsubscribed_at,
                "unsubscribe_reason": s.unsubscribe_reason,
                "bounced_at": s.bounced_at,
                "created_at": s.created_at,
            }
            for s in subscribers
        ],
        "newsletter_editions_received": (
            {
                "subject": row["edition__subject"],
                "sent_at": row["sent_at"],
                "bounced": row["bounced"],
            }
            for row in deliveries
        ),
        "newsletter_signup_requests": signups,
    }
