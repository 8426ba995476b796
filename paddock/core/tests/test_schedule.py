"""The scheduler queues each periodic job once per period, whoever asks and how often."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paddock.core.models import ScheduledJob
from paddock.core.schedule import enqueue_due

PRUNE = {"task": "paddock.core.tasks.prune_task_results", "every": 3600}


@pytest.fixture
def one_job(settings):
    settings.PADDOCK_SCHEDULE = {"prune": PRUNE}


def queued(name: str = "prune_task_results") -> int:
    return DBTaskResult.objects.filter(task_path__endswith=name).count()


@pytest.mark.django_db
def test_a_job_is_queued_once_per_period(one_job):
    start = timezone.now()
    assert enqueue_due(start) == ["prune"]
    assert enqueue_due(start + dt.timedelta(minutes=59)) == []
    assert queued() == 1
    assert enqueue_due(start + dt.timedelta(minutes=60)) == ["prune"]
    assert queued() == 2
    row = ScheduledJob.objects.get(name="prune")
    assert row.last_enqueued_at == start + dt.timedelta(minutes=60)
    assert row.last_task_id


@pytest.mark.django_db
def test_the_command_once_queues_what_is_due_and_says_so(one_job):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    call_command("run_scheduler", "--once", stdout=out)
    assert "queued prune" in out.getvalue()
    assert out.getvalue().count("queued prune") == 1
    assert queued() == 1


@pytest.mark.parametrize(
    "spec",
    [
        {"task": "paddock.core.tasks.no_such_task", "every": 60},
        {"task": "paddock.core.tasks.prune_task_results", "every": 0},
        {"task": "paddock.core.tasks.prune_task_results", "every": "soon"},
        {"every": 60},
    ],
)
@pytest.mark.django_db
def test_a_bad_schedule_fails_loudly(settings, spec):
    settings.PADDOCK_SCHEDULE = {"broken": spec}
    with pytest.raises(ImproperlyConfigured, match="broken"):
        enqueue_due()
    assert queued() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_prune_job_forgets_old_finished_tasks(one_job, settings, drain_background_tasks):
    settings.PADDOCK_TASK_RESULTS_KEEP_DAYS = 14
    enqueue_due()
    drain_background_tasks()
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL"
    # Age the finished run past the limit, then let the next period prune it.
    old = timezone.now() - dt.timedelta(days=15)
    DBTaskResult.objects.filter(pk=done.pk).update(finished_at=old, enqueued_at=old)
    enqueue_due(timezone.now() + dt.timedelta(hours=2))
    drain_background_tasks()
    assert not DBTaskResult.objects.filter(pk=done.pk).exists()
    assert DBTaskResult.objects.count() == 1
