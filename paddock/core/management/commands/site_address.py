"""Give Wagtail's default Site the address the site is served at.

Every page URL Wagtail builds (sitemap, canonical links, feeds, JSON-LD, links in emails) starts
with the default Site's hostname and port, which the installer leaves at localhost:80. `migrate`
and `load_demo` set it from BASE_URL already; this command does it on demand, for an existing
site or another address: `manage.py site_address` (BASE_URL) or
`manage.py site_address https://news.example.com`.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paddock.core.sites import address_parse, public_address, site_address_set


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from BASE_URL or the given URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", nargs="?", help="The public address (default: BASE_URL).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")

    def handle(self, *args, url: str | None = None, dry_run: bool = False, **options) -> None:
        verbosity = options["verbosity"]
        try:
            address = address_parse(url) if url else public_address()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        if address is None:
            raise CommandError("BASE_URL is not set: give the address, e.g. http://127.0.0.1:8000")
        if dry_run:
            self.stdout.write(f"Would set the default site to {address.root_url}/.")
            return
        try:
            changed = site_address_set(address=address)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            if changed:
                self.stdout.write(f"The default site is now {address.root_url}/.")
            else:
                self.stdout.write(f"The default site was already {address.root_url}/.")
