"""Write the whole site to one file: `manage.py backup FILE`.

Nothing about a Paddock site should be locked in, and a site that cannot be backed up in one
step is not backed up at all. The file (a zip; paddock/core/backup.py describes it) holds the
database in a form that is the same for SQLite and PostgreSQL, the uploaded media and a
manifest with the versions, migrations and settings the site needs to come back, and
`manage.py restore FILE` puts it back, on either database. It streams, so the site's size is
limited by disk, not memory; it is safe to run while the site serves (one consistent snapshot on
PostgreSQL, a read transaction on SQLite). Progress shows on a terminal; in cron it is silent
unless something fails.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paddock.core.backup import BackupError, backup_write, tables

from ._progress import TerminalProgress


class Command(BaseCommand):
    help = "Back up the database, uploaded media and the site's settings into one zip file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup to write, e.g. paddock-2026-12-02.zip.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Replace FILE when it already exists."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the tables that would be written."
        )

    def handle(self, *args, file: str, overwrite: bool, dry_run: bool, **options) -> None:
        verbosity = options["verbosity"]
        destination = Path(file)
        if dry_run:
            listed = tables()
            self.stdout.write(f"Would write {len(listed)} tables and the media to {file}:")
            for table in listed:
                self.stdout.write(f"  {table.label}")
            return
        if destination.exists() and not overwrite:
            raise CommandError(f"{file} exists; choose another name or pass --overwrite.")
        if not destination.parent.is_dir():
            raise CommandError(f"The folder {destination.parent} does not exist.")
        progress = TerminalProgress(self.stdout, verbosity)
        started = time.monotonic()
        try:
            report = backup_write(destination, progress=progress)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        if progress.talks:
            size = destination.stat().st_size
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up {report.rows} rows of {report.tables} tables and "
                    f"{report.files} media files to {file} ({size / 1e6:.1f} MB) in "
                    f"{time.monotonic() - started:.1f} s."
                )
            )
