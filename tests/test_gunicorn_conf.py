"""gunicorn.conf.py's worker count: one process per core, plus one for a database on another
machine, unless WORKERS says otherwise."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

CONF = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


@pytest.mark.parametrize(
    "url",
    [
        "",
        "sqlite:////srv/paddock/paddock.sqlite3",
        "postgres://paddock@127.0.0.1:5432/paddock",
        "postgres://paddock@localhost/paddock",
        "postgres://paddock@[::1]:5432/paddock",
        "postgres:///paddock",
        "postgres://paddock@/paddock?host=/var/run/postgresql",
        "postgres://paddock@%2Fvar%2Frun%2Fpostgresql/paddock",
    ],
)
def test_a_database_on_this_machine_gets_a_process_per_core(url):
    assert CONF["database_is_local"](url)
    assert CONF["default_workers"]({"DATABASE_URL": url}) == (os.cpu_count() or 1)


@pytest.mark.parametrize(
    "url",
    [
        "postgres://paddock@db.internal:5432/paddock",
        "postgres://paddock@10.0.0.5/paddock",
        "postgres://paddock@127.0.0.1/paddock?host=db.internal",
    ],
)
def test_a_database_elsewhere_gets_one_more(url):
    assert not CONF["database_is_local"](url)
    assert CONF["default_workers"]({"DATABASE_URL": url}) == (os.cpu_count() or 1) + 1


def test_workers_wins():
    assert CONF["default_workers"]({"WORKERS": "7", "DATABASE_URL": ""}) == 7
    remote = {"WORKERS": "1", "DATABASE_URL": "postgres://p@db.internal/p"}
    assert CONF["default_workers"](remote) == 1
