"""Helpers for the scale-out tests: the machine's Redis, free ports, child processes.

These tests start real processes (gunicorn, RQ's worker) against PostgreSQL and Redis on
127.0.0.1, so each one is bounded in time and skips, saying why, where a service is missing.
"""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests import redis_dbs

REPO_ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _add_replica_alias() -> None:
    """On PostgreSQL, a "replica" alias for the router tests: the test database under a second
    name and a connection of its own, as Django's TEST MIRROR setting describes. It must exist
    before the test databases are set up, hence here, at collection; nothing routes to it
    unless a test turns the router on (config/settings.py does that only with
    DATABASE_REPLICA_URL, which then defines the alias itself)."""
    from django.conf import settings
    from django.db import connections

    default = settings.DATABASES["default"]
    if default["ENGINE"] != "paddock.core.postgresql" or "replica" in settings.DATABASES:
        return
    replica = {**copy.deepcopy(connections.settings["default"]), "TEST": {"MIRROR": "default"}}
    settings.DATABASES["replica"] = replica
    connections.settings["replica"] = replica


_add_replica_alias()


def redis_or_skip(db: int):
    """A client for Redis database `db` on 127.0.0.1:6379, emptied; skips when Redis is down."""
    redis = pytest.importorskip("redis")
    client = redis.Redis(
        host=REDIS_HOST, port=REDIS_PORT, db=db, socket_connect_timeout=2, socket_timeout=5
    )
    try:
        client.ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        pytest.skip(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT} ({exc}).")
    client.flushdb()
    return client


@pytest.fixture
def shared_redis() -> Iterator:
    """The two servers' Redis database (tests/redis_dbs.py), flushed before and after."""
    client = redis_or_skip(redis_dbs.TWO_SERVERS)
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


def suite_database_url() -> str:
    """The test database as a DATABASE_URL, for a child process: the suite's own, already
    migrated, so a child server starts at once (a transactional test, so that what either side
    writes is committed; flushed afterwards like every transactional test)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'] or 'postgres')}{password}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a child Paddock process: this one's, less what would point it at
    another database, cache or mail server, plus `overrides`. No DJANGO_SETTINGS_MODULE: the
    entry points (manage.py, config/wsgi.py) name their settings, as under `make run`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "TASKS_BACKEND"}
        and not k.startswith(("PYTEST_", "DJANGO_"))
    }
    static = data_dir / "static"
    static.mkdir(parents=True, exist_ok=True)
    env.update(
        PADDOCK_DATA_DIR=str(data_dir),
        STATIC_ROOT=str(static),
        PADDOCK_TESTING="1",
        SECRET_KEY="scale-out-test-key-shared-by-every-process-0123456789abcdef",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: float) -> subprocess.CompletedProcess:
    """Run `manage.py ARGS` in a child process; fail the test with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result
