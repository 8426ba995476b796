"""Statements sent to PostgreSQL in one write and answered in one read (libpq's pipeline mode,
driven through psycopg's `pq` module).

psycopg's own pipeline sends and flushes each statement as its cursor executes it, then waits
for the server's answers statement by statement: for a page's twenty statements in four
pipelines, some sixty system calls and 20 µs of the process's CPU a statement, more than most
of them take the server. Here the statements of one round trip are queued in libpq, sent with
one flush, and their results read as they arrive; each result becomes rows with psycopg's own
adaptation (the connection's loaders, the same types as its cursors), and each parameter is
dumped as psycopg dumps it.

Statements are prepared as psycopg's cursors prepare them, by the connection's own
bookkeeping (its `prepare_threshold`, DB_PREPARE_THRESHOLD in config/settings.py; the names it
gives; what it forgets and deallocates after a rollback): a statement run often enough is
prepared, and the server plans it once a connection. That bookkeeping, and the query object
that turns `%s` into `$1` and dumps the values, are psycopg's own but not its public API: this
module follows psycopg 3.3's cursor (`_maybe_prepare_gen`), pinned in pyproject.toml, and
tests/core's pipeline tests say when a new release changes them.

Used only where psycopg's pipeline would be (core.shapes._pipelined): outside a transaction
or inside one already begun, on a connection that works; elsewhere (a transaction psycopg has
yet to begin, a connection in error) psycopg's own path runs and says what is wrong.
"""

from __future__ import annotations

import select
import weakref
from collections.abc import Sequence

from psycopg import errors, pq
from psycopg._preparing import Prepare
from psycopg._queries import PostgresQuery
from psycopg.adapt import Transformer

_IDLE = pq.TransactionStatus.IDLE
_INTRANS = pq.TransactionStatus.INTRANS
_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_FATAL_ERROR = pq.ExecStatus.FATAL_ERROR
_PIPELINE_SYNC = pq.ExecStatus.PIPELINE_SYNC
_PIPELINE_ABORTED = pq.ExecStatus.PIPELINE_ABORTED


_transformers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def usable(raw) -> bool:
    """Whether statements can go this way on the psycopg connection `raw` now."""
    if raw.closed or raw.broken or raw._pipeline is not None:
        return False
    pgconn = raw.pgconn
    if pgconn.pipeline_status != pq.PipelineStatus.OFF:
        return False
    status = pgconn.transaction_status
    return status == _INTRANS or (status == _IDLE and raw.autocommit)


def execute(raw, statements: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
    """The rows of each (sql, params), sent in one round trip on `raw` (see `usable`); errors
    are psycopg's."""
    pgconn = raw.pgconn
    manager = raw._prepared
    # One a connection, as a cursor keeps its own across its statements: the loaders and
    # dumpers it makes for each type are made once.
    tx = _transformers.get(raw)
    if tx is None:
        tx = _transformers[raw] = Transformer(raw)
    # For each command sent: the statement's index, or None for a statement being prepared;
    # with what psycopg's bookkeeping needs once it is answered.
    commands: list[tuple[int | None, tuple | None]] = []
    synced = False
    with raw.lock:
        pgconn.enter_pipeline_mode()
        try:
            for index, (sql, params) in enumerate(statements):
                query = PostgresQuery(tx)
                query.convert(sql, params)
                prepare, name = manager.get(query)
                if prepare is Prepare.NO:
                    pgconn.send_query_params(
                        query.query,
                        query.params,
                        param_types=query.types,
                        param_formats=query.formats,
                    )
                else:
                    if prepare is Prepare.SHOULD:
                        pgconn.send_prepare(name, query.query, param_types=query.types)
                        commands.append((None, None))
                    pgconn.send_query_prepared(name, query.params, param_formats=query.formats)
                key = manager.maybe_add_to_cache(query, prepare, name)
                commands.append((index, None if key is None else (key, prepare, name)))
            pgconn.pipeline_sync()
            synced = True
            results = _exchange(pgconn)
        finally:
            _leave_pipeline(pgconn, synced)
        rows: list[list[tuple]] = [[] for _ in statements]
        failed = None
        for (index, cached), result in zip(commands, results, strict=True):
            if cached is not None:
                manager.validate(*cached, [result])
            status = result.status
            if status == _TUPLES_OK and index is not None:
                tx.set_pgresult(result)
                rows[index] = tx.load_rows(0, result.ntuples, tuple)
            elif failed is None and status == _FATAL_ERROR:
                failed = result
        if failed is None:
            # Deallocating what psycopg's bookkeeping let go, as its cursors do after a
            # statement that succeeded.
            raw.wait(manager.maintain_gen(raw))
    if failed is not None:
        raise errors.error_from_result(failed, encoding=raw.info.encoding)
    if any(result.status == _PIPELINE_ABORTED for result in results):
        raise errors.PipelineAborted("pipeline aborted")
    return rows


def _exchange(pgconn) -> list:
    """Send what libpq holds, then read one result a command until the sync's."""
    fileno = pgconn.socket
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLOUT)
    while pgconn.flush():  # more to send: the server may be waiting to send first
        if any(event & select.POLLIN for _, event in poller.poll()):
            pgconn.consume_input()
    poller.modify(fileno, select.POLLIN)
    results = []
    while True:
        while pgconn.is_busy():
            poller.poll()
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            continue  # the end of one command's results
        if result.status == _PIPELINE_SYNC:
            return results
        results.append(result)


def _leave_pipeline(pgconn, synced: bool) -> None:
    """Out of pipeline mode, with nothing left unread. After a failure part way (an error
    while sending or reading), what was sent is answered and read first; a connection that
    broke is left as it is, for Django to close."""
    if pgconn.pipeline_status == pq.PipelineStatus.OFF or pgconn.status != pq.ConnStatus.OK:
        return
    try:
        pgconn.exit_pipeline_mode()  # refused while results are unread
    except errors.Error:
        try:
            if not synced:
                pgconn.pipeline_sync()
            _exchange(pgconn)
            pgconn.exit_pipeline_mode()
        except errors.Error:
            pass
