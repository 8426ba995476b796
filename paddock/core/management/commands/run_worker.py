"""Run the worker that fits the `background` task backend: RQ's with Redis, else the database's.

`make worker` runs this, so that the same command is right whether REDIS_URL is set or not:
with django-tasks-rq (REDIS_URL set) tasks sit in Redis and only RQ's worker, with the job
class that knows django-tasks' Task objects, can run them; with django-tasks-db they sit in a
table that `db_worker` polls. Start as many as the work needs, on any machine.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

RQ_BACKEND = "django_tasks_rq.RQBackend"
DB_BACKEND = "django_tasks_db.DatabaseBackend"


class Command(BaseCommand):
    help = "Run a worker for the background task queue (RQ's with Redis, else the database's)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued now, then exit."
        )

    def handle(self, *args, burst: bool, **options):
        backend = settings.TASKS["background"]["BACKEND"]
        verbosity = options["verbosity"]
        if backend == RQ_BACKEND:
            # The RQ scheduler inside the worker moves tasks queued with run_after (newsletter
            # retries, scheduled editions) onto the queue when they fall due.
            call_command(
                "rqworker",
                *sorted(settings.RQ_QUEUES),
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=burst,
                verbosity=verbosity,
            )
        elif backend == DB_BACKEND:
            flags = ["--backend=background", "--queue-name=*"]
            call_command("db_worker", *flags, *(["--batch"] if burst else []), verbosity=verbosity)
        else:
            raise CommandError(
                f"No worker is known for TASKS_BACKEND={backend!r}: use {RQ_BACKEND} (with "
                f"REDIS_URL) or {DB_BACKEND}, or start that backend's own worker."
            )
