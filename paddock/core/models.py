"""What the core keeps in the database: when each periodic job was last queued."""

from __future__ import annotations

from django.db import models


class ScheduledJob(models.Model):
    """One row per job in settings.PADDOCK_SCHEDULE; its lock and its last run."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
