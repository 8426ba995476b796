"""Statements sent in one write (paddock/core/pgpipeline.py): the rows psycopg's cursors give,
statements prepared by psycopg's own bookkeeping (which a rollback empties, server side too),
and an error that leaves the connection as psycopg's pipeline leaves it."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from paddock.core import pgpipeline
from paddock.core.shapes import execute_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pipeline mode"),
]

STATEMENTS = [
    (
        "SELECT %s::int + 1, %s::text || '%%', %s::timestamptz, %s::boolean, NULL::text",
        [41, "fifty", datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC), True],
    ),
    ("SELECT n, 'row ' || n FROM generate_series(1, %s) AS n ORDER BY n", [3]),
    ("SELECT 1 WHERE false", []),
]


def _raw():
    connection.ensure_connection()
    return connection.connection


def _prepared_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return [name for (name,) in cursor.fetchall()]


def test_rows_are_what_the_drivers_cursors_give():
    raw = _raw()
    assert pgpipeline.usable(raw)
    expected = []
    for sql, params in STATEMENTS:
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            expected.append(cursor.fetchall())
    assert pgpipeline.execute(raw, STATEMENTS) == expected
    assert expected[0] == [
        (42, "fifty%", datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC), True, None)
    ]
    assert expected[1] == [(1, "row 1"), (2, "row 2"), (3, "row 3")]
    assert raw.pgconn.pipeline_status == 0 and raw.info.transaction_status == 0  # OFF, IDLE


def test_statements_are_prepared_by_psycopgs_bookkeeping_and_survive_its_rollbacks():
    raw = _raw()
    threshold = raw.prepare_threshold
    assert threshold is not None  # DB_PREPARE_THRESHOLD, as configured for the suite
    sql = "SELECT %s::int * 2 AS doubled"
    for n in range(threshold + 3):
        assert pgpipeline.execute(raw, [(sql, [n]), ("SELECT 1", [])]) == [[(2 * n,)], [(1,)]]
    before = _prepared_names()
    assert before and all(name.startswith("_pg3_") for name in before)
    # A rollback makes psycopg deallocate every prepared statement and forget them: what is
    # sent next is prepared afresh, in a transaction as outside one.
    for _ in range(2):
        with pytest.raises(DatabaseError), transaction.atomic():
            execute_together(connection, [(sql, [1]), ("SELECT * FROM no_such_table", [])])
        with transaction.atomic():
            for n in range(threshold + 2):
                assert execute_together(connection, [(sql, [n]), ("SELECT 2", [])]) == [
                    [(2 * n,)],
                    [(2,)],
                ]
    assert _prepared_names()


def test_an_error_is_raised_and_leaves_the_connection_usable():
    raw = _raw()
    with pytest.raises(DatabaseError) as caught:
        execute_together(
            connection,
            [("SELECT 1", []), ("SELECT 1 / %s", [0]), ("SELECT 3", [])],
        )
    assert "division by zero" in str(caught.value)
    assert raw.pgconn.pipeline_status == 0 and raw.info.transaction_status == 0
    assert pgpipeline.usable(raw)
    assert execute_together(connection, [("SELECT 4", []), ("SELECT 5", [])]) == [[(4,)], [(5,)]]
    # In a transaction, the error fails it, as any statement's would.
    with pytest.raises(DatabaseError), transaction.atomic():
        execute_together(connection, [("SELECT 1 / %s", [0]), ("SELECT 3", [])])
    assert execute_together(connection, [("SELECT 6", []), ("SELECT 7", [])]) == [[(6,)], [(7,)]]


def test_a_transaction_not_yet_begun_goes_through_psycopgs_own_pipeline():
    with transaction.atomic():
        raw = connection.connection
        # Django asked for a transaction; psycopg begins it with the first statement.
        assert not pgpipeline.usable(raw)
        assert execute_together(connection, [("SELECT 8", []), ("SELECT 9", [])]) == [
            [(8,)],
            [(9,)],
        ]
        assert pgpipeline.usable(raw)  # begun now
