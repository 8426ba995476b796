"""What the two import commands share: options, the progress line, the report and exit codes.

Exit codes: 0 when everything was imported, 1 when anything was skipped (the report says what
and why), 2 when the file could not be imported at all (unreadable, malformed, not an export).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paddock.importers.context import Options
from paddock.importers.parsers import ExportError, ExportFile
from paddock.importers.report import Progress


class ImportCommand(BaseCommand):
    what = "export"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=f"The {self.what} file (.xml, or .xml.gz).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read the whole file and report what would be imported, updated and skipped, "
            "without writing or downloading anything.",
        )

    def run_import(self, importer, path: str, options: dict, **extra) -> None:
        verbosity = options["verbosity"]
        try:
            size = ExportFile(path).size
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.", returncode=2) from exc
        show_progress = verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty())
        progress = Progress(self.stderr, total_bytes=size, enabled=show_progress)
        started = time.monotonic()
        try:
            ctx, description = importer(
                path, options=Options(dry_run=options["dry_run"], progress=progress, **extra)
            )
        except ExportError as exc:
            if show_progress:
                self.stderr.write("")
            raise CommandError(str(exc), returncode=2) from exc
        elapsed = time.monotonic() - started
        report = ctx.report
        if verbosity >= 1:
            prefix = "Dry run (nothing was written): " if options["dry_run"] else ""
            self.stdout.write(f"{prefix}{description}, read in {elapsed:,.1f} s.")
            for line in report.lines(verbosity=verbosity):
                self.stdout.write(line)
        if report.skipped:
            items = "1 item was" if report.skipped == 1 else f"{report.skipped:,} items were"
            raise CommandError(
                f"{items} skipped; the report above says which and why. "
                "Fix them in the source and run the import again: what was imported is "
                "recognised and not duplicated.",
                returncode=1,
            )
