"""gunicorn's settings for Paddock, read from the folder gunicorn starts in: `make run`, the
benchmark and a production checkout alike. Options on the command line win over these.

A Python process renders one request at a time (the GIL), so a machine's cores are only all
busy when requests are spread over its worker processes. Each worker here has one thread (the
sync worker): a request waits in the listening socket's queue until a process is free, and
then has a whole process to itself. Threads in a worker make every rendering request share
that process, and one that returns from PostgreSQL or Redis waits for the others to let go of
the GIL: on a 2-core machine, four threads per worker cost an uncached article page an eighth
of its throughput and made its 99th-percentile latency 2.5 to 4 times longer.

WORKERS sets the number of processes (default: one per core, plus one to use the core's time
while a request waits on the database). THREADS above 1 switches to threaded workers, for
long-lived connections; each then serves one request per connection (keepalive 0), so that
requests spread over the workers instead of staying with the one that accepted a connection.

A sync worker reads a request from, and writes the response to, one client at a time, so the
app belongs behind a proxy that buffers both: nginx in production (deploy/nginx/paddock.conf),
which also keeps the browsers' connections alive.
"""

import os

workers = int(os.environ.get("WORKERS") or 0) or (os.cpu_count() or 1) + 1
threads = int(os.environ.get("THREADS") or 1)
keepalive = 0
# Seconds a worker may spend on one request before it is killed and replaced. The database's
# statement and lock timeouts (config/settings.py) are shorter, so a blocked table answers
# "try again" long before this.
timeout = int(os.environ.get("WORKER_TIMEOUT") or 30)
