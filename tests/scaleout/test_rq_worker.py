"""With REDIS_URL set, background work goes through Redis (django-tasks-rq) and RQ's worker.

The test queues what the site queues (a reply's notification email, every
periodic job from the scheduler, a deferred task) into Redis database 8, then runs
`manage.py run_worker --burst` (what `make worker` runs) in a child process against the same
database, and checks the reply email arrived at a real SMTP server and every job succeeded.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from paddock.comments import services
from paddock.core.schedule import enqueue_due, jobs
from paddock.core.tasks import prune_task_results
from paddock.newsroom.tests.factories import make_article, make_section
from paddock.notifications.services import notify
from paddock.notifications.tasks import email_one
from tests import redis_dbs

from .conftest import REPO_ROOT, child_env, manage, redis_or_skip, suite_database_url

TASKS_REDIS_URL = redis_dbs.url(redis_dbs.RQ)


@pytest.fixture
def rq_background(settings):
    """The `background` backend on RQ in Redis (tests/redis_dbs.py), as config/settings.py
    makes it when REDIS_URL is set (test_settings_choose_rq_with_redis checks that part)."""
    client = redis_or_skip(redis_dbs.RQ)
    settings.TASKS = {**settings.TASKS, "background": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": -1}}
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


def _reader(name: str):
    user = get_user_model().objects.create_user(
        username=name.lower(), email=f"{name.lower()}@example.com", password="pw-horse-9"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.profile.display_name = name
    user.profile.save(update_fields=["display_name"])
    return user


def test_settings_choose_rq_with_redis(tmp_path):
    """REDIS_URL alone puts the background queue in Redis; TASKS_REDIS_URL moves it."""
    script = (
        "import json, config.settings as s; print(json.dumps([s.TASKS['background']['BACKEND'],"
        " s.RQ_QUEUES['default']['URL'], 'django_rq' in s.INSTALLED_APPS]))"
    )

    def configured(**env: str) -> list:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO_ROOT,
            env=child_env(tmp_path, **env),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    url = "redis://127.0.0.1:6379/3"
    assert configured(REDIS_URL=url) == ["django_tasks_rq.RQBackend", url, True]
    other = "redis://127.0.0.1:6379/4"
    assert configured(REDIS_URL=url, TASKS_REDIS_URL=other)[1] == other


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rq_worker_runs_the_sites_tasks_end_to_end(rq_background, smtp_server, tmp_path):
    import django_rq
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    queue = django_rq.get_queue("default")
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    ann, bob = _reader("Ann"), _reader("Bob")
    top = services.comment_create(user=ann, article_id=article.pk, body="Where to build?")
    reply = services.comment_create(
        user=bob, article_id=article.pk, body="Where they sell.", parent_id=top.pk
    )
    # Ann is told of the reply (notify is idempotent: whoever told her first, she is told once).
    notify(recipient=ann, kind="reply", comment=reply, actor=bob)
    assert queue.count == 1  # the reply's email, queued in Redis after the commit
    periodic = enqueue_due()
    assert sorted(periodic) == sorted(job.name for job in jobs())
    deferred = prune_task_results.using(run_after=timezone.now() + dt.timedelta(seconds=1))
    deferred_result = deferred.enqueue()
    assert ScheduledJobRegistry(queue=queue).count == 1
    assert queue.count == 1 + len(periodic)
    assert not DBTaskResult.objects.exists()  # nothing went to the database queue
    job_ids = [*queue.job_ids, deferred_result.id]
    time.sleep(1.1)  # the deferred task is due before the worker starts
    assert smtp_server.messages == []

    env = child_env(
        tmp_path,
        DATABASE_URL=suite_database_url(),
        REDIS_URL=TASKS_REDIS_URL,
        EMAIL_URL=f"smtp://{smtp_server.host}:{smtp_server.port}",
    )
    manage(env, "run_worker", "--burst", "-v0", timeout=180)

    assert FailedJobRegistry(queue=queue).count == 0
    results = {job_id: email_one.get_backend().get_result(job_id) for job_id in job_ids}
    assert len(results) == 2 + len(periodic)
    failed = {r.task.name: r.status for r in results.values()}
    assert all(r.status == TaskResultStatus.SUCCESSFUL for r in results.values()), failed
    assert results[job_ids[0]].task.name == "email_one"
    assert results[job_ids[0]].return_value is True
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == ann.email
    assert "Bob replied to your comment" in message["Subject"]
