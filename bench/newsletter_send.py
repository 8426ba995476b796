"""How fast one edition goes out to 100,000 subscribers, and that memory does not grow with them.

Starts a local SMTP sink (aiosmtpd on 127.0.0.1 that counts messages and throws them away),
then, for each audience size, a fresh process with a throwaway database (SQLite in a temporary
data folder unless DATABASE_URL is set): it bulk-inserts the subscribers, starts a special
edition (one delivery row each) and runs the delivery task in-process, as one worker would, with
the real SMTP backend, the exactly-once bookkeeping and the List-Unsubscribe headers.

Prints, per size: seconds to queue the deliveries, messages per second, and the process's peak
RSS before sending and after it. The same peak at 10,000 and at 100,000 subscribers shows that
memory does not grow with the audience (batches are claimed and sent a few hundred at a time).

Run: make bench, or .venv/bin/python bench/newsletter_send.py [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)


class _Sink:
    """An SMTP server that accepts everything and keeps only a count."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(size: int) -> None:
    """One measurement, in a process of its own so its peak RSS is its own."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from paddock.newsletter import delivery, services
    from paddock.newsletter.models import Delivery, Edition, Subscriber, SubscriberStatus

    call_command("migrate", verbosity=0)
    chunk = 5_000
    for start in range(0, size, chunk):
        with transaction.atomic():
            Subscriber.objects.bulk_create(
                Subscriber(
                    email=f"bench-{n}@example.com",
                    name=f"Reader {n}",
                    status=SubscriberStatus.ACTIVE,
                )
                for n in range(start, min(size, start + chunk))
            )
    edition = Edition.objects.create(
        subject="Bench edition: the week in cars",
        preheader="Twelve debuts, three surprises",
        body="<h2>The week</h2>" + "<p>Twelve debuts in four days, and what mattered.</p>" * 12,
    )
    rss_before = _rss_mb()
    started = time.perf_counter()
    services.edition_send(edition=edition)
    queued = time.perf_counter() - started
    started = time.perf_counter()
    report = delivery.deliver_edition(edition.pk)
    sending = time.perf_counter() - started
    print(
        json.dumps(
            {
                "size": size,
                "database": connection.vendor,
                "queued_s": queued,
                "send_s": sending,
                "sent": report.sent,
                "rows_sent": Delivery.objects.filter(status="sent").count(),
                "rss_before_mb": rss_before,
                "rss_peak_mb": _rss_mb(),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    from aiosmtpd.controller import Controller

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    print("Sending one special edition through a local SMTP sink (one worker, no rate limit)")
    print(
        f"{'subscribers':>11} {'database':>9} {'queue s':>8} {'send s':>8} "
        f"{'msgs/s':>8} {'RSS before':>11} {'RSS peak':>9} {'received':>9}"
    )
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            before = sink.count
            with tempfile.TemporaryDirectory(prefix="paddock-bench-") as data_dir:
                env = os.environ | {
                    "PADDOCK_DATA_DIR": data_dir,
                    "PADDOCK_TESTING": "1",
                    "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                    "LOG_LEVEL": "WARNING",
                }
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(size)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=1800,
                ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            received = sink.count - before
            print(
                f"{size:>11,} {row['database']:>9} {row['queued_s']:>8.1f} {row['send_s']:>8.1f} "
                f"{row['sent'] / row['send_s']:>8.0f} {row['rss_before_mb']:>9.0f}MB "
                f"{row['rss_peak_mb']:>7.0f}MB {received:>9,}"
            )
            if received != size or row["rows_sent"] != size:
                sys.exit(f"Expected {size} messages, the sink got {received}.")
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
