"""Which statements went to PostgreSQL together (pipeline mode: core.shapes.together, the site
chrome), for tests that count round trips."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection


@contextmanager
def noting_pipelines() -> Iterator[list[bool]]:
    """A list that gets, for each statement run inside, whether it was sent in pipeline mode
    (never, elsewhere than on PostgreSQL)."""
    pipelined: list[bool] = []

    def note(execute, sql, params, many, context):
        raw = context["connection"].connection
        pipelined.append(
            connection.vendor == "postgresql"
            and raw.pgconn.pipeline_status != psycopg.pq.PipelineStatus.OFF
        )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield pipelined


def round_trips(pipelined: list[bool]) -> int:
    """The round trips the statements took: one each, one for each run sent together."""
    return sum(1 for n, flag in enumerate(pipelined) if not flag or n == 0 or not pipelined[n - 1])
