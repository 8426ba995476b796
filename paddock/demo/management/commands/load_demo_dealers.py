"""Demo dealers across several states, a staff login for each, leads in every status, and two
unrouted leads (shoppers far from every dealer) for the admin's "Unrouted leads" page.

The demo site needs something in the dealer portal and the lead statistics; this runs after
`load_demo` (it needs its makes) and is idempotent: dealers are matched by name, and leads are
added only while the demo has none.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paddock.demo.content import DEALERS, DEMO_PASSWORD
from paddock.demo.dealers import NoMakes, demo_makes, load_demo_dealers


class Command(BaseCommand):
    help = "Load demo dealers, their staff logins and leads in every status (after load_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        try:
            makes = demo_makes()
        except NoMakes as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(f"Would load {len(DEALERS)} dealers and their leads.")
            return
        dealers, leads = load_demo_dealers(makes)
        if options["verbosity"] >= 1:
            first = dealers[0]
            self.stdout.write(
                f"{len(dealers)} demo dealers, {leads} new leads. Dealer portal: /dealer/ — sign "
                f"in as {first.staff.first().user.email} with password {DEMO_PASSWORD!r}."
            )
