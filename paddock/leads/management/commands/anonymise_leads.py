"""Blank the personal fields of leads older than PADDOCK_LEADS_RETENTION_DAYS.

Leads are kept for statistics (make, model, ZIP, dealers, outcome) but nobody needs a shopper's
name, email or phone after the retention period. The scheduler (`manage.py run_scheduler`)
runs the same service every hour through the `anonymise_leads` task; this command is for a
one-off run, a shorter retention (--days) or a dry run.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from paddock.leads import policy, services


class Command(BaseCommand):
    help = "Anonymise leads older than the retention period (PADDOCK_LEADS_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--days", type=int, default=None, help="Override the retention.")

    def handle(self, *args, dry_run: bool = False, days: int | None = None, **options):
        count = services.leads_anonymise(older_than_days=days, dry_run=dry_run)
        if options["verbosity"] >= 1:
            verb = "Would anonymise" if dry_run else "Anonymised"
            retention = policy.retention_days() if days is None else days
            self.stdout.write(f"{verb} {count} leads older than {retention} days.")
