"""Demo dealers across several states, a staff login for each, leads in every status, and two
unrouted leads (shoppers far from every dealer) for the admin's "Unrouted leads" page.

The demo site needs something in the dealer portal and the lead statistics; this runs after
`load_demo` (it needs its makes) and is idempotent: dealers are matched by name, and leads are
added only while the demo has none.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from paddock.leads import policy
from paddock.leads.geo import haversine_miles, zip_location
from paddock.leads.models import AssignmentStatus, Dealer, DealerStaff, Lead, LeadAssignment
from paddock.newsroom.demo.content import DEMO_PASSWORD
from paddock.newsroom.models import Make

DEALERS_GROUP = "Dealers"
# name, street, city, state, zip, index of makes sold (into the sorted demo makes)
DEALERS = [
    ("Bay Bridge Motors", "1200 Van Ness Ave", "San Francisco", "CA", "94109", (0, 1, 2)),
    ("Sunset Auto Group", "8500 Sunset Blvd", "Los Angeles", "CA", "90069", (2, 3, 4)),
    ("Lone Star Autoplex", "4400 Lemmon Ave", "Dallas", "TX", "75219", (0, 4, 5)),
    ("Gulf Coast Motors", "2100 Westheimer Rd", "Houston", "TX", "77098", (1, 5, 6)),
    ("Empire Auto Mall", "600 W 57th St", "New York", "NY", "10019", (0, 2, 7)),
    ("Hudson Valley Cars", "45 Main St", "Yonkers", "NY", "10701", (3, 4, 6)),
    ("Lakeshore Auto", "1500 N Clark St", "Chicago", "IL", "60610", (0, 1, 3)),
    ("Prairie Motors", "300 S Neil St", "Champaign", "IL", "61820", (5, 6, 7)),
    ("Peach State Auto", "1800 Peachtree St NW", "Atlanta", "GA", "30309", (1, 2, 4)),
    ("Front Range Motors", "3000 E Colfax Ave", "Denver", "CO", "80206", (0, 3, 6)),
    ("Evergreen Auto", "1100 Westlake Ave N", "Seattle", "WA", "98109", (2, 5, 7)),
    ("Biscayne Motors", "3400 Biscayne Blvd", "Miami", "FL", "33137", (1, 4, 7)),
]
SHOPPERS = [
    ("Jordan Lee", "94110"),
    ("Maria Garcia", "90026"),
    ("Sam Patel", "75204"),
    ("Alex Kim", "77006"),
    ("Chris Walker", "10025"),
    ("Dana Brooks", "10705"),
    ("Riley Chen", "60614"),
    ("Morgan Diaz", "61801"),
    ("Taylor Reed", "30308"),
    ("Jamie Fox", "80205"),
]
# Shoppers in Anchorage and Helena: no demo dealer is within the radius.
FAR_SHOPPERS = [("Avery North", "99501"), ("Quinn Rivers", "59601")]


def _miles(zip_code: str, dealer: Dealer) -> float:
    return haversine_miles(zip_location(zip_code), (dealer.latitude, dealer.longitude))


def staff_username(dealer_name: str) -> str:
    return "dealer-" + dealer_name.lower().replace(" ", "-")


class Command(BaseCommand):
    help = "Load demo dealers, their staff logins and leads in every status (after load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done.")

    def handle(self, *args, dry_run: bool = False, **options):
        makes = list(Make.objects.prefetch_related("vehicle_models").order_by("name"))
        if not makes or not all(m.vehicle_models.all() for m in makes):
            raise CommandError("No makes with models yet: run `manage.py load_demo` first.")
        if dry_run:
            self.stdout.write(f"Would load {len(DEALERS)} dealers and their leads.")
            return
        with transaction.atomic():
            dealers = self._dealers(makes)
            leads = self._leads(dealers) if not Lead.objects.exists() else 0
        if options["verbosity"] >= 1:
            first = dealers[0]
            self.stdout.write(
                f"{len(dealers)} demo dealers, {leads} new leads. Dealer portal: /dealer/ — sign "
                f"in as {first.staff.first().user.email} with password {DEMO_PASSWORD!r}."
            )

    def _dealers(self, makes: list[Make]) -> list[Dealer]:
        User = get_user_model()
        group, _ = Group.objects.get_or_create(name=DEALERS_GROUP)
        dealers = []
        for name, street, city, state, zip_code, make_indexes in DEALERS:
            username = staff_username(name)
            email = f"{username}@dealers.example"
            dealer, _ = Dealer.objects.update_or_create(
                name=name,
                defaults={
                    "street": street,
                    "city": city,
                    "state": state,
                    "zip_code": zip_code,
                    "notification_emails": email,
                    "active": True,
                    "daily_lead_cap": 20,
                },
            )
            dealer.makes.set([makes[i % len(makes)] for i in make_indexes])
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    email=email,
                    password=DEMO_PASSWORD,
                    first_name=name.split()[0],
                    last_name="Sales",
                )
                # allauth signs in by email: mark the address verified as the demo's own are.
                from allauth.account.models import EmailAddress

                EmailAddress.objects.get_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
            user.groups.add(group)
            DealerStaff.objects.update_or_create(user=user, defaults={"dealer": dealer})
            dealers.append(dealer)
        return dealers

    def _leads(self, dealers: list[Dealer]) -> int:
        rng = random.Random(7)  # noqa: S311 - demo data
        statuses = list(AssignmentStatus.values)
        now = timezone.now()
        created = 0
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
            email = f"{name.split()[0].lower()}.{i}@shoppers.example"
            lead = Lead.objects.create(
                make=make,
                vehicle_model=model,
                year=now.year,
                trim="",
                timeframe=["now", "month", "quarter", "later"][i % 4],
                zip_code=zip_code,
                name=name,
                email=email,
                phone=f"+1212555{i:04d}",
                consent_text=policy.CONSENT_TEXT,
            )
            received = now - dt.timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 23))
            Lead.objects.filter(pk=lead.pk).update(created_at=received)
            assignment = LeadAssignment.objects.create(
                lead=lead,
                dealer=dealer,
                distance_miles=_miles(zip_code, dealer),
                status=statuses[i % len(statuses)],
                notified_at=received,
            )
            LeadAssignment.objects.filter(pk=assignment.pk).update(created_at=received)
            created += 1
        for i, (name, zip_code) in enumerate(FAR_SHOPPERS):
            make = dealers[i].makes.order_by("name").first()
            lead = Lead.objects.create(
                make=make,
                vehicle_model=make.vehicle_models.order_by("name").first(),
                timeframe="quarter",
                zip_code=zip_code,
                name=name,
                email=f"{name.split()[0].lower()}.far@shoppers.example",
                phone=f"+1907555{i:04d}",
                consent_text=policy.CONSENT_TEXT,
                unrouted=True,
            )
            Lead.objects.filter(pk=lead.pk).update(created_at=now - dt.timedelta(days=i + 1))
            created += 1
        return created
