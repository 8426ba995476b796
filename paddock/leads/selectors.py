"""Read-side queries of leads: a dealer's own leads and the statistics for administrators."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpRequest
from django.utils import timezone

from .models import AssignmentStatus, CrmDelivery, Dealer, Lead, LeadAssignment


def dealer_for(request: HttpRequest) -> Dealer | None:
    """The dealership the signed-in user works for, or None."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    staff = getattr(user, "dealer_staff", None)
    return staff.dealer if staff else None


def dealer_assignments(dealer: Dealer) -> QuerySet[LeadAssignment]:
    """The dealer's leads, newest first; scoped here so that no view can forget the scope."""
    return (
        LeadAssignment.objects.filter(dealer=dealer)
        .select_related("lead__make", "lead__vehicle_model")
        .order_by("-created_at", "-pk")
    )


def unrouted_leads() -> QuerySet[Lead]:
    """Leads no dealer took, oldest first, without what could identify the shopper."""
    return (
        Lead.objects.filter(unrouted=True, anonymised_at__isnull=True)
        .select_related("make", "vehicle_model")
        .only("pk", "zip_code", "created_at", "repeat_count", "make__name", "vehicle_model__name")
        .order_by("created_at", "pk")
    )


def _bars(rows, label_key: str) -> list[dict]:
    rows = list(rows)
    top = max((r["n"] for r in rows), default=0) or 1
    return [
        {
            "label": str(r[label_key]),
            "n": r["n"],
            "sold": r.get("sold", 0),
            "pct": 100 * r["n"] / top,
        }
        for r in rows
    ]


def lead_stats(days: int = 30) -> dict:
    """Leads per day, per make and per dealer, and how many became sales."""
    since = timezone.now() - dt.timedelta(days=days)
    recent = Lead.objects.filter(created_at__gte=since)
    per_day = {
        row["day"]: row["n"]
        for row in recent.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
    }
    today = timezone.localdate()
    day_rows = [
        {"day": (d := today - dt.timedelta(days=i)).strftime("%b %d"), "n": per_day.get(d, 0)}
        for i in range(days - 1, -1, -1)
    ]
    sold = Q(assignments__status=AssignmentStatus.SOLD)
    make_rows = (
        Lead.objects.values("make__name")
        .annotate(n=Count("pk", distinct=True), sold=Count("assignments", filter=sold))
        .order_by("-n", "make__name")
    )
    dealer_rows = (
        LeadAssignment.objects.values("dealer__name")
        .annotate(n=Count("pk"), sold=Count("pk", filter=Q(status=AssignmentStatus.SOLD)))
        .order_by("-n", "dealer__name")
    )
    counts = dict(LeadAssignment.objects.order_by().values_list("status").annotate(n=Count("pk")))
    # In the order a lead moves through: new, contacted, sold (or invalid).
    status_rows = [
        {"status": label, "n": counts.get(value, 0)} for value, label in AssignmentStatus.choices
    ]
    return {
        "per_day": _bars(day_rows, "day"),
        "per_make": _bars(make_rows, "make__name"),
        "per_dealer": _bars(dealer_rows, "dealer__name"),
        "per_status": _bars(status_rows, "status"),
        "total": Lead.objects.count(),
        "unrouted": Lead.objects.filter(unrouted=True).count(),
        "sold": LeadAssignment.objects.filter(status=AssignmentStatus.SOLD).count(),
    }


# How fast a dealer answered: from the lead's arrival to its first move away from "new".
RESPONSE_BUCKETS = [
    ("Within an hour", dt.timedelta(hours=1)),
    ("1–4 hours", dt.timedelta(hours=4)),
    ("4–24 hours", dt.timedelta(hours=24)),
    ("1–3 days", dt.timedelta(days=3)),
    ("Over 3 days", None),
]


def _wait_words(wait: dt.timedelta) -> str:
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hours" if hours < 48 else f"{round(hours / 24)} days"


def dealer_stats(dealer: Dealer, days: int = 30) -> dict:
    """One dealer's leads of the last `days`: per day, per model, per status, and how fast
    each was answered. A fixed number of queries, whatever the number of leads."""
    since = timezone.now() - dt.timedelta(days=days)
    recent = LeadAssignment.objects.filter(dealer=dealer, created_at__gte=since).order_by()
    per_day = {
        row["day"]: row["n"]
        for row in recent.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
    }
    today = timezone.localdate()
    day_rows = [
        {"day": (d := today - dt.timedelta(days=i)).strftime("%b %d"), "n": per_day.get(d, 0)}
        for i in range(days - 1, -1, -1)
    ]
    model_rows = (
        recent.values("lead__make__name", "lead__vehicle_model__name")
        .annotate(n=Count("pk"), sold=Count("pk", filter=Q(status=AssignmentStatus.SOLD)))
        .order_by("-n", "lead__make__name", "lead__vehicle_model__name")
    )
    model_rows = [
        {**r, "model": f"{r['lead__make__name']} {r['lead__vehicle_model__name']}"}
        for r in model_rows
    ]
    counts = dict(recent.values_list("status").annotate(n=Count("pk")))
    status_rows = [
        {"status": label, "n": counts.get(value, 0)} for value, label in AssignmentStatus.choices
    ]
    answered = recent.annotate(
        first=Coalesce(Min("status_changes__created_at"), "status_changed_at")
    ).values_list("created_at", "first")
    buckets = dict.fromkeys([label for label, _ in RESPONSE_BUCKETS] + ["Not yet"], 0)
    waits = []
    for created, first in answered:
        if first is None:
            buckets["Not yet"] += 1
            continue
        wait = first - created
        waits.append(wait)
        for label, limit in RESPONSE_BUCKETS:
            if limit is None or wait <= limit:
                buckets[label] += 1
                break
    waits.sort()
    return {
        "days": days,
        "total": sum(counts.values()),
        "sold": counts.get(AssignmentStatus.SOLD, 0),
        "median_wait": _wait_words(waits[len(waits) // 2]) if waits else "",
        "per_day": _bars(day_rows, "day"),
        "per_model": _bars(model_rows, "model"),
        "per_status": _bars(status_rows, "status"),
        "response": _bars([{"label": k, "n": v} for k, v in buckets.items()], "label"),
    }


def dealer_assignment_history(assignment: LeadAssignment) -> list:
    """The lead's notes and status changes for the dealer, oldest first, authors included."""
    notes = [("note", n.created_at, n) for n in assignment.notes.select_related("author")]
    changes = [
        ("status", c.created_at, c) for c in assignment.status_changes.select_related("changed_by")
    ]
    return [
        {"kind": kind, "at": at, "item": item}
        for kind, at, item in sorted(notes + changes, key=lambda e: (e[1], e[2].pk))
    ]


def crm_log(assignment: LeadAssignment) -> QuerySet[CrmDelivery]:
    """Every attempt to hand this lead to the dealer's CRM, oldest first."""
    return CrmDelivery.objects.filter(lead_id=assignment.lead_id, dealer_id=assignment.dealer_id)


# --- A reader's own data ------------------------------------------------------------------


def personal_data(user, emails: list[str]) -> dict:
    """Quote requests sent with one of the reader's verified addresses, for their download:
    what they asked for, the consent they gave, and which dealers it went to."""
    leads = (
        Lead.objects.filter(email__in=emails)
        .order_by("created_at", "pk")
        .values(
            "id",
            "make__name",
            "vehicle_model__name",
            "year",
            "trim",
            "timeframe",
            "zip_code",
            "name",
            "email",
            "phone",
            "consent_text",
            "created_at",
        )
        .iterator(chunk_size=500)
    )
    assignments = (
        LeadAssignment.objects.filter(lead__email__in=emails)
        .order_by("lead_id", "pk")
        .values("lead_id", "dealer__name", "status")
        .iterator(chunk_size=500)
    )
    return {
        "quote_requests": (
            {
                "id": row["id"],
                "make": row["make__name"],
                "model": row["vehicle_model__name"],
                **{
                    key: value
                    for key, value in row.items()
                    if key not in ("id", "make__name", "vehicle_model__name")
                },
            }
            for row in leads
        ),
        "quote_request_dealers": (
            {
                "quote_request": row["lead_id"],
                "dealer": row["dealer__name"],
                "status": row["status"],
            }
            for row in assignments
        ),
    }
