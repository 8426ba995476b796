"""Which statements went to PostgreSQL together (pipeline mode: core.shapes.together, the site
chrome), for tests that count round trips."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection

# On PostgreSQL, the page of threads goes with two statements that set, and put back, how the
# server plans it (core.shapes.execute_together, `generic`); they read nothing.
PLAN_SETTINGS = 2 if connection.vendor == "postgresql" else 0


@contextmanager
def noting_pipelines() -> Iterator[list[int | bool]]:
    """A list that gets, for each statement run inside, False when it went on its own, else the
    number of the pipeline it was sent in (1, 2, ...: statements with the same number went in
    one round trip; never elsewhere than on PostgreSQL)."""
    pipelined: list[int | bool] = []
    seen: list[object] = []  # each pipeline, held so that a new one is never taken for it

    def note(execute, sql, params, many, context):
        raw = context["connection"].connection
        pipeline = None
        pg = connection.vendor == "postgresql"
        if pg and raw.pgconn.pipeline_status != psycopg.pq.PipelineStatus.OFF:
            pipeline = raw._pipeline
        if pipeline is None:
            pipelined.append(False)
        else:
            if not seen or seen[-1] is not pipeline:
                seen.append(pipeline)
            pipelined.append(len(seen))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield pipelined


def round_trips(pipelined: list[int | bool]) -> int:
    """The round trips the statements took: one each, one for each pipeline."""
    return sum(1 for flag in pipelined if not flag) + len({flag for flag in pipelined if flag})
