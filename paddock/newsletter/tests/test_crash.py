"""A real worker process killed in the middle of a batch, then started again: the SMTP server
ends up with every subscriber's copy exactly once.

The worker runs `manage.py db_worker` against this test's database: the PostgreSQL test
database directly, or, on SQLite (whose test database lives in memory), a file copy of it that
is copied back for the final checks.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from paddock.newsletter import services
from paddock.newsletter.models import Delivery, DeliveryStatus, EditionStatus

from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPO = Path(__file__).resolve().parents[3]
SUBSCRIBERS = 30
KILL_AFTER = 12
BATCH = 5


class WorkerDatabase:
    """Where the worker process finds this test's data, and how to read its progress."""

    def __init__(self, tmp_path: Path) -> None:
        db = settings.DATABASES["default"]
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            target = sqlite3.connect(self.path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            user, password = db["USER"], db.get("PASSWORD") or ""
            auth = f"{user}:{password}@" if password else f"{user}@"
            self.url = (
                f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            )

    def count(self, status: str) -> int:
        if self.sqlite:
            with sqlite3.connect(self.path, timeout=20) as conn:
                table = Delivery._meta.db_table
                sql = f"SELECT COUNT(*) FROM {table} WHERE status = ?"  # noqa: S608
                return conn.execute(sql, [status]).fetchone()[0]
        return Delivery.objects.filter(status=status).count()

    def bring_back(self) -> None:
        """Copy the worker's database over the test's, so the ORM sees what it did."""
        if self.sqlite:
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()


def _start_worker(database: WorkerDatabase, smtp_port: int) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database.url,
        "SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "BASE_URL": "http://testserver",
        "PADDOCK_NEWSLETTER_RATE": "10",  # a message every 100 ms: time to kill it mid-batch
        "PADDOCK_NEWSLETTER_BATCH_SIZE": str(BATCH),
        "PADDOCK_NEWSLETTER_LEASE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--backend=background",
            "--queue-name=*",
            "--no-startup-delay",
            "--interval=0.1",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(condition, timeout: float, what: str, worker: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"The worker exited while waiting for {what}: {worker.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}.")
        time.sleep(0.002)


def test_worker_killed_mid_batch_sends_nothing_twice_and_skips_no_one(
    smtp_server, settings, tmp_path
):
    settings.PADDOCK_NEWSLETTER_PARALLEL_TASKS = 1
    subscribers = SubscriberFactory.create_batch(SUBSCRIBERS)
    edition = EditionFactory(subject="Crash test")
    services.edition_send(edition=edition)
    database = WorkerDatabase(tmp_path)

    worker = _start_worker(database, smtp_server.port)
    try:
        # Kill it right after a message is both received and recorded, while the worker
        # waits out its rate: in the middle of its third batch, with claimed rows left.
        _wait(
            lambda: (
                len(smtp_server.messages) >= KILL_AFTER
                and database.count(DeliveryStatus.SENT) == len(smtp_server.messages)
            ),
            60,
            f"{KILL_AFTER} messages",
            worker,
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    received_before = len(smtp_server.messages)
    assert KILL_AFTER <= received_before < SUBSCRIBERS
    assert database.count(DeliveryStatus.CLAIMED) > 0  # it died holding part of a batch

    worker = _start_worker(database, smtp_server.port)
    try:
        _wait(
            lambda: database.count(DeliveryStatus.SENT) == SUBSCRIBERS,
            60,
            "the rest of the sending",
            worker,
        )
        time.sleep(0.5)  # anything sent twice would arrive now
    finally:
        worker.terminate()
        worker.wait(10)

    received = Counter(m["To"].addresses[0].addr_spec for m in smtp_server.messages)
    assert set(received) == {s.email for s in subscribers}  # nobody skipped
    assert max(received.values()) == 1  # nothing twice
    database.bring_back()
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == SUBSCRIBERS
    assert not Delivery.objects.filter(status=DeliveryStatus.IN_DOUBT).exists()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
