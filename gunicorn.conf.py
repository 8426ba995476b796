"""gunicorn's settings for Paddock, read from the folder gunicorn starts in: `make run`, the
benchmark and a production checkout alike. Options on the command line win over these.

A Python process renders one request at a time (the GIL), so a machine's cores are only all
busy when requests are spread over its worker processes. Each worker here has one thread (the
sync worker): a request waits in the listening socket's queue until a process is free, and
then has a whole process to itself. Threads in a worker make every rendering request share
that process, and one that returns from PostgreSQL or Redis waits for the others to let go of
the GIL: on a 2-core machine, four threads per worker cost an uncached article page an eighth
of its throughput and made its 99th-percentile latency 2.5 to 4 times longer.

WORKERS sets the number of processes. By default, one per core when the database is on this
machine (SQLite, or PostgreSQL on a loopback address or a Unix socket), plus one when it is
on another: a render then waits for each round trip across the network, and a process more
keeps the cores busy meanwhile. On the same machine a cold page waits for one round trip of
a fraction of a millisecond, and a third process on two cores cost more in switching between
processes than it recovered (PostgreSQL on 127.0.0.1, nothing kept, two servers taking turns:
the article answered 6-21% more requests a second with two processes than with three, the
home page 7-13%, the long discussion 7-13%; pages from the page cache within 3% either way).
THREADS above 1 switches to threaded workers, for
long-lived connections; each then serves one request per connection (keepalive 0), so that
requests spread over the workers instead of staying with the one that accepted a connection.

A sync worker reads a request from, and writes the response to, one client at a time, so the
app belongs behind a proxy that buffers both: nginx in production (deploy/nginx/paddock.conf),
which also keeps the browsers' connections alive.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

_LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1")


def database_is_local(url: str) -> bool:
    """Whether DATABASE_URL names a database on this machine: none (SQLite, the default),
    SQLite, or PostgreSQL on a loopback address or a Unix socket (no host, or a path)."""
    if not url:
        return True
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return True
    host = unquote(parts.hostname or "")
    for given in parse_qs(parts.query).get("host", []):
        host = given
    return host in _LOCAL_HOSTS or host.startswith("/")


def default_workers(environ=os.environ) -> int:
    """WORKERS, else one process per core, plus one for a database on another machine."""
    cores = os.cpu_count() or 1
    return int(environ.get("WORKERS") or 0) or cores + (
        0 if database_is_local(environ.get("DATABASE_URL", "")) else 1
    )


workers = default_workers()
threads = int(os.environ.get("THREADS") or 1)
keepalive = 0
# Seconds a worker may spend on one request before it is killed and replaced. The database's
# statement and lock timeouts (config/settings.py) are shorter, so a blocked table answers
# "try again" long before this.
timeout = int(os.environ.get("WORKER_TIMEOUT") or 30)
