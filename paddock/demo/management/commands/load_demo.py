"""Fill an empty Paddock with the demo newsroom: sections, writers, moderators and articles.

A fresh install has nothing to show, and nothing to try the comments, moderation or newsletter
on. This command gives every new checkout, `make run`, the browser tests and screenshots the
same invented but credible news site: a home page in place of Wagtail's welcome page, five
sections, eight writers and three moderators from around the world, an admin and an editor
account, drawn illustrations and some thirty-five original articles (one of them a draft, one
scheduled), dated from a fixed base so that runs are identical. Forty readers discuss most of
the articles in threaded comments, vote on them and report a few to the moderators; one
article has a discussion of several hundred comments.

It only ever loads into a site with no articles: anywhere else it says so and does nothing,
which makes it safe to run on every start.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.urls import NoReverseMatch, reverse

from paddock.core.sites import public_address, site_address_set
from paddock.demo import content
from paddock.demo.loader import demo_is_loaded, demo_load
from paddock.demo.moderation import load_demo_moderation
from paddock.demo.newsletter import load_demo_newsletter


class Command(BaseCommand):
    help = "Load the demo site into an empty database (after migrate); skip if articles exist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be loaded without writing anything.",
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        if not dry_run:
            self._site_address(verbosity)
        if demo_is_loaded():
            if verbosity >= 1:
                self.stdout.write("Articles already exist, so the demo was not loaded.")
            return

        statuses = [spec.get("status", "live") for spec in content.ARTICLES]
        if dry_run:
            self.stdout.write(
                f"Would load {len(content.SECTIONS)} sections, "
                f"{len(content.CONTRIBUTORS)} contributors, {len(content.MODERATORS)} "
                f"moderators, {len(content.READERS)} readers, {len(content.IMAGES)} images "
                f"and {len(statuses)} articles ({statuses.count('live')} live, "
                f"{statuses.count('draft')} draft, {statuses.count('scheduled')} scheduled), "
                "with comments on most of the live ones. Nothing was written."
            )
            return

        started = time.monotonic()
        log = self.stdout.write if verbosity >= 2 else None
        report = demo_load(log=log)
        _analyze()
        elapsed = time.monotonic() - started

        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo in {elapsed:.1f} s: {report.sections} sections, "
                    f"{report.pages} pages, "
                    f"{report.contributors} contributors, {report.moderators} moderators, "
                    f"{report.images} images, {report.makes} makes, {report.live} live "
                    f"articles, {report.drafts} draft and {report.scheduled} scheduled; "
                    f"{report.readers} readers wrote {report.comments} comments, cast "
                    f"{report.votes} votes and filed {report.reports} reports "
                    f"({report.busiest_count} comments on {report.busiest_slug})."
                )
            )
            if report.admin_password_set:
                self.stdout.write(
                    f"Sign in at {self._admin_url()} as {content.ADMIN['username']} / "
                    f"{content.DEMO_PASSWORD} (the {content.EDITOR['username']} and moderator "
                    "accounts share that password)."
                )
            else:
                self.stdout.write(
                    f"The {content.ADMIN['username']!r} account already existed; its password "
                    "was left unchanged."
                )
            if report.contributor_login:
                self.stdout.write(
                    "Sign in to the admin as a contributor (writes drafts and submits them for "
                    f"Editors' approval) with {report.contributor_login} / "
                    f"{content.DEMO_PASSWORD}, or as a moderator with "
                    f"{report.moderator_login or 'a moderator account'} / "
                    f"{content.DEMO_PASSWORD}; every demo contributor and moderator shares it."
                )
            if report.reader_login:
                self.stdout.write(
                    f"Sign in on the site as a reader with {report.reader_login} / "
                    f"{content.DEMO_PASSWORD} (reader-1 to reader-{report.readers} "
                    "@example.com all share it)."
                )
        # A month of moderation, and comments waiting in the queue now.
        load_demo_moderation(log=log)
        # Dealers and quote requests for the new-car research offer, over the demo's makes.
        call_command("load_demo_dealers", verbosity=verbosity)
        # Subscribers and two sent editions, so the newsletter statistics have something to
        # show; it loads only once (it does nothing when its subscribers exist).
        load_demo_newsletter()
        self._site_address(verbosity)

    def _site_address(self, verbosity: int) -> None:
        """BASE_URL onto Wagtail's default Site (as migrate does), before and after loading:
        the demo's home page may make the site."""
        address = public_address()
        if address is not None and site_address_set(address=address) and verbosity >= 1:
            self.stdout.write(f"The site's address is now {address.root_url}/ (BASE_URL).")

    @staticmethod
    def _admin_url() -> str:
        try:
            path = reverse("wagtailadmin_home")
        except (NoReverseMatch, ImportError):
            path = "/admin/"
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _analyze() -> None:
    """PostgreSQL's statistics of the tables just filled: without them it plans the first
    minutes' queries for empty tables (the sidebar's recent comments took 3.5 ms instead of
    0.7) until autovacuum gets to them. SQLite plans from its indexes alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
