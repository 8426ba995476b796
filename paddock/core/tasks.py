"""Housekeeping the scheduler queues for the core."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django_tasks import task


@task(backend="background")
def prune_task_results() -> None:
    """Forget finished background tasks after a while, so the queue table stays small."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    if settings.TASKS["background"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return
    call_command(
        "prune_db_task_results",
        "--backend=background",
        "--queue-name=*",
        f"--min-age-days={settings.PADDOCK_TASK_RESULTS_KEEP_DAYS}",
        verbosity=0,
    )
