"""Queue the periodic jobs of settings.PADDOCK_SCHEDULE as they fall due."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from paddock.core.schedule import enqueue_due, jobs


class Command(BaseCommand):
    help = "Queue periodic background jobs when due (run one beside the workers)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue what is due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=15.0, help="Seconds between checks (default 15)."
        )

    def handle(self, *args, once: bool, interval: float, **options):
        configured = jobs()
        if options["verbosity"] >= 1:
            for job in configured:
                self.stdout.write(f"{job.name}: {job.task_path} every {job.every}")
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
        while True:
            for name in enqueue_due():
                if options["verbosity"] >= 1:
                    self.stdout.write(f"queued {name}")
            if once or stop.wait(interval):
                break
            # Between checks, as a worker does: drop connections the database has closed.
            close_old_connections()
