"""Reading for moderators: the queue with each comment's context, a reader's history, the
audit log, and the dashboard's figures. Each page costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    Sum,
    TextField,
)
from django.db.models.functions import Cast
from django.utils import timezone

from paddock.comments.models import Comment, Report

from .models import AuditEntry, Notice, QueueSnapshot, ReaderStanding

Status = Comment.Status


def queue_counts() -> dict[str, int]:
    held = Comment.objects.filter(status=Status.PENDING, is_deleted=False).count()
    reported = Comment.objects.filter(
        status=Status.PUBLISHED, open_reports__gt=0, is_deleted=False
    ).count()
    return {"held": held, "reported": reported, "total": held + reported}


def queue_counts_for(request) -> dict[str, int]:
    """queue_counts, once per request (the queue page and the admin menu both show them)."""
    if not hasattr(request, "_moderation_queue_counts"):
        request._moderation_queue_counts = queue_counts()
    return request._moderation_queue_counts


def home_figures(request, *, with_dashboard: bool, days: int = 30) -> dict:
    """The queue and the dashboard's headline figures for the admin's home page, in a few
    aggregate queries whatever the size of the site: waiting now (held, reported), since when
    the oldest has waited, and, for those who may see the dashboard, the decisions of the last
    `days` days and their median time from posting to a decision (found by the database)."""
    figures: dict = {"counts": queue_counts_for(request), "days": days}
    # A held comment waits from when it was posted, a reported one from its first open report.
    waiting_since = [
        Comment.objects.filter(status=Status.PENDING, is_deleted=False)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
        Report.objects.filter(
            resolved_at__isnull=True,
            comment__status=Status.PUBLISHED,
            comment__open_reports__gt=0,
            comment__is_deleted=False,
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
    ]
    figures["oldest"] = min((t for t in waiting_since if t is not None), default=None)
    if with_dashboard:
        since = timezone.now() - dt.timedelta(days=days)
        decided = Comment.objects.filter(moderated_at__gte=since, moderated_by__isnull=False)
        total = decided.count()
        figures["decisions"] = total
        figures["median_wait"] = None
        if total:
            waits = decided.annotate(
                wait=ExpressionWrapper(
                    F("moderated_at") - F("created_at"), output_field=DurationField()
                )
            ).order_by("wait")
            middle = list(waits.values_list("wait", flat=True)[(total - 1) // 2 : total // 2 + 1])
            hours = sum(max(w.total_seconds(), 0) for w in middle) / len(middle) / 3600
            figures["median_wait"] = round(hours, 1)
    return figures


def queue(filters: dict):
    """The comments awaiting review that match the filters, oldest first (a queryset)."""
    comments = (
        Comment.objects.awaiting_review()
        .filter(is_deleted=False)
        .select_related("article", "author__profile", "parent__author__profile", "moderated_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(resolved_at__isnull=True)
                .select_related("reporter__profile")
                .order_by("created_at"),
                to_attr="open_report_list",
            )
        )
        .order_by("created_at", "pk")
    )
    if filters.get("article"):
        comments = comments.filter(article_id=filters["article"])
    reader = (filters.get("reader") or "").strip()
    if reader:
        comments = comments.filter(
            Q(author__profile__display_name__icontains=reader) | Q(author__email__iexact=reader)
        )
    text = (filters.get("q") or "").strip()
    if text:
        comments = comments.filter(body_text__icontains=text)
    reason = filters.get("reason") or ""
    if reason == "reported":
        comments = comments.filter(open_reports__gt=0)
    elif reason == "held":
        comments = comments.filter(status=Status.PENDING, open_reports=0)
    elif reason.startswith("report:"):
        comments = comments.filter(
            reports__reason=reason.split(":", 1)[1], reports__resolved_at__isnull=True
        ).distinct()
    elif reason.startswith("flag:"):
        word = reason.split(":", 1)[1]
        comments = comments.annotate(flag_text=Cast("flags", TextField())).filter(
            status=Status.PENDING, flag_text__icontains=word
        )
    now = timezone.now()
    age = filters.get("age") or ""
    if age == "1h":
        comments = comments.filter(created_at__lte=now - dt.timedelta(hours=1))
    elif age == "24h":
        comments = comments.filter(created_at__lte=now - dt.timedelta(days=1))
    elif age == "new":
        comments = comments.filter(created_at__gt=now - dt.timedelta(hours=1))
    return comments


def reader_summaries(user_ids) -> dict[int, dict]:
    """For each author: comments per status, the net score of their published comments, and
    their standing (two queries, whatever the number of authors)."""
    user_ids = sorted({pk for pk in user_ids if pk})
    if not user_ids:
        return {}
    summaries = {
        pk: {"published": 0, "pending": 0, "rejected": 0, "spam": 0, "score": 0, "standing": None}
        for pk in user_ids
    }
    rows = (
        Comment.objects.filter(author_id__in=user_ids, is_deleted=False)
        .values("author_id", "status")
        .annotate(n=Count("pk"), score=Sum("score"))
    )
    for row in rows:
        summary = summaries[row["author_id"]]
        summary[row["status"]] = row["n"]
        if row["status"] == Status.PUBLISHED:
            summary["score"] = row["score"] or 0
    for standing in ReaderStanding.objects.filter(user_id__in=user_ids):
        summaries[standing.user_id]["standing"] = standing
    return summaries


def reader_comments(user):
    """The reader's comments, newest first, in every state."""
    return (
        Comment.objects.filter(author=user)
        .select_related("article", "moderated_by")
        .order_by("-created_at", "-pk")
    )


def audit_log(filters: dict):
    entries = AuditEntry.objects.select_related("comment", "article")
    text = (filters.get("q") or "").strip()
    if text:
        entries = entries.filter(
            Q(actor_name__icontains=text) | Q(summary__icontains=text) | Q(reason__icontains=text)
        )
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("since"):
        entries = entries.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        entries = entries.filter(created_at__date__lte=filters["until"])
    if filters.get("reader"):
        entries = entries.filter(reader_id=filters["reader"])
    return entries.order_by("-created_at", "-pk")


def _bars(rows: list[tuple[str, float]], unit: str = "") -> list[dict]:
    top = max((n for _, n in rows), default=0) or 1
    return [
        {"label": label, "n": n, "text": f"{n:g}{unit}", "pct": 100 * n / top} for label, n in rows
    ]


def dashboard(days: int = 30) -> dict:
    """Queue size over time, median time to a decision per day, actions per moderator."""
    now = timezone.now()
    since = now - dt.timedelta(days=days)
    today = timezone.localdate()
    day_list = [today - dt.timedelta(days=i) for i in range(days - 1, -1, -1)]

    # Queue size: the largest hourly snapshot of each day.
    sizes: dict[dt.date, int] = {}
    for snap in QueueSnapshot.objects.filter(taken_at__gte=since).only(
        "taken_at", "held", "reported"
    ):
        day = timezone.localdate(snap.taken_at)
        sizes[day] = max(sizes.get(day, 0), snap.held + snap.reported)
    counts = queue_counts()
    sizes[today] = max(sizes.get(today, 0), counts["total"])
    queue_rows = [(f"{d:%b} {d.day}", sizes.get(d, 0)) for d in day_list]

    # Time to decision: hours from posting to a moderator's decision, median per day.
    waits: dict[dt.date, list[float]] = defaultdict(list)
    decided = Comment.objects.filter(moderated_at__gte=since, moderated_by__isnull=False)
    for created, moderated in decided.values_list("created_at", "moderated_at"):
        hours = max((moderated - created).total_seconds(), 0) / 3600
        waits[timezone.localdate(moderated)].append(hours)
    wait_rows = [
        (f"{d:%b} {d.day}", round(statistics.median(waits[d]), 1) if waits.get(d) else 0)
        for d in day_list
    ]
    all_waits = [h for hours in waits.values() for h in hours]

    per_moderator = (
        AuditEntry.objects.filter(created_at__gte=since, actor__isnull=False)
        .values("actor_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "actor_name")[:20]
    )
    per_action = (
        AuditEntry.objects.filter(created_at__gte=since)
        .values("action")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    labels = dict(AuditEntry.Action.choices)
    return {
        "counts": counts,
        "queue": _bars(queue_rows),
        "waits": _bars(wait_rows, " h"),
        "median_wait": round(statistics.median(all_waits), 1) if all_waits else None,
        "decisions": len(all_waits),
        "per_moderator": _bars([(r["actor_name"], r["n"]) for r in per_moderator]),
        "per_action": _bars([(labels.get(r["action"], r["action"]), r["n"]) for r in per_action]),
        "days": days,
    }


# --- A reader's own data ------------------------------------------------------------------


# A shadow ban works only while the reader does not know of it.
SHADOW_ACTIONS = (AuditEntry.Action.SHADOW_BAN,)


def personal_data(user, emails: list[str]) -> dict:
    """What moderation holds about a reader, for their download: the notices they were sent,
    the decisions recorded about them and their standing (suspension, ban). Moderators' internal
    notes, who decided, and a shadow ban (which works only while unknown) are left out."""
    notices = (
        Notice.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values("message", "comment_id", "created_at", "read_at")
        .iterator(chunk_size=500)
    )
    history = (
        AuditEntry.objects.filter(reader=user)
        .exclude(action__in=SHADOW_ACTIONS)
        .order_by("created_at", "pk")
        .values("action", "comment_id", "summary", "reason", "created_at")
        .iterator(chunk_size=500)
    )
    standing = ReaderStanding.objects.filter(user=user).first()
    return {
        "moderation_notices": notices,
        "moderation_decisions": history,
        "standing": {
            "suspended_until": standing.suspended_until,
            "banned": standing.banned,
        }
        if standing
        else None,
    }
