"""Write the whole site as a WordPress export (WXR 1.2), so that nothing is locked in Paddock.

WordPress's own importer (Tools → Import → WordPress) reads the file: contributors become
authors, sections categories, tags tags, live articles posts and live standard pages pages,
with every published comment threaded under them. `import_wordpress` reads it too, so the same
file moves a Paddock site into another Paddock. The file is written as the database is read,
never held in memory whole; a progress line shows on a terminal.
"""

from __future__ import annotations

import os
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paddock.importers.wordpress.export import export_total, wordpress_export


class Command(BaseCommand):
    help = "Write the site as a WordPress export (WXR 1.2): authors, sections, tags, articles, "
    help += "standard pages and their published comments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the export (.xml).")

    def handle(self, *args, path: str, **options) -> None:
        verbosity = options["verbosity"]
        total = export_total()
        progress = verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty())
        done = 0
        started = last = time.monotonic()

        def tick() -> None:
            nonlocal done, last
            done += 1
            now = time.monotonic()
            if progress and (now - last >= 0.5 or done == total):
                last = now
                self.stderr.write(f"\rexported {done:,} of {total:,} posts and pages", ending="")
                self.stderr.flush()

        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise CommandError(f"Cannot write {path}: the folder {directory} does not exist.")
        # Written beside the target and renamed at the end: a failed export leaves no half file.
        handle, partial = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".xml")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                counts = wordpress_export(out, on_item=tick)
            os.replace(partial, path)
        except BaseException:
            os.unlink(partial)
            raise
        if progress:
            self.stderr.write("")
        if verbosity >= 1:
            self.stdout.write(
                f"Wrote {path} in {time.monotonic() - started:,.1f} s: {counts.posts:,} posts, "
                f"{counts.pages:,} pages, {counts.comments:,} comments, {counts.authors:,} "
                f"authors, {counts.categories:,} categories, {counts.tags:,} tags."
            )
