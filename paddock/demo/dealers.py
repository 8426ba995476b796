"""The demo's dealers: dealers across several states (from ``data/people.json``), a staff
login for each, leads in every status, and two unrouted leads (shoppers far from every dealer)
for the admin's "Unrouted leads" page.

It runs after the demo's articles (it needs their makes) and is idempotent: dealers are
matched by name, and leads are added only while the site has none.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from paddock.accounts.services import account_create
from paddock.core.roles import group_ensure
from paddock.leads import policy
from paddock.leads.geo import haversine_miles, postal_location
from paddock.leads.models import AssignmentStatus, Dealer, Lead, LeadAssignment
from paddock.leads.services import dealer_save, dealer_staff_set, leads_bulk_import
from paddock.newsroom.models import Make

from .content import DEALERS, DEALERS_GROUP, DEMO_PASSWORD, FAR_SHOPPERS, SHOPPERS


class NoMakes(Exception):
    """The demo's makes are not loaded yet."""


def demo_makes() -> list[Make]:
    """The makes dealers sell, sorted by name (the dealers' data indexes into this list)."""
    makes = list(Make.objects.prefetch_related("vehicle_models").order_by("name"))
    if not makes or not all(m.vehicle_models.all() for m in makes):
        raise NoMakes("No makes with models yet: run `manage.py load_demo` first.")
    return makes


def load_demo_dealers(makes: list[Make]) -> tuple[list[Dealer], int]:
    """The dealers and their staff, and the leads when there are none yet: (dealers, how many
    leads were created)."""
    with transaction.atomic():
        dealers = _dealers(makes)
        leads = _leads(dealers) if not Lead.objects.exists() else 0
    return dealers, leads


def _miles(zip_code: str, dealer: Dealer) -> float:
    return haversine_miles(postal_location(zip_code), (dealer.latitude, dealer.longitude))


def staff_username(dealer_name: str) -> str:
    """The dealer's demo staff login."""
    return "dealer-" + dealer_name.lower().replace(" ", "-")


def _dealers(makes: list[Make]) -> list[Dealer]:
    User = get_user_model()  # noqa: N806
    group = group_ensure(DEALERS_GROUP)
    # Hashed once for every staff account: each hash costs a good part of a second.
    password = make_password(DEMO_PASSWORD)
    dealers = []
    for name, street, city, state, zip_code, make_indexes in DEALERS:
        username = staff_username(name)
        email = f"{username}@dealers.example"
        dealer = dealer_save(
            name=name,
            street=street,
            city=city,
            state=state,
            zip_code=zip_code,
            notification_emails=email,
            makes=[makes[i % len(makes)] for i in make_indexes],
        )
        user = User.objects.filter(username=username).first()
        if user is None:
            # allauth signs in by email: the address is verified, as the demo's own are.
            user = account_create(
                username=username,
                email=email,
                password_hash=password,
                first_name=name.split()[0],
                last_name="Sales",
                groups=[group],
                email_verified=True,
            )
        dealer_staff_set(user=user, dealer=dealer)
        dealers.append(dealer)
    return dealers


def _leads(dealers: list[Dealer]) -> int:
    rng = random.Random(7)  # noqa: S311 - demo data
    statuses = list(AssignmentStatus.values)
    now = timezone.now()
    leads, assignments = [], []
    for i in range(32):
        dealer = dealers[i % len(dealers)]
        make = dealer.makes.order_by("name")[i % dealer.makes.count()]
        model = make.vehicle_models.order_by("name")[i % make.vehicle_models.count()]
        name, _ = SHOPPERS[(i * 7) % len(SHOPPERS)]
        # Shoppers near the dealer, as routing would have it: the dealer's own ZIP for half
        # of them, a nearby neighbourhood's for the rest when one is within the radius.
        zip_code = dealer.zip_code
        if i % 2 == 0:
            zip_code = next(
                (z for _, z in SHOPPERS if _miles(z, dealer) <= policy.radius_miles()),
                dealer.zip_code,
            )
        received = now - dt.timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 23))
        lead = Lead(
            make=make,
            vehicle_model=model,
            year=now.year,
            trim="",
            timeframe=["now", "month", "quarter", "later"][i % 4],
            zip_code=zip_code,
            name=name,
            email=f"{name.split()[0].lower()}.{i}@shoppers.example",
            phone=f"+1212555{i:04d}",
            consent_text=policy.CONSENT_TEXT,
            created_at=received,
        )
        leads.append(lead)
        assignments.append(
            LeadAssignment(
                lead=lead,
                dealer=dealer,
                distance_miles=_miles(zip_code, dealer),
                status=statuses[i % len(statuses)],
                notified_at=received,
            )
        )
    for i, (name, zip_code) in enumerate(FAR_SHOPPERS):
        make = dealers[i].makes.order_by("name").first()
        leads.append(
            Lead(
                make=make,
                vehicle_model=make.vehicle_models.order_by("name").first(),
                timeframe="quarter",
                zip_code=zip_code,
                name=name,
                email=f"{name.split()[0].lower()}.far@shoppers.example",
                phone=f"+1907555{i:04d}",
                consent_text=policy.CONSENT_TEXT,
                created_at=now - dt.timedelta(days=i + 1),
            )
        )
    # Received over the last month elsewhere: stored as they were, nobody emailed again.
    leads_bulk_import(leads=leads, assignments=assignments)
    return len(leads)
