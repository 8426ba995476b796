"""What readers with an article open cost the server: N simulated readers poll its live URL.

Every reader of an article polls the same URL (/comments/articles/<id>/live/, sent without
cookies, static/js/discussion.js) every --interval seconds, as the page does, while a writer
posts a comment every --post-every seconds, so the answer keeps changing. The readers are
coroutines of one asyncio process speaking HTTP/1.1 over plain sockets. They poll:

- gunicorn on 127.0.0.1 directly ("gunicorn"): every poll reaches the app process, where the
  page cache's WSGI layer answers it until a comment makes it stale;
- the same gunicorn behind nginx with deploy/nginx/paddock.conf ("nginx → gunicorn"): nginx
  keeps the answer its s-maxage (1 s), one request refreshing it while the others wait or take
  the copy being refreshed (proxy_cache_lock, proxy_cache_use_stale updating);
- gunicorn with the page cache off ("gunicorn, no page cache"), for comparison.

gunicorn serves bench/http/live_counter.py: config.wsgi's application with a counter in front
of the page cache's layer (requests reaching the app process) and one in front of Django's
handler (requests Django rendered). Prints one table and writes it into docs/caching.md,
between the live-poll markers (--no-docs: print only).

Run: .venv/bin/python bench/live_poll.py [--readers 1000,10000] [--duration 5]
(--data DIR keeps the demo site it builds in DIR and reuses it next time: building takes
about two minutes, each run the given seconds.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_load import (  # noqa: E402
    BIN,
    ROOT,
    ensure_tools,
    gunicorn,
    gunicorn_workers,
    manage,
    nginx,
    stop_nginx,
)

DOCS = ROOT / "docs" / "caching.md"
BEGIN, END = "<!-- live-poll:begin -->", "<!-- live-poll:end -->"
ARTICLE_SLUG = "halvorsen-motors-build-where-it-sells"
GRACE = 2.0  # seconds a poll sent during the run may wait for its answer after the run

WRITER = """
import sys, time
from django.contrib.auth import get_user_model
from paddock.comments import services
users = list(get_user_model().objects.filter(email__startswith="reader-").order_by("pk")[:20])
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[-1])
n = 0
while time.monotonic() < end:
    services.comment_create(
        user=users[n % len(users)], article_id=ARTICLE, body=f"Live comment {n} of the bench.",
        screen=False, notify=False,
    )
    n += 1
    time.sleep(EVERY)
print(n, flush=True)
"""


# --- The readers -------------------------------------------------------------------------


@dataclass
class Stats:
    done: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    nginx_hits: int = 0
    versions: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)


class Pool:
    """Kept-alive HTTP/1.1 connections to one server (gunicorn closes each after one answer)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if self.idle:
            reader, writer = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(REQUEST.format(path=path).encode())
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = b""
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    chunk = await reader.readexactly(size + 2)
                    if size == 0:
                        break
                    body += chunk[:-2]
            else:
                body = await reader.readexactly(int(headers.get("content-length", "0")))
        except BaseException:
            writer.close()
            raise
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status, headers, body


REQUEST = "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n"
VERSION = re.compile(rb'"version": ?"(\d+)"')


async def readers(port: int, path: str, count: int, interval: float, duration: float) -> Stats:
    stats = Stats()
    pool = Pool(port)
    slots = asyncio.Semaphore(256)  # requests in flight at most (sockets of the client)
    loop = asyncio.get_running_loop()
    start = loop.time()
    end = start + duration

    async def reader() -> None:
        at = start + random.random() * interval
        while at < end:
            now = loop.time()
            if at > now:
                await asyncio.sleep(at - now)
            async with slots:
                sent = loop.time()
                try:
                    # Bounded: what has no answer GRACE seconds after the run counts as an error.
                    left = end + GRACE - sent
                    if left <= 0:
                        raise TimeoutError
                    status, headers, body = await asyncio.wait_for(pool.get(path), left)
                except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError):
                    stats.errors += 1
                else:
                    stats.latencies.append(loop.time() - sent)
                    stats.statuses[status] = stats.statuses.get(status, 0) + 1
                    if status == 200:
                        stats.done += 1
                        match = VERSION.search(body)
                        if match:
                            stats.versions.add(match.group(1).decode())
                    else:
                        stats.errors += 1
                    if headers.get("x-cache-status") in ("HIT", "STALE", "UPDATING"):
                        stats.nginx_hits += 1
            at += interval

    await asyncio.gather(*(reader() for _ in range(count)))
    for _, writer in pool.idle:
        writer.close()
    return stats


# --- The servers -------------------------------------------------------------------------


def counts(directory: Path) -> dict[str, int]:
    total = {"app": 0, "django": 0}
    for path in directory.glob("*.json"):
        try:
            for key, value in json.loads(path.read_text()).items():
                total[key] += value
        except (OSError, ValueError):
            continue
    return total


def build_site(env: dict) -> dict:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")
    return article_of(env)


def article_of(env: dict) -> dict:
    code = (
        "import json; from paddock.newsroom.models import ArticlePage; "
        f"a = ArticlePage.objects.get(slug={ARTICLE_SLUG!r}); "
        "print(json.dumps({'id': a.pk, 'url': a.url}))"
    )
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_writer(env: dict, article_id: int, every: float, seconds: float) -> subprocess.Popen:
    code = WRITER.replace("ARTICLE", str(article_id)).replace("EVERY", str(every))
    process = subprocess.Popen(
        [str(BIN / "python"), "-c", _django_setup() + code, str(seconds)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    if line != "ready":
        raise SystemExit(f"the writer did not start ({line!r})")
    return process


def _django_setup() -> str:
    return (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
    )


@dataclass
class Row:
    served_by: str
    readers: int
    interval: float
    seconds: float
    stats: Stats
    app: int
    django: int
    posted: int

    def cells(self) -> list[str]:
        s = self.stats
        lat = sorted(s.latencies) or [0.0]
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        per = self.seconds
        return [
            self.served_by,
            f"{self.readers:,}",
            f"{self.readers / self.interval:,.0f}",
            f"{s.done / per:,.0f}",
            f"{p50:.1f}",
            f"{p99:.1f}",
            f"{s.errors:,}",
            f"{self.app / per:,.1f}",
            f"{self.django / per:,.1f}",
            f"{self.posted / per:.1f}",
            f"{len(s.versions)}",
        ]


HEADER = [
    "Served by",
    "Readers",
    "Polls/s asked",
    "Polls/s answered",
    "p50 ms",
    "p99 ms",
    "Errors",
    "Reached the app process /s",
    "Reached Django /s",
    "Comments/s",
    "Versions seen",
]


def render(rows: list[Row], args, workers: int) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/live_poll.py` on {_machine()}: one "
        f"article of the demo site (SQLite, the file page cache), gunicorn with {workers} "
        f"workers, each simulated reader polling every {args.interval:g} s (as "
        f"static/js/discussion.js does) for {args.duration:g} s, a comment posted every "
        f"{args.post_every:g} s meanwhile. The readers, the servers and the writer share the "
        "machine.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu or platform.machine()}), Python {platform.python_version()}"
    )


def write_docs(text: str) -> None:
    current = DOCS.read_text()
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        DOCS.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")
    else:
        DOCS.write_text(f"{current.rstrip()}\n\n{BEGIN}\n{text}{END}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", default="1000,10000", help="comma-separated")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each run")
    parser.add_argument("--post-every", type=float, default=1.0, help="seconds between comments")
    parser.add_argument(
        "--workers",
        type=int,
        default=gunicorn_workers(""),  # as gunicorn.conf.py for the site's SQLite
    )
    parser.add_argument("--data", help="folder to keep (and reuse) the built site in")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    reader_counts = [int(n) for n in args.readers.split(",")]

    ensure_tools()
    work = Path(tempfile.mkdtemp(prefix="paddock-bench-live-"))
    data = Path(args.data) if args.data else work / "data"
    data.mkdir(parents=True, exist_ok=True)
    (work / "static").mkdir()
    (data / "media").mkdir(exist_ok=True)
    counts_dir = work / "counts"
    counts_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PADDOCK_DATA_DIR": str(data),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "LIVE_COUNTS_DIR": str(counts_dir),
    }
    for name in ("PADDOCK_TESTING", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    if (data / "paddock.sqlite3").exists():
        print(f"Reusing the site in {data}", flush=True)
        article = article_of(env)
    else:
        print(f"Building the demo site in {data} (about two minutes)...", flush=True)
        article = build_site(env)
    path = f"/comments/articles/{article['id']}/live/"
    logs = work / "gunicorn.log"
    app = "live_counter:application"
    extra = ["--pythonpath", str(ROOT / "bench" / "http")]
    rows: list[Row] = []

    def run(served_by: str, port: int, count: int) -> None:
        asyncio.run(Pool(port).get(path))  # the first answer is not the readers' to wait for
        writer = start_writer(env, article["id"], args.post_every, args.duration)
        time.sleep(0.3)
        before = counts(counts_dir)
        started = time.monotonic()
        stats = asyncio.run(readers(port, path, count, args.interval, args.duration))
        seconds = time.monotonic() - started
        time.sleep(0.3)  # the workers write their counts every 0.1 s
        after = counts(counts_dir)
        posted = int((writer.communicate(timeout=60)[0] or "0").strip().splitlines()[-1])
        row = Row(
            served_by,
            count,
            args.interval,
            seconds,
            stats,
            after["app"] - before["app"],
            after["django"] - before["django"],
            posted,
        )
        rows.append(row)
        print(" | ".join(row.cells()), flush=True)

    server = gunicorn("paddock", app, env, workers=args.workers, log=logs, extra=extra)
    front = None
    try:
        front = nginx(
            work, static_port=_port(), front_port=_port(), upstream=f"127.0.0.1:{server.port}"
        )
        for count in reader_counts:
            run("gunicorn", server.port, count)
            run("nginx → gunicorn", front.port, count)
    finally:
        if front is not None:
            stop_nginx(front)
        server.stop()
    uncached = gunicorn(
        "paddock, no page cache",
        app,
        {**env, "PADDOCK_PAGE_CACHE": "0"},
        workers=args.workers,
        log=logs,
        extra=extra,
    )
    try:
        run("gunicorn, no page cache", uncached.port, reader_counts[0])
    finally:
        uncached.stop()
    text = render(rows, args, args.workers)
    print()
    print(text)
    if not args.no_docs:
        write_docs(text)
        print(f"Written to {DOCS.relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)


def _port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
