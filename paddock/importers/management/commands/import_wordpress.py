"""Move a WordPress site into Paddock from its export file (Tools → Export → All content).

Most independent car-news sites run on WordPress; this brings one over in a single command and
loses nothing: authors become contributors (with accounts that cannot sign in until a password
is set), the first category of each post its section, other categories and tags become tags,
posts become articles (published, draft or scheduled, with their original slugs and a redirect
from their old permalink), pages become standard pages (keeping their hierarchy, slugs and
menu order, with the same redirects), attachments are downloaded into the image library when
reachable, and comments keep their threads, states, authors and dates.

Run it again with the same or a newer export: nothing is imported twice, and what changed in
WordPress is updated. It reads the file as a stream, so a multi-gigabyte export does not need
the memory of one. The exit code is 0 when nothing was skipped, 1 when something was (the
report says what and why), 2 when the file cannot be imported at all.
"""

from __future__ import annotations

from django.core.management.base import CommandParser

from paddock.importers.wordpress.pipeline import wordpress_import

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a WordPress (WXR 1.0–1.2) export: authors, categories, tags, posts, pages and "
        "comments."
    )
    what = "WordPress export (WXR)"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-download",
            action="store_true",
            help="Do not download attachments; articles link to the images on the old site.",
        )

    def handle(self, *args, path: str, **options) -> None:
        self.run_import(wordpress_import, path, options, download=not options["no_download"])
