"""Read-side queries of leads: a dealer's own leads and the statistics for administrators."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone

from .models import AssignmentStatus, Dealer, Lead, LeadAssignment


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
