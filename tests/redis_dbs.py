"""The Redis databases on 127.0.0.1:6379 that tests empty and fill: three in a row, from
PADDOCK_TEST_REDIS_DB (7 unless set). Two runs of the suite at once (.ci/run runs SQLite and
PostgreSQL side by side) give each its own three, so neither empties the other's."""

from __future__ import annotations

import os

FIRST = int(os.environ.get("PADDOCK_TEST_REDIS_DB", "7"))
if not 0 <= FIRST <= 13:
    raise ValueError(f"PADDOCK_TEST_REDIS_DB={FIRST}: Redis has databases 0 to 15, tests use three")

# The two app servers' shared cache and queue (tests/scaleout/test_two_processes.py).
TWO_SERVERS = FIRST
# The background queue on RQ (tests/scaleout/test_rq_worker.py).
RQ = FIRST + 1
# The page cache in Redis (paddock/core/tests/test_pagecache.py).
PAGE_CACHE = FIRST + 2


def url(db: int) -> str:
    return f"redis://127.0.0.1:6379/{db}"
