"""What the core keeps in the database: when each periodic job was last queued, and the rate
limits' counts when there is no Redis (paddock/core/limitstore.py)."""

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


class RateLimitEntry(models.Model):
    """One entry of the rate-limit store on the embedded default: a counter (`count`) or any
    other value (pickled in `value`), until `expires` (Unix time). Written only through
    paddock/core/limitstore.py, in single statements that are atomic across processes."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField(blank=True)
    count = models.BigIntegerField(null=True, blank=True)
    expires = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return self.cache_key


class FormSubmission(models.Model):
    """The first answer to a form sent with a given stamp (paddock/core/once.py), so that the
    same form sent again (a double click, a browser's retry, a resend after a dropped
    connection) is answered the same and stores nothing twice. `status` 0 while the first is
    still being answered. Written only through paddock/core/once.py."""

    key = models.CharField(max_length=64, primary_key=True)
    status = models.PositiveSmallIntegerField(default=0)
    headers = models.JSONField(default=list, blank=True)
    content = models.BinaryField(blank=True)
    created = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return self.key
