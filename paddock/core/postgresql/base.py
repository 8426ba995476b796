"""Django's PostgreSQL backend, with a health check that costs no round trip.

Connections are kept between requests (CONN_MAX_AGE) and checked before a request first uses
one (CONN_HEALTH_CHECKS), so that a connection the server closed since (a restart, an idle
timeout, an administrator ending it) is opened again instead of failing the request. Django
checks with a `SELECT 1`: a round trip to the server before every request's own first query,
as much again as the one query an article page served from its shell runs.

The server tells an idle connection nothing unless it is closing it (the FATAL message, then
the end of the stream). So the socket is asked, without waiting, whether anything arrived: when
nothing did and the connection is idle, it is usable; otherwise Django's check runs and
decides. A connection that went silent without a word (a host gone from the network) is not
told apart by this, nor by a `SELECT 1`, which would wait on the network as the query would.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if (
            connection.pgconn.status == pq.ConnStatus.OK
            and connection.info.transaction_status == pq.TransactionStatus.IDLE
            and not _readable(connection.fileno())
        ):
            return True
        return super().is_usable()


def _readable(fd: int) -> bool:
    """Whether the server sent anything (or closed the socket), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    try:
        return bool(poller.poll(0))
    except OSError:
        return True
