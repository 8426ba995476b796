"""Periodic work: queue each job of settings.PADDOCK_SCHEDULE when its period has passed.

A job is a django-tasks Task that takes no arguments, named by its dotted path, with a period
in seconds. `manage.py run_scheduler` calls `enqueue_due` every few seconds; any number of
schedulers may run (one beside each worker), because each job's row is locked while it is
checked and queued, so a period queues its job once. The work itself runs on the workers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    every: dt.timedelta

    @property
    def task(self):
        return import_string(self.task_path)


def jobs() -> list[Job]:
    """The configured jobs, checked: a typo fails loudly at start, not silently at 3 a.m."""
    found = []
    for name, spec in sorted(getattr(settings, "PADDOCK_SCHEDULE", {}).items()):
        try:
            every = dt.timedelta(seconds=int(spec["every"]))
            job = Job(name=name, task_path=spec["task"], every=every)
            job.task  # noqa: B018 - importing it is the check
        except (KeyError, TypeError, ValueError, ImportError) as exc:
            raise ImproperlyConfigured(f"PADDOCK_SCHEDULE[{name!r}] is invalid: {exc}") from exc
        if every <= dt.timedelta(0):
            raise ImproperlyConfigured(f"PADDOCK_SCHEDULE[{name!r}]: 'every' must be positive.")
        found.append(job)
    return found


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Queue every job whose period has passed; the names of those queued."""
    now = now or timezone.now()
    queued = []
    for job in jobs():
        ScheduledJob.objects.get_or_create(name=job.name)
        with transaction.atomic():
            row = ScheduledJob.objects.select_for_update().get(name=job.name)
            if row.last_enqueued_at is not None and row.last_enqueued_at + job.every > now:
                continue
            result = job.task.enqueue()
            row.last_enqueued_at = now
            row.last_task_id = str(result.id)[:64]
            row.save(update_fields=["last_enqueued_at", "last_task_id"])
        logger.info("Queued %s (%s)", job.name, job.task_path)
        queued.append(job.name)
    return queued
