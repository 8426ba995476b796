"""Put a site back from a backup: `manage.py restore FILE`.

The other half of `manage.py backup`: into a new data folder (PADDOCK_DATA_DIR) or an empty
PostgreSQL database, whichever database made the backup, it gives back the same site: pages,
comments, accounts (passwords and all), subscribers, leads, the audit log, the media. It
migrates the database first, refuses a site that already has content unless --force (a restore
replaces everything), writes the tables in one transaction, then the media files, then rebuilds
the search index and empties the caches.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paddock.core.backup import BackupError, backup_restore

from ._progress import TerminalProgress


class Command(BaseCommand):
    help = "Restore the database and media from a backup FILE into an empty site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A file written by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a site that has content: everything in it is deleted first.",
        )

    def handle(self, *args, file: str, force: bool, **options) -> None:
        verbosity = options["verbosity"]
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"{file} does not exist or is not a file.")
        call_command("migrate", interactive=False, verbosity=0)
        progress = TerminalProgress(self.stdout, verbosity)
        started = time.monotonic()
        try:
            report = backup_restore(source, force=force, progress=progress)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        call_command("update_index", verbosity=0)
        for alias in settings.CACHES:
            caches[alias].clear()
        if progress.talks:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {report.rows} rows of {report.tables} tables and {report.files} "
                    f"media files from {file} in {time.monotonic() - started:.1f} s."
                )
            )
        if report.settings_differ and verbosity >= 1:
            self.stdout.write(
                self.style.WARNING("The backup was made with other settings; to match it, set:")
            )
            for name, (theirs, ours) in sorted(report.settings_differ.items()):
                self.stdout.write(f"  {name}: {theirs!r} (here: {ours!r})")
