"""How long a page takes to render in one process when nothing is kept: the first render after
a publish, as the benchmark's "nothing kept" server (PADDOCK_PAGE_CACHE=0 and
PADDOCK_FRAGMENT_CACHE=0) renders every request.

Each request is a WSGI call to config.wsgi's application (the page cache's WSGI layer, Django's
handler and every middleware), with DEBUG off, on the demo site loaded into a fresh SQLite
database in a temporary data folder, or into the database --database-url names (migrated and
loaded when it holds no article; --redis for the cache). No network, no template
instrumentation. The pages take turns, so that a busy machine weighs on every line alike. For
each page: median and 90th percentile in ms over --runs renders after a warm-up, the ratio of
the median to the health check's (/healthz, through the same middleware, same mode), the
process's own CPU time (steadier than the wall clock on a shared machine), the SQL queries of
one render and the page's size.

- "nothing kept": page cache and kept parts off: every request reads and renders everything;
- "parts kept": page cache off, kept parts on (docs/caching.md), as a page renders after a
  comment made it stale.

Compiled templates, query shapes and configuration are kept by the process in both cases.
--profile NAME dumps a cProfile report of that line (e.g. "article") sorted by cumulative and
by own time; --html DIR writes each page's HTML (CSRF tokens blanked) for comparing before and
after a change (docs/performance.md, "Cold renders in process").

Run: make bench, or .venv/bin/python bench/render_cold.py [--runs 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE_SLUG = "halvorsen-motors-build-where-it-sells"
LONG_SLUG = "electric-street-series-energy-rules"
HOST = "127.0.0.1"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")|("csrfToken": ")[^"]*(")')
# A form's "shown at" stamp, which holds the time.
STAMP = re.compile(r'(name="started" value=")[^"]*(")')


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="renders timed per line")
    parser.add_argument("--warmup", type=int, default=20, help="renders before timing")
    parser.add_argument(
        "--database-url", default="", help="a database to use instead of a fresh SQLite one"
    )
    parser.add_argument("--profile", default="", help="profile this line: health, article, …")
    parser.add_argument("--profile-lines", type=int, default=45)
    parser.add_argument("--redis", default="", help="a Redis URL for the cache (REDIS_URL)")
    parser.add_argument("--html", default="", help="write each page's HTML into this folder")
    parser.add_argument(
        "--statements",
        default="",
        help="time each SQL statement of this line's render (e.g. article), median of --runs",
    )
    parser.add_argument(
        "--templates",
        default="",
        help="time each template's and each {%% fragment %%}'s own rendering (without the "
        "templates it includes or extends) in this line's render (e.g. article), median of "
        "--runs",
    )
    parser.add_argument(
        "--plans",
        action="store_true",
        help="at the end, how PostgreSQL planned each statement prepared on this connection: "
        "once for every run (generic) or at every run (custom)",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated lines to time (default: all of them)"
    )
    return parser.parse_args()


def _environment(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if "PADDOCK_DATA_DIR" not in os.environ:  # a folder of its own, removed at the end
        work = tempfile.mkdtemp(prefix="paddock-cold-")
        atexit.register(shutil.rmtree, work, ignore_errors=True)
        os.environ["PADDOCK_DATA_DIR"] = work
    os.environ.setdefault("PADDOCK_TESTING", "1")  # plain static storage: no collectstatic
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", f"{HOST},localhost,testserver")
    os.environ["LOG_LEVEL"] = "WARNING"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if args.redis:
        os.environ["REDIS_URL"] = args.redis


def main() -> None:
    args = _arguments()
    _environment(args)

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from config.wsgi import application
    from paddock.newsroom.models import ArticlePage

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not ArticlePage.objects.exists():
        call_command("load_demo", verbosity=0)
        print(f"demo site loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    def path_of(slug: str) -> str:
        article = ArticlePage.objects.get(slug=slug)
        return "/" + article.url_path.split("/", 2)[2]  # without the home page's slug

    pages = {
        "health": "/healthz",
        "article": path_of(REFERENCE_SLUG),
        "long discussion": path_of(LONG_SLUG),
        "home": "/",
    }

    def get(path: str) -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": HOST,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": HOST,
            "HTTP_ACCEPT": "text/html",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status = []
        body = application(environ, lambda s, h, e=None: status.append(s))
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}, not 200")
        return content

    modes = {
        "nothing kept": {"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": False},
        "parts kept": {"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": True},
    }
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    results = []
    for mode, overrides in modes.items():
        lines = {}
        for name, path in pages.items():
            line = name if mode == "nothing kept" else f"{name}, {mode}"
            if name == "health" or not only or name in only or line in only:
                lines[line] = (name, path)
        with override_settings(**overrides):
            counted = {}
            for line, (_, path) in lines.items():
                for _ in range(args.warmup):
                    get(path)
                statements: list[str] = []
                # Counted as they run: Django empties connection.queries at each request.
                with connection.execute_wrapper(partial(_count, statements)):
                    content = get(path)
                counted[line] = (len(statements), len(content))
                if args.html:
                    folder = Path(args.html)
                    folder.mkdir(parents=True, exist_ok=True)
                    text = CSRF.sub(r"\1\2\3\4", content.decode())
                    text = STAMP.sub(r"\1\2", text)
                    (folder / f"{line.replace(' ', '-').replace(',', '')}.html").write_text(text)
            # The pages take turns, so that a machine busier at one moment than at another
            # weighs on every line alike.
            times: dict[str, list[float]] = {line: [] for line in lines}
            cpu: dict[str, list[float]] = {line: [] for line in lines}
            server = _DatabaseServer(connection)
            db_cpu = dict.fromkeys(lines, 0.0)
            for _ in range(args.runs):
                for line, (_, path) in lines.items():
                    started_db = server.cpu()
                    started, started_cpu = time.perf_counter(), time.thread_time()
                    get(path)
                    times[line].append((time.perf_counter() - started) * 1000)
                    cpu[line].append((time.thread_time() - started_cpu) * 1000)
                    db_cpu[line] += server.cpu() - started_db
            same_server = server.still_the_same()
            health = statistics.median(times[next(iter(lines))])
            for line, (_, path) in lines.items():
                ordered = sorted(times[line])
                results.append(
                    (
                        line,
                        statistics.median(ordered),
                        ordered[max(0, int(len(ordered) * 0.9) - 1)],
                        statistics.median(ordered) / health,
                        statistics.median(cpu[line]),
                        db_cpu[line] / args.runs if same_server else None,
                        *counted[line],
                    )
                )
                if args.profile and args.profile == line:
                    _profile(lambda path=path: get(path), args)
                if args.statements and args.statements == line:
                    _statements(lambda path=path: get(path), args, connection)
                if args.templates and args.templates == line:
                    _templates(lambda path=path: get(path), args)

    print(
        f"{connection.vendor}; {args.runs} renders a line, taking turns, after {args.warmup} "
        "to warm up; ratios are the median's to the health check's in the same mode"
    )
    print(
        f"{'line':32} {'median ms':>10} {'p90 ms':>8} {'× health':>9} {'CPU ms':>7} "
        f"{'DB CPU':>7} {'queries':>8} {'KB':>6}"
    )
    for line, median, p90, ratio, cpu_ms, db_ms, queries, size in results:
        db = f"{db_ms:7.2f}" if db_ms is not None else f"{'–':>7}"
        print(
            f"{line:32} {median:10.2f} {p90:8.2f} {ratio:8.1f}× {cpu_ms:7.2f} {db} "
            f"{queries:8d} {size / 1024:6.1f}"
        )
    print(
        "CPU ms: this process's own time (Python), without the database's or the waits of a "
        "busy machine. DB CPU: the PostgreSQL server process's CPU time for this connection, "
        "mean ms a render (read from /proc in clock ticks, so a mean over the runs; – on "
        "SQLite, which runs in the process, or a server elsewhere)."
    )
    if args.plans and connection.vendor == "postgresql":
        _plans(connection)


def _plans(connection) -> None:
    """The statements psycopg prepared on this connection, with how many times PostgreSQL
    planned each: a custom plan is made again at every run, which costs more than running
    a short query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements "
            "ORDER BY custom_plans DESC"
        )
        rows = cursor.fetchall()
    print(f"{'generic':>8} {'custom':>7}  statement", file=sys.stderr)
    for generic, custom, statement in rows:
        print(f"{generic:8d} {custom:7d}  {' '.join(statement.split())[:150]}", file=sys.stderr)


class _DatabaseServer:
    """The CPU time of the PostgreSQL process serving this connection, when it runs on this
    machine (/proc/<pid>/stat, in clock ticks): what the renders cost the database server,
    which a machine serving pages shares with it."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.pid = self._pid()
        self.tick = os.sysconf("SC_CLK_TCK") if self.pid else 0

    def _pid(self) -> int | None:
        if self.connection.vendor != "postgresql":
            return None
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        return pid if Path(f"/proc/{pid}/stat").exists() else None

    def cpu(self) -> float:
        """User and system CPU ms of the server process so far (0 when not known)."""
        if not self.pid:
            return 0.0
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) * 1000 / self.tick

    def still_the_same(self) -> bool:
        """Whether every render ran on the server process measured (the connection kept)."""
        return bool(self.pid) and self._pid() == self.pid


def _count(statements: list[str], execute, sql, *rest):
    statements.append(sql)
    return execute(sql, *rest)


def _timed(timings: list[tuple[str, float]], execute, sql, *rest):
    started = time.perf_counter()
    try:
        return execute(sql, *rest)
    finally:
        timings.append((sql, (time.perf_counter() - started) * 1000))


def _statements(render, args: argparse.Namespace, connection) -> None:
    """Each statement of one render with the median of its wall-clock time over --runs
    renders (the database's work, the round trip and the driver's, not making objects)."""
    runs: list[list[tuple[str, float]]] = []
    for _ in range(args.runs):
        timings: list[tuple[str, float]] = []
        with connection.execute_wrapper(partial(_timed, timings)):
            render()
        runs.append(timings)
    if len({len(run) for run in runs}) != 1:
        print("the renders ran different numbers of statements", file=sys.stderr)
    total = 0.0
    for index, (sql, _) in enumerate(runs[0]):
        median = statistics.median(run[index][1] for run in runs if index < len(run))
        total += median
        print(f"{median:7.2f} ms  {sql[:150]}", file=sys.stderr)
    print(f"{total:7.2f} ms  in all ({len(runs[0])} statements)", file=sys.stderr)


def _templates(render, args: argparse.Namespace) -> None:
    """Each template's own time in one render (what its nodes took, less the templates it
    includes or extends), median over --runs renders, with the render's whole time beside."""
    from django.template import base

    from paddock.core.templatetags.paddock import FragmentNode

    original = base.Template._render
    original_fragment = FragmentNode.render
    stack: list[list[float]] = []  # [started, time spent in nested templates]

    def spend(name, render, *arguments):
        stack.append([time.perf_counter(), 0.0])
        try:
            return render(*arguments)
        finally:
            started, nested = stack.pop()
            spent = (time.perf_counter() - started) * 1000
            run[name] = run.get(name, 0.0) + (spent - nested)
            if stack:
                stack[-1][1] += spent

    def timed(template, context):
        return spend(template.name or "(string)", original, template, context)

    def timed_fragment(node, context):  # what making a part costs, its queries included
        return spend(f"{{% fragment {node.name} %}}", original_fragment, node, context)

    runs: list[dict[str, float]] = []
    wholes: list[float] = []
    base.Template._render = timed
    FragmentNode.render = timed_fragment
    try:
        for _ in range(args.runs):
            run: dict[str, float] = {}
            started = time.perf_counter()
            render()
            wholes.append((time.perf_counter() - started) * 1000)
            runs.append(run)
    finally:
        base.Template._render = original
        FragmentNode.render = original_fragment
    names = {name for run in runs for name in run}
    medians = {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}
    for name, median in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"{median:7.2f} ms  {name}", file=sys.stderr)
    print(
        f"{sum(medians.values()):7.2f} ms  in templates, of {statistics.median(wholes):.2f} ms "
        "for the whole render (timed, so slower than untimed)",
        file=sys.stderr,
    )


def _profile(render, args: argparse.Namespace) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(max(args.runs, 50)):
        render()
    profiler.disable()
    if os.environ.get("PROFILE_DUMP"):
        profiler.dump_stats(os.environ["PROFILE_DUMP"])
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.profile_lines)
        print(out.getvalue(), file=sys.stderr)


if __name__ == "__main__":
    main()
