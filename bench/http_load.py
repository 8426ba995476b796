"""How many readers one machine serves: Paddock under wrk, on a large site in PostgreSQL.

Builds its own site (database paddock_bench on the local PostgreSQL, Redis db 5, a temporary
data folder): migrate, the demo site, then 100,000 articles and 1,000,000 comments added with
COPY (bench/http/sitegen.py), and 3,000 signed-in readers. Everything listens on 127.0.0.1:

- Paddock under gunicorn, as `make run` serves it (WORKERS single-threaded processes, Redis cache,
  DEBUG off), three times: with its settings as they are ("cached": anonymous pages may come
  from the page cache), with PADDOCK_PAGE_CACHE=0 ("uncached": every request renders, from
  the kept parts of pages) and with PADDOCK_FRAGMENT_CACHE=0 too ("nothing kept");
- nginx with deploy/nginx/paddock.conf in front of the first, its proxy cache on;
- the two references, serving the reference article's HTML as the site rendered it: nginx
  from a file (the physical limit) and a bare Django view under the same gunicorn (the Python
  ceiling, bench/http/bare_app.py);
- stock WordPress from Debian's packages (php-fpm behind the same nginx, its own database
  wp_bench in the local MariaDB) with the same content: the reference post with its 4
  comments, the long discussion with 500, 50 other posts (bench/http/wordpress.py and
  wp_site.php). Every Paddock page it also serves gets its ratio to WordPress's.

Then wrk, for --duration seconds at each of --connections, on: the reference-shaped article
(4 comments) cached, through nginx and uncached; the 500-comment article uncached; the home
page and the RSS feed, also with nothing kept; WordPress's three pages; an article published
half-way through steady load on the site as configured (bench/http/publish.py, counted second by
second by bench/http/steady.lua); readers posting comments (bench/http/post_comment.lua). Before
the archive is added, the two articles are also timed on the demo-sized site (parts kept and
nothing kept), for the comparison.
SQL queries per page come from Django's test client (bench/http/page_queries.py), peak memory
from each process's VmHWM.

Prints one table (req/s, p50, p99, errors, each with its ratio to both references) and the
notes under it, and writes them to docs/performance.md (--no-docs: print only).
BENCH_SCALE (or --scale) shrinks the site, e.g. 0.02 for 2,000 articles while developing.

Run: make bench, or .venv/bin/python bench/http_load.py [--scale 1] [--duration 10]
Quick: .venv/bin/python bench/http_load.py --scale 0.02 --duration 3 --no-docs
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import platform
import re
import runpy
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench" / "http"
BIN = Path(sys.executable).parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "paddock.conf"
DOCS = ROOT / "docs" / "performance.md"

DATABASE = "paddock_bench"
REDIS_DB = 5
REFERENCE_SLUG = "halvorsen-motors-build-where-it-sells"
BIG_SLUG = "electric-street-series-energy-rules"
ARTICLES, COMMENTS, READERS = 100_000, 1_000_000, 3_000
NO_ANSWER = "no answer within the run"
WORDPRESS = "WordPress (stock)"
THREADS = 2  # wrk threads: one per core of the machine the targets are set for
# A line with fewer answers than this in --duration is run again for LONGER seconds.
MIN_ANSWERS, LONGER = 10, 15


# --- Processes ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            if isinstance(exc, urllib.error.HTTPError):
                return
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer within {seconds:.0f} s.") from exc
            time.sleep(0.3)


def _fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _peak_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    master_pid: int
    peaks: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def record_memory(self) -> None:
        """Peak RSS of the master and of each worker, read while they still run."""
        peak = _peak_mb(self.master_pid)
        if peak is not None:
            self.peaks["master"] = peak
        for n, child in enumerate(sorted(_children(self.master_pid)), start=1):
            peak = _peak_mb(child)
            if peak is not None:
                self.peaks[f"worker {n}"] = max(self.peaks.get(f"worker {n}", 0), peak)

    def stop(self) -> None:
        self.record_memory()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def gunicorn_workers(database_url: str) -> int:
    """The workers gunicorn.conf.py gives a server of this database (WORKERS, else its
    default)."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return conf["default_workers"]({**os.environ, "DATABASE_URL": database_url})


def gunicorn(name: str, app: str, env: dict, *, workers: int, log: Path, extra=()) -> Server:
    """Start gunicorn as `make run` does (gunicorn.conf.py: one thread per worker), without the
    access log."""
    port = _free_port()
    command = [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *extra,
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    server = Server(name, port, process, process.pid)
    _wait_http(f"{server.url}/healthz" if "config.wsgi" in app else server.url)
    return server


def nginx(
    work: Path, *, static_port: int, front_port: int, upstream: str, extra: str = ""
) -> Server:
    """nginx for both the static reference and deploy/nginx/paddock.conf in front of the app,
    and `extra` (WordPress's server block)."""
    conf_dir = work / "nginx"
    for sub in ("tmp", "cache", "www"):
        (conf_dir / sub).mkdir(parents=True, exist_ok=True)
    values = {
        "PADDOCK_LISTEN": f"127.0.0.1:{front_port}",
        "PADDOCK_SERVER_NAME": "127.0.0.1",
        "PADDOCK_UPSTREAMS": f"server {upstream};",
        "PADDOCK_CACHE_DIR": str(conf_dir / "cache"),
        "PADDOCK_STATIC_ROOT": str(work / "static"),
        "PADDOCK_MEDIA_ROOT": str(work / "data" / "media"),
    }
    site = re.sub(r"\$\{(PADDOCK_[A-Z_]+)\}", lambda m: values[m.group(1)], NGINX_CONF.read_text())
    (conf_dir / "paddock.conf").write_text(site)
    tmp = conf_dir / "tmp"
    # The master runs as whoever runs the benchmark; as root, its workers need a user.
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    (conf_dir / "nginx.conf").write_text(
        f"""{user}worker_processes auto;
pid {conf_dir}/nginx.pid;
error_log {conf_dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # The physical limit: the article's HTML as a file.
    server {{
        listen 127.0.0.1:{static_port};
        root {conf_dir}/www;
        location / {{ try_files /article.html =404; default_type text/html; }}
    }}
    include {conf_dir}/paddock.conf;
{extra}}}
"""
    )
    for path in (work, conf_dir, conf_dir / "www", work / "static"):
        path.chmod(0o755)
    check = subprocess.run(
        ["nginx", "-t", "-q", "-c", str(conf_dir / "nginx.conf"), "-p", str(conf_dir)],
        capture_output=True,
        text=True,
    )
    if check.returncode:
        raise SystemExit(f"deploy/nginx/paddock.conf failed nginx -t:\n{check.stderr}")
    process = subprocess.Popen(
        ["nginx", "-c", str(conf_dir / "nginx.conf"), "-p", str(conf_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    process.wait(timeout=30)  # the master daemonises; its pid is in the pid file
    deadline = time.monotonic() + 10
    while not (conf_dir / "nginx.pid").exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"nginx did not start; see {conf_dir}/error.log")
        time.sleep(0.1)
    master = int((conf_dir / "nginx.pid").read_text())
    return Server("nginx", front_port, process, master)


def stop_nginx(server: Server) -> None:
    server.record_memory()
    try:
        os.kill(server.master_pid, signal.SIGQUIT)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while Path(f"/proc/{server.master_pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)


# --- Tools and data ----------------------------------------------------------------------


def ensure_tools() -> None:
    """wrk and nginx from Debian's packages, installed when missing."""
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if not missing and Path("/etc/nginx/mime.types").exists():
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing Debian's {' and '.join(missing or ['nginx'])}...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk", "nginx"], check=True, env=env)
    # Debian starts the packaged nginx on port 80; the benchmark runs its own.


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def build_site(env: dict, server_url: str) -> None:
    """A fresh database with the demo site in it (the demo-sized site)."""
    drop_database(server_url)
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")


def drop_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def add_archive(env: dict, *, scale: float, work: Path) -> dict:
    out = work / "site.json"
    subprocess.run(
        [
            str(BIN / "python"),
            str(HERE / "sitegen.py"),
            "--articles",
            str(max(1, round(ARTICLES * scale))),
            "--comments",
            str(max(1, round(COMMENTS * scale))),
            "--readers",
            str(READERS),
            "--sessions-out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- Measuring ---------------------------------------------------------------------------


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    seconds: float
    statuses: dict[str, int] | None = None
    # The machine's CPU time over the run (every process: the servers, their databases and
    # caches, wrk), in ms per answer: steadier than req/s on a machine shared with other work,
    # whose load changes the rate more than the work each answer costs.
    cpu_ms: float | None = None


def _wrk_command(url: str, connections: int, duration: float, script: Path) -> list[str]:
    return [
        "wrk",
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        url,
    ]


def _wrk_result(url: str, stdout: str, stderr: str) -> Run:
    match = re.search(r"^BENCH_JSON (.*)$", stdout, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no result for {url}:\n{stdout}\n{stderr}")
    data = json.loads(match.group(1))
    statuses = re.search(r"^BENCH_STATUS (.*)$", stdout, re.MULTILINE)
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Run(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        statuses=json.loads(statuses.group(1)) if statuses else None,
    )


def _busy_ticks() -> int | None:
    """The machine's busy CPU time so far, in clock ticks (/proc/stat: user, nice, system, irq
    and softirq; not idle, waiting for the disk, or stolen by the host); None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[1:8])
    return user + nice + system + irq + softirq


def _cpu_ms_per_answer(before: int | None, after: int | None, answers: int) -> float | None:
    if before is None or after is None or not answers:
        return None
    return (after - before) * 1000 / os.sysconf("SC_CLK_TCK") / answers


def wrk(url: str, connections: int, duration: float, *, script: Path, env=None) -> Run:
    before = _busy_ticks()
    result = subprocess.run(
        _wrk_command(url, connections, duration, script),
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=duration + 60,
    )
    run = _wrk_result(url, result.stdout, result.stderr)
    run.cpu_ms = _cpu_ms_per_answer(before, _busy_ticks(), run.requests)
    return run


@dataclass
class Publish:
    """The publish-in-the-middle run: requests answered each second before and after."""

    path: str
    steady: float  # mean answers a second before the publish
    after: list[int]  # answers in each of the 10 seconds from the publish on
    errors_after: int
    errors: int
    publish_seconds: float
    run: Run
    shown: bool  # the new article answers, and the home page links to it


def publish_run(env: dict, base_url: str, paths: list[str], conns: int, duration: float) -> Publish:
    """Steady load on `paths` (bench/http/steady.lua); half-way, an article is published
    (bench/http/publish.py, Wagtail's Revision.publish); then 10 seconds more."""
    publisher = subprocess.Popen(
        [str(BIN / "python"), str(HERE / "publish.py"), REFERENCE_SLUG],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        return _publish_under_load(publisher, base_url, paths, conns, duration)
    finally:
        if publisher.poll() is None:
            publisher.kill()
            publisher.wait()


def _line(process: subprocess.Popen, word: str, seconds: float) -> list[str]:
    """The next line the process prints that starts with `word`, split, or [] when none comes
    within `seconds` (or the process ends)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stdout], [], [], left)
        if not ready:
            break
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith(word + " "):
            return line.split()
    return []


def _publish_under_load(
    publisher: subprocess.Popen, base_url: str, paths: list[str], conns: int, duration: float
) -> Publish:
    line = _line(publisher, "ready", 300)
    if not line:
        raise SystemExit("bench/http/publish.py did not prepare its draft.")
    new_path = line[2]
    for path in paths:  # as production has them: in the caches
        _fetch(base_url + path)
    before = max(5.0, duration)
    total = before + 12
    load = subprocess.Popen(
        _wrk_command(base_url + paths[0], conns, total, HERE / "steady.lua"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PADDOCK_BENCH_PATHS": ",".join(paths)},
    )
    time.sleep(before)
    publisher.stdin.write("go\n")
    publisher.stdin.flush()
    line = _line(publisher, "published", 120)
    if not line:
        load.kill()
        raise SystemExit("bench/http/publish.py did not publish within 2 minutes.")
    publisher.wait(timeout=60)
    started, ended = float(line[1]), float(line[2])
    stdout, stderr = load.communicate(timeout=total + 60)
    run = _wrk_result(base_url, stdout, stderr)
    match = re.search(r"^BENCH_SECONDS (.*)$", stdout, re.MULTILINE)
    seconds = {int(k): v for k, v in json.loads(match.group(1)).items()} if match else {}
    first, last = min(seconds), max(seconds)  # partial seconds, left out
    start = int(started)
    steady = [seconds[s][0] for s in range(first + 1, start) if s in seconds]
    after = [seconds.get(s, [0, 0]) for s in range(start, min(start + 10, last))]
    status, _headers, _body = _fetch(base_url + new_path)
    _status, _headers, home = _fetch(base_url + "/")
    return Publish(
        path=new_path,
        steady=sum(steady) / len(steady) if steady else 0,
        after=[good for good, _bad in after],
        errors_after=sum(bad for _good, bad in after),
        errors=run.errors,
        publish_seconds=ended - started,
        run=run,
        shown=status == 200 and new_path.encode() in home,
    )


def page_queries(env: dict, pages: dict[str, str], reader_id: int, post_path: str) -> dict:
    result = subprocess.run(
        [
            str(BIN / "python"),
            str(HERE / "page_queries.py"),
            json.dumps(pages),
            str(reader_id),
            post_path,
        ],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"Counting queries failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _comment_statuses(database_url: str, article_id: int, since: dt.datetime) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM comments_comment"
            " WHERE article_id = %s AND created_at >= %s GROUP BY status",
            [article_id, since],
        ).fetchall()
    return dict(rows)


# --- Report ------------------------------------------------------------------------------


def _pct(value: float, reference: float) -> str:
    if not reference:
        return "–"
    share = 100 * value / reference
    return f"{share:.1f}%" if share >= 1 else f"{share:.2f}%"


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}){memory}"


def _tool_versions(postgres_url: str) -> str:
    versions = []
    for command in (["nginx", "-v"], ["wrk", "-v"]):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        text = (result.stderr + result.stdout).strip().splitlines()
        versions.append(text[0] if text else command[0])
    import psycopg

    try:
        with psycopg.connect(postgres_url) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
        versions.append(f"PostgreSQL {pg.split()[0]}")
    except psycopg.Error:
        pass
    return "; ".join(versions)


def _cpu(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def _cpu_ratio(wordpress: float | None, paddock: float | None) -> str:
    if not wordpress or not paddock:
        return "–"
    return f"{wordpress / paddock:,.1f}×"


def render(report: dict) -> str:
    """The table and its notes, as Markdown (which prints readably too)."""
    rows = report["rows"]
    lines = [
        "| Page | Served by | Conns | req/s | p50 ms | p99 ms | Errors | CPU ms | vs nginx static "
        "| vs bare Django | SQL |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        static = report["references"]["static"].get(str(row["conns"]))
        bare = report["references"]["bare"].get(str(row["conns"]))
        if not row.get("requests", 1):
            # wrk counts only answers; none came back before the run ended.
            lines.append(
                f"| {row['page']} | {row['server']} | {row['conns']} | 0 | > {row['seconds']:g} "
                f"s | > {row['seconds']:g} s | – | – | 0% | 0% | {row['sql']} |"
            )
            continue
        lines.append(
            f"| {row['page']} | {row['server']} | {row['conns']} | {row['rps']:,.0f} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} | "
            f"{_cpu(row.get('cpu_ms'))} | "
            f"{_pct(row['rps'], static)} | {_pct(row['rps'], bare)} | {row['sql']} |"
        )
    quick = report.get("scale", 1) < 1
    out = [
        f"Run of {report['date']} on {report['machine']}, shared with other work; "
        f"{report['tools']}.",
        "",
        *(
            [
                f"A quick run (--scale {report['scale']:g}, {report['duration']:g} s a line): "
                "indicative only, the targets are set for the full run.",
                "",
            ]
            if quick
            else []
        ),
        f"Site: {report['site']}. Every figure: wrk, {report['duration']:g} s per line, "
        f"{THREADS} threads, on the same machine as the servers; gunicorn "
        f"{report['workers']} single-threaded workers for Paddock and for bare Django; "
        "nginx with one worker per core.",
        "",
        *lines,
        "",
        "CPU ms: the whole machine's busy CPU time during the line (the server, its "
        "database and cache, wrk and anything else running) divided by the answers: what an "
        "answer costs, less swayed than req/s by other work on a shared machine.",
        "",
        "SQL: queries per request, counted with Django's test client on the same site "
        "(first request / second request to the same URL; the second is what a page cache "
        "saves).",
        "",
    ]
    if report.get("wordpress"):
        out += [
            "Paddock against stock WordPress, same run, same machine (Paddock's req/s divided "
            "by WordPress's for the same page; WordPress's is the mean of its two rounds, "
            "before and after Paddock's lines, each shown in brackets):",
            "",
            "| Page | Conns | WordPress req/s | p50 ms | Paddock req/s | p50 ms "
            "| Paddock ÷ WordPress | Needed | Met | CPU ms WordPress | CPU ms Paddock "
            "| WordPress ÷ Paddock CPU |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
        ]
        for row in report["wordpress"]:
            wp, ours = row["wp"], row["paddock"]
            first, last = row.get("wp_rounds", (wp.rps, None))
            rounds = f" ({first:,.1f}, {last:,.1f})" if last is not None else ""
            out.append(
                f"| {row['page']} | {row['conns']} | {wp.rps:,.1f}{rounds} | {wp.p50_ms:,.1f} | "
                f"{ours.rps:,.0f} | {ours.p50_ms:,.1f} | {row['ratio']} | {row['needed']} | "
                f"{row['met']} | {_cpu(wp.cpu_ms)} | {_cpu(ours.cpu_ms)} | "
                f"{_cpu_ratio(wp.cpu_ms, ours.cpu_ms)} |"
            )
        out += [
            "",
            "CPU ms: the machine's busy CPU time per answer during each line (for WordPress, "
            "over both rounds); their ratio says how many times less work an answer costs "
            "Paddock, a second view of the same comparison that other work on the machine "
            "sways less. The targets are set on req/s.",
            "",
            "The long discussion: WordPress shows all of its 500 comments on one page (its "
            "default); Paddock the first page of its 540 (50 threads).",
            "",
        ]
    if report.get("publish"):
        out += [report["publish"]["text"], ""]
    out += ["Notes:", ""] + [f"- {note}" for note in report["notes"]]
    out += ["", "Peak memory (VmHWM) of each process:", ""]
    out += ["| Process | Peak MB |", "| --- | ---: |"]
    for name, mb in report["memory"]:
        out.append(f"| {name} | {mb:.0f} |")
    out += ["", "Targets (docs/performance.md explains each):", ""]
    out += ["| Target | Needed | Measured | Met |", "| --- | --- | --- | --- |"]
    for target in report["targets"]:
        out.append(
            f"| {target['name']} | {target['needed']} | {target['measured']} | "
            f"{'yes' if target['met'] else 'no'} |"
        )
    return "\n".join(out) + "\n"


def write_docs(text: str) -> None:
    """Replace what sits between the two markers of docs/performance.md with the new run."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    current = DOCS.read_text() if DOCS.exists() else ""
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        tail = rest.split(end, 1)[1]
        DOCS.write_text(f"{head}{begin}\n{text}{end}{tail}")
    else:
        DOCS.write_text(f"# Performance\n\n{begin}\n{text}{end}\n")


# --- The benchmark -----------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("BENCH_SCALE", "1")),
        help="share of 100,000 articles and 1,000,000 comments to build (default 1)",
    )
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("BENCH_DURATION", "10"))
    )
    parser.add_argument("--connections", default="8,64", help="comma-separated (default 8,64)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn workers (default: as gunicorn.conf.py chooses them for the database: "
        "WORKERS, else one per core, plus one for a database on another machine)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL allowed to create databases (default: the local server)",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS", f"redis://127.0.0.1:6379/{REDIS_DB}")
    )
    parser.add_argument(
        "--mariadb",
        default=os.environ.get("BENCH_MARIADB", "mysql://root@127.0.0.1:3306"),
        help="the MariaDB server for WordPress's database wp_bench (default: the local one)",
    )
    parser.add_argument(
        "--no-wordpress",
        action="store_true",
        default=os.environ.get("BENCH_WORDPRESS", "1") == "0",
        help="leave stock WordPress out of the run (or BENCH_WORDPRESS=0)",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write the docs")
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help=f"leave the {DATABASE} database (about 2 GB at full scale) for a look afterwards",
    )
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    started = time.monotonic()
    # Stopped (make bench's timeout): stop the servers and drop what was made, as at the end.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    ensure_tools()
    sys.path.insert(0, str(HERE))
    import wordpress

    if not args.no_wordpress:
        wordpress.ensure_packages()
    work = Path(tempfile.mkdtemp(prefix="paddock-bench-http-"))
    database_url = re.sub(r"/[^/]*$", f"/{DATABASE}", args.postgres)
    args.workers = args.workers or gunicorn_workers(database_url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "paddock-bench",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PADDOCK_DATA_DIR": str(work / "data"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "SERVE_MEDIA": "false",
        # Readers in the benchmark post as fast as wrk sends: no minimum form time, no
        # first-comment review; their addresses come from X-Forwarded-For (post_comment.lua).
        "PADDOCK_FORM_MIN_SECONDS": "0",
        "PADDOCK_PREMODERATE_FIRST": "0",
        "TRUSTED_PROXY_COUNT": "1",
    }
    env.pop("PADDOCK_TESTING", None)
    uncached_env = {**env, "PADDOCK_PAGE_CACHE": "0"}
    # Nothing kept between requests: no page cache and no kept parts of pages either.
    cold_env = {**uncached_env, "PADDOCK_FRAGMENT_CACHE": "0"}
    logs = work / "logs"
    logs.mkdir()
    report_lua = HERE / "report.lua"
    print(f"Working in {work}; database {DATABASE}, Redis {args.redis}", flush=True)

    # 1. The demo-sized site, and its article timings for the comparison.
    print("Building the demo site...", flush=True)
    build_site(env, args.postgres)
    manage(env, "collectstatic", "--noinput", "-v0")
    flush_redis(args.redis)
    # Parts kept (from_demo) and nothing kept (from_demo_cold).
    from_demo, from_demo_cold = {}, {}
    paths = {slug: _article_path(database_url, slug) for slug in (REFERENCE_SLUG, BIG_SLUG)}
    for label, server_env, into in (
        ("parts kept", uncached_env, from_demo),
        ("nothing kept", cold_env, from_demo_cold),
    ):
        server = gunicorn(
            "demo",
            "config.wsgi:application",
            server_env,
            workers=args.workers,
            log=logs / "demo.log",
        )
        try:
            for slug, path in paths.items():
                wrk(server.url + path, 8, 2, script=report_lua)
                into[slug] = wrk(server.url + path, 8, args.duration, script=report_lua)
                if into[slug].requests < MIN_ANSWERS and args.duration < LONGER:
                    into[slug] = wrk(server.url + path, 8, LONGER, script=report_lua)
                print(f"  demo site, {label}, {slug}: {into[slug].p50_ms:.1f} ms p50", flush=True)
        finally:
            server.stop()
    demo_queries = page_queries(
        uncached_env, {"reference": paths[REFERENCE_SLUG], "big": paths[BIG_SLUG]}, 0, ""
    )

    # Stock WordPress with the same content (bench/http/wordpress.py), on ports of its own.
    wp = None
    if not args.no_wordpress:
        print("Installing WordPress and its content...", flush=True)
        mariadb = wordpress.MariaDB.from_url(args.mariadb)
        wp_port, fpm_port = _free_port(), _free_port()
        if not args.keep_database:
            atexit.register(wordpress.drop, mariadb)
        atexit.register(wordpress.remove_config)
        wordpress.write_config(mariadb, f"http://127.0.0.1:{wp_port}", work)
        wp_site = wordpress.site_content(
            database_url, REFERENCE_SLUG, BIG_SLUG, f"127.0.0.1:{wp_port}"
        )
        installed = wordpress.install(mariadb, wp_site, work)
        posts = installed["posts"]
        wp = {
            "port": wp_port,
            "fpm_port": fpm_port,
            "url": f"http://127.0.0.1:{wp_port}",
            "paths": {
                "reference": posts[REFERENCE_SLUG]["url"],
                "big": posts[BIG_SLUG]["url"],
                "home": "/",
            },
            "comments": {
                "reference": posts[REFERENCE_SLUG]["comments"],
                "big": posts[BIG_SLUG]["comments"],
            },
            "posts": len(posts),
            "versions": wordpress.versions(mariadb, installed["version"]),
            "theme": installed["theme"],
            "permalinks": installed["permalinks"],
        }
        wp["queries"] = {
            name: wordpress.queries(work / "wp-site.json", path)
            for name, path in wp["paths"].items()
        }

    # 2. The large site.
    print("Adding the archive...", flush=True)
    site = add_archive(env, scale=args.scale, work=work)
    print(f"Archive added ({time.monotonic() - started:.0f} s so far).", flush=True)
    readers_lua = work / "readers.lua"
    readers_lua.write_text(
        "return {\n"
        + "".join(f'{{"{r["session"]}", "{r["csrf"]}"}},\n' for r in site["readers"])
        + "}\n"
    )
    post_path = f"/comments/articles/{site['post_article_id']}/post/"
    # Again: the static files may have changed while the archive was written.
    manage(env, "collectstatic", "--noinput", "-v0")
    flush_redis(args.redis)

    servers: list[Server] = []
    front = None
    try:
        # As configured; PADDOCK_PAGE_CACHE=0 ("uncached"); nothing kept either ("cold").
        for name, server_env, log in (
            ("Paddock", env, "app.log"),
            ("Paddock, PADDOCK_PAGE_CACHE=0", uncached_env, "app-uncached.log"),
            ("Paddock, nothing kept", cold_env, "app-cold.log"),
        ):
            servers.append(
                gunicorn(
                    name,
                    "config.wsgi:application",
                    server_env,
                    workers=args.workers,
                    log=logs / log,
                )
            )
        cached, uncached, cold = servers
        pages = {
            "reference": _article_path(database_url, REFERENCE_SLUG),
            "big": _article_path(database_url, BIG_SLUG),
            "home": "/",
            "rss": "/feeds/rss/",
        }
        # The references serve the article exactly as an anonymous reader receives it.
        _status, headers, html = _fetch(uncached.url + pages["reference"])
        (work / "article.html").write_bytes(html)
        static_port, front_port = _free_port(), _free_port()
        (work / "nginx" / "www").mkdir(parents=True, exist_ok=True)
        (work / "nginx" / "www" / "article.html").write_bytes(html)
        bare = gunicorn(
            "bare Django",
            "bare_app:application",
            {**env, "PADDOCK_BENCH_PAGE": str(work / "article.html")},
            workers=args.workers,
            log=logs / "bare.log",
            extra=["--pythonpath", str(HERE)],
        )
        servers.append(bare)
        if wp:
            fpm = wordpress.start_fpm(work, wp["fpm_port"])
            servers.append(Server("WordPress (php-fpm)", wp["fpm_port"], fpm, fpm.pid))
        front = nginx(
            work,
            static_port=static_port,
            front_port=front_port,
            upstream=f"127.0.0.1:{cached.port}",
            extra=wordpress.nginx_server(wp["port"], wp["fpm_port"]) if wp else "",
        )
        if wp:
            wp["bytes"] = wordpress.check_pages(wp["url"], wp["paths"], wp["comments"])
        static_url = f"http://127.0.0.1:{static_port}/article.html"
        front_url = f"http://127.0.0.1:{front_port}"
        _check_front(front_url, pages["reference"])
        cache_headers = _cache_headers(cached.url + pages["reference"])
        front_status = _cache_headers(front_url + pages["reference"], header="X-Cache-Status")

        print("Counting queries...", flush=True)
        reader_id = site["readers"][0]["user_id"]
        queries_uncached = page_queries(uncached_env, pages, reader_id, post_path)
        queries_cached = page_queries(env, pages, reader_id, post_path)
        cold_pages = {name: pages[name] for name in ("reference", "big", "home")}
        queries_cold = page_queries(cold_env, cold_pages, 0, "")

        def sql(name: str, *, cache: bool, kept: bool = True) -> str:
            counts = (queries_cached if cache else queries_uncached if kept else queries_cold)[name]
            if counts["second"] is None:
                return str(counts["first"])
            return f"{counts['first']} / {counts['second']}"

        ref_count = _visible_comments(database_url, REFERENCE_SLUG)
        big_count = _visible_comments(database_url, BIG_SLUG)
        plan = [
            (
                f"Reference article ({ref_count} comments)",
                "nginx static file",
                static_url,
                "–",
                "static",
            ),
            (
                f"Reference article ({ref_count} comments)",
                "bare Django",
                bare.url + "/",
                "0",
                "bare",
            ),
            (
                "Reference article, cached",
                "Paddock",
                cached.url + pages["reference"],
                sql("reference", cache=True),
                "cached-reference",
            ),
            (
                "Reference article, cached",
                "nginx front → Paddock",
                front_url + pages["reference"],
                sql("reference", cache=True),
                "front-reference",
            ),
            (
                "Reference article, uncached",
                "Paddock",
                uncached.url + pages["reference"],
                sql("reference", cache=False),
                "uncached-reference",
            ),
            (
                f"Long discussion ({big_count} comments), uncached",
                "Paddock",
                uncached.url + pages["big"],
                sql("big", cache=False),
                "uncached-big",
            ),
            (
                "Reference article, nothing kept",
                "Paddock",
                cold.url + pages["reference"],
                sql("reference", cache=False, kept=False),
                "cold-reference",
            ),
            (
                f"Long discussion ({big_count} comments), nothing kept",
                "Paddock",
                cold.url + pages["big"],
                sql("big", cache=False, kept=False),
                "cold-big",
            ),
            ("Home page", "Paddock", cached.url + "/", sql("home", cache=True), "cached-home"),
            (
                "Home page, uncached",
                "Paddock",
                uncached.url + "/",
                sql("home", cache=False),
                "uncached-home",
            ),
            (
                "Home page, nothing kept",
                "Paddock",
                cold.url + "/",
                sql("home", cache=False, kept=False),
                "cold-home",
            ),
            ("RSS feed", "Paddock", cached.url + pages["rss"], sql("rss", cache=True), None),
            (
                "RSS feed, uncached",
                "Paddock",
                uncached.url + pages["rss"],
                sql("rss", cache=False),
                None,
            ),
        ]
        if wp:
            wp_url, wp_paths = wp["url"], wp["paths"]
            plan[2:2] = [
                (
                    f"Reference article ({wp['comments']['reference']} comments)",
                    WORDPRESS,
                    wp_url + wp_paths["reference"],
                    str(wp["queries"]["reference"]),
                    "wp-reference",
                ),
                (
                    f"Long discussion ({wp['comments']['big']} comments)",
                    WORDPRESS,
                    wp_url + wp_paths["big"],
                    str(wp["queries"]["big"]),
                    "wp-big",
                ),
                ("Home page", WORDPRESS, wp_url + "/", str(wp["queries"]["home"]), "wp-home"),
            ]
        rows, references, named = [], {"static": {}, "bare": {}}, {}
        rerun = []
        for page, served_by, url, queries, key in plan:
            wrk(url, 8, min(2, args.duration), script=report_lua)  # warm up
            for conns in connections:
                run = wrk(url, conns, args.duration, script=report_lua)
                if run.requests < MIN_ANSWERS and args.duration < LONGER:
                    # Too few answers to say anything (a slow page, a short or busy run).
                    run = wrk(url, conns, LONGER, script=report_lua)
                    rerun.append(f"{page} ({served_by}, {conns} conns)")
                _print_run(page, served_by, conns, run)
                if key in references:
                    references[key][str(conns)] = run.rps
                if key:
                    named[(key, conns)] = run
                rows.append(_row(page, served_by, conns, run, queries))
        if wp:
            # WordPress again, after Paddock's lines: this machine's speed drifts over the
            # minutes between the first and the last line, and the ratios use the mean of
            # WordPress's two rounds (_versus_wordpress).
            for page, served_by, url, queries, key in plan:
                if served_by != WORDPRESS:
                    continue
                wrk(url, 8, min(2, args.duration), script=report_lua)
                for conns in connections:
                    run = wrk(url, conns, args.duration, script=report_lua)
                    again = f"{page}, again after Paddock's lines"
                    _print_run(again, served_by, conns, run)
                    named[(f"{key}{AGAIN}", conns)] = run
                    rows.append(_row(again, served_by, conns, run, queries))

        # An article published in the middle of steady load on the site as configured.
        section = "/" + pages["reference"].strip("/").split("/")[0] + "/"
        steady_paths = ["/", pages["reference"], section, pages["big"], pages["rss"]]
        print("Publishing in the middle of steady load...", flush=True)
        published = publish_run(env, cached.url, steady_paths, connections[0], args.duration)
        print(
            f"  steady {published.steady:,.0f} req/s; the 10 s after the publish: "
            f"{', '.join(str(n) for n in published.after)}; errors {published.errors}",
            flush=True,
        )

        # Readers posting: last, since every comment changes what the pages show.
        def post_env(conns: int, offset: int) -> dict:
            return {
                "PADDOCK_BENCH_READERS": str(readers_lua),
                "PADDOCK_BENCH_POST_PATH": post_path,
                "PADDOCK_BENCH_THREADS": str(min(THREADS, conns)),
                "PADDOCK_BENCH_OFFSET": str(offset),
            }

        # A warm-up, as for the pages: a worker's first comment loads what posting needs
        # (seconds on a busy machine, more than a short run), with readers of its own.
        warm = connections[0]
        wrk(
            cached.url + post_path,
            warm,
            3,
            script=HERE / "post_comment.lua",
            env=post_env(warm, len(site["readers"]) * 7 // 8),
        )
        time.sleep(2)  # the last answers of the warm-up, before counting what is stored
        since = dt.datetime.now(dt.UTC)
        post_runs = []
        for number, conns in enumerate(connections):
            offset = number * len(site["readers"]) // len(connections)
            run = wrk(
                cached.url + post_path,
                conns,
                args.duration,
                script=HERE / "post_comment.lua",
                env=post_env(conns, offset),
            )
            if run.requests < MIN_ANSWERS and args.duration < LONGER:
                run = wrk(
                    cached.url + post_path,
                    conns,
                    LONGER,
                    script=HERE / "post_comment.lua",
                    # Readers of its own, half-way to the next run's.
                    env=post_env(conns, offset + len(site["readers"]) // (2 * len(connections))),
                )
                rerun.append(f"Comment POST ({conns} conns)")
            _print_run("Comment POST, signed in", "Paddock", conns, run)
            post_runs.append(run)
            rows.append(
                _row("Comment POST, signed in", "Paddock", conns, run, sql("post", cache=False))
            )
        posted = _comment_statuses(database_url, site["post_article_id"], since)

        for server in servers:
            server.record_memory()
        front.record_memory()
    finally:
        for server in servers:
            server.stop()
        if front is not None:
            stop_nginx(front)

    memory = []
    for server in servers:
        for name, mb in server.peaks.items():
            memory.append((f"{server.name}: {name}", mb))
    for name, mb in front.peaks.items():
        memory.append((f"nginx (static and front): {name}", mb))

    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "tools": _tool_versions(args.postgres)
        + (f"; {wp['versions']}" if wp else "")
        + f"; Python {platform.python_version()} ({os.path.realpath(sys.executable)})"
        + f"; Django {_django_version()}",
        "duration": args.duration,
        "scale": args.scale,
        "workers": args.workers,
        "site": (
            f"the demo site plus {site['articles']:,} articles and {site['comments']:,} "
            f"comments in PostgreSQL, {len(site['readers']):,} signed-in readers; "
            f"built in {sum(site['seconds'].values()):.0f} s"
        ),
        "rows": rows,
        "references": references,
        "memory": memory,
        "notes": _notes(
            cache_headers, front_status, posted, post_runs, queries_uncached, headers, html
        ),
        "targets": _targets(
            named, references, rows, queries_uncached, from_demo, from_demo_cold, connections
        ),
        "wordpress": _versus_wordpress(named, connections) if wp else [],
        "publish": _publish_summary(published, steady_paths, connections[0]),
    }
    report["targets"][-1:-1] = [t for row in report["wordpress"] if (t := row["target"])]
    report["targets"].insert(-1, report["publish"]["target"])
    if wp:
        wp_errors = sum(r["errors"] for r in rows if r["server"] == WORDPRESS)
        report["notes"].insert(
            0,
            f"WordPress {wp['versions'].split(';')[0].split()[-1]} from Debian's packages, "
            f"stock: theme {wp['theme']}, permalinks {wp['permalinks']}, {wp['posts']} posts "
            f"(the reference article with its {wp['comments']['reference']} comments, the long "
            f"discussion with {wp['comments']['big']} threaded three deep, all on one page as "
            "WordPress shows them by default), the default widgets with Recent Comments; no "
            "page cache or other plugin, opcache as Debian ships it, WP-Cron off and outgoing "
            "HTTP blocked (bench/http/wordpress.py); php-fpm with Debian's pool "
            f"(pm dynamic, {wordpress.FPM_POOL['pm.max_children']} children at most) behind the "
            f"same nginx. Its pages: reference {wp['bytes']['reference']:,} bytes, long "
            f"discussion {wp['bytes']['big']:,}, home {wp['bytes']['home']:,}. SQL counted with "
            f"SAVEQUERIES on one request each. WordPress errors: {wp_errors}.",
        )
    report["notes"].append(
        "Demo-sized site (before the archive was added), uncached, 8 connections: reference "
        f"article p50 {from_demo[REFERENCE_SLUG].p50_ms:.1f} ms / p99 "
        f"{from_demo[REFERENCE_SLUG].p99_ms:.1f} ms, {from_demo[REFERENCE_SLUG].rps:,.0f} req/s; "
        f"the long discussion p50 {from_demo[BIG_SLUG].p50_ms:.1f} ms / p99 "
        f"{from_demo[BIG_SLUG].p99_ms:.1f} ms, {from_demo[BIG_SLUG].rps:,.0f} req/s."
    )
    report["notes"].append(
        "Demo-sized site, nothing kept, 8 connections: reference article p50 "
        f"{from_demo_cold[REFERENCE_SLUG].p50_ms:.1f} ms, "
        f"{from_demo_cold[REFERENCE_SLUG].rps:,.0f} req/s; the long discussion p50 "
        f"{from_demo_cold[BIG_SLUG].p50_ms:.1f} ms, {from_demo_cold[BIG_SLUG].rps:,.0f} req/s."
    )
    report["notes"].append(
        "Queries on the demo-sized site: reference article "
        f"{demo_queries['reference']['first']}, long discussion {demo_queries['big']['first']}."
    )
    if rerun:
        report["notes"].append(
            f"Fewer than {MIN_ANSWERS} answers in {args.duration:g} s, so run again for "
            f"{LONGER} s (the figure shown): {'; '.join(rerun)}."
        )
    report["notes"].append(f"The whole run took {(time.monotonic() - started) / 60:.1f} minutes.")
    text = render(report)
    print()
    print(text)
    (work / "report.json").write_text(json.dumps(report, indent=2, default=str))
    if not args.no_docs:
        write_docs(text)
        print(f"Written to {DOCS.relative_to(ROOT)}.")
    if not args.keep_database:
        drop_database(args.postgres)
        print(f"Dropped the {DATABASE} database (--keep-database keeps it).")


def _article_path(database_url: str, slug: str) -> str:
    """The address of the article with this slug: its url_path below the site's root page."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT p.url_path, r.url_path FROM wagtailcore_page p, wagtailcore_site s"
            " JOIN wagtailcore_page r ON r.id = s.root_page_id"
            " WHERE p.slug = %s AND s.is_default_site",
            [slug],
        ).fetchone()
    if row is None:
        raise SystemExit(f"No article {slug!r}: the demo site did not load.")
    return "/" + row[0].removeprefix(row[1])


def _check_front(front_url: str, path: str) -> None:
    """The nginx front answers pages and static files."""
    status, _headers, html = _fetch(front_url + path)
    if status != 200:
        raise SystemExit(f"nginx front answered {status} for {path}")
    match = re.search(r'href="(/static/[^"]+\.css)"', html.decode())
    if match:
        status, headers, _body = _fetch(front_url + match.group(1))
        if status != 200 or "immutable" not in headers.get("Cache-Control", ""):
            raise SystemExit(f"nginx front did not serve {match.group(1)} as a static file")


def _cache_headers(url: str, header: str = "Cache-Control") -> str:
    """The header on the third anonymous request to the URL (after two to fill a cache)."""
    for _ in range(3):
        _status, headers, _body = _fetch(url)
    cookies = "sets a cookie" if "Set-Cookie" in headers else "no cookie"
    return f"{headers.get(header, '(none)')}; {cookies}"


def _visible_comments(database_url: str, slug: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT count(*) FROM comments_comment c JOIN wagtailcore_page p"
            " ON p.id = c.article_id WHERE p.slug = %s AND c.status = 'published'"
            " AND NOT c.shadowed AND NOT c.is_deleted",
            [slug],
        ).fetchone()[0]


def _row(page: str, served_by: str, conns: int, run: Run, sql: str) -> dict:
    return {
        "page": page,
        "server": served_by,
        "conns": conns,
        "rps": run.rps,
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "errors": run.errors,
        "requests": run.requests,
        "seconds": run.seconds,
        "cpu_ms": run.cpu_ms,
        "sql": sql,
    }


def _print_run(page: str, served_by: str, conns: int, run: Run) -> None:
    print(
        f"  {page[:34]:34} {served_by[:22]:22} {conns:3d} conns {run.rps:9,.0f} req/s "
        f"p50 {run.p50_ms:8.1f} ms p99 {run.p99_ms:8.1f} ms errors {run.errors}",
        flush=True,
    )


def _notes(cache_headers, front_status, posted, post_runs, queries, headers, html) -> list[str]:
    notes = [
        f"The reference article is {len(html):,} bytes of HTML; nginx and bare Django serve "
        "that same file.",
        f"Paddock's answer to an anonymous reader's third request for it: Cache-Control "
        f"{cache_headers}. Through the nginx front: X-Cache-Status {front_status}.",
        "“Cached” rows ask Paddock as configured (its page cache answers repeated anonymous "
        "requests when it holds the page); “uncached” rows ask a second server started with "
        "PADDOCK_PAGE_CACHE=0, where every request renders, reusing the parts of pages kept "
        "until what they show changes (menus, sidebar, an article's story and related "
        "articles: docs/caching.md), as a page renders after a comment made it stale; "
        "“nothing kept” rows ask a third server that keeps no parts either "
        "(PADDOCK_FRAGMENT_CACHE=0), as the first page rendered after an article is published.",
    ]
    statuses = {}
    for run in post_runs:
        for code, count in (run.statuses or {}).items():
            statuses[code] = statuses.get(code, 0) + count
    notes.append(
        "Comment POSTs: HTTP statuses "
        + ", ".join(f"{code}: {count:,}" for code, count in sorted(statuses.items()))
        + "; comments stored by status: "
        + ", ".join(f"{status} {count:,}" for status, count in sorted(posted.items()))
        + ". Each comes from the next of the signed-in readers, with its own "
        "X-Forwarded-For address, so that the per-reader and per-address limits (5 and 20 a "
        "minute) hold as they would for many readers."
    )
    for name, counts in queries.items():
        tables = ", ".join(f"{table} ×{n}" for table, n in counts["tables"])
        notes.append(f"Queries on {name}: {counts['first']}, most from {tables}.")
    return notes


def _django_version() -> str:
    import django

    return django.get_version()


# Paddock against WordPress: (what is compared, Paddock's run, WordPress's run, at least ×).
VERSUS_WORDPRESS = [
    ("4-comment article, page-cache hit", "cached-reference", "wp-reference", None),
    ("4-comment article, page cache off, parts kept", "uncached-reference", "wp-reference", 10),
    ("4-comment article, nothing kept", "cold-reference", "wp-reference", 5),
    ("Long discussion, parts kept", "uncached-big", "wp-big", None),
    ("Long discussion, nothing kept", "cold-big", "wp-big", 10),
    ("Home page, page-cache hit", "cached-home", "wp-home", None),
    ("Home page, parts kept", "uncached-home", "wp-home", None),
    ("Home page, nothing kept", "cold-home", "wp-home", 5),
]


# The key suffix of WordPress's second round, measured after Paddock's lines.
AGAIN = "-again"


def _both_rounds(first: Run, last: Run | None) -> Run:
    """WordPress's two rounds as one: the mean of their rates and medians, the worse 99th
    percentile, every request and error counted."""
    if last is None:
        return first
    cpu_ms = None
    if first.cpu_ms is not None and last.cpu_ms is not None and first.requests + last.requests:
        spent = first.cpu_ms * first.requests + last.cpu_ms * last.requests
        cpu_ms = spent / (first.requests + last.requests)
    return Run(
        rps=(first.rps + last.rps) / 2,
        p50_ms=(first.p50_ms + last.p50_ms) / 2,
        p99_ms=max(first.p99_ms, last.p99_ms),
        errors=first.errors + last.errors,
        requests=first.requests + last.requests,
        seconds=first.seconds + last.seconds,
        cpu_ms=cpu_ms,
    )


def _versus_wordpress(named: dict, connections: list[int]) -> list[dict]:
    """Each Paddock line beside WordPress's for the same page, with the ratio of req/s; for
    WordPress, the mean of its rounds before and after Paddock's lines."""
    out = []
    for label, ours, theirs, times in VERSUS_WORDPRESS:
        for conns in connections:
            paddock, first = named.get((ours, conns)), named.get((theirs, conns))
            if paddock is None or first is None:
                continue
            last = named.get((f"{theirs}{AGAIN}", conns))
            wp = _both_rounds(first, last)
            if wp.requests:
                ratio = paddock.rps / wp.rps
                shown = f"{ratio:,.1f}×" if ratio >= 1 else f"{ratio:.2f}×"
            else:  # WordPress answered nothing within the run
                ratio = float("inf") if paddock.requests else 0
                shown = f"> {paddock.requests:,}× (WordPress: {NO_ANSWER})"
            target = None
            if times:
                target = {
                    "name": f"{label} vs WordPress, {conns} conns",
                    "needed": f"≥ {times}× WordPress",
                    "measured": shown,
                    "met": ratio >= times and paddock.errors == 0,
                }
            out.append(
                {
                    "page": label,
                    "conns": conns,
                    "wp": wp,
                    "wp_rounds": (first.rps, last.rps if last else None),
                    "paddock": paddock,
                    "ratio": shown,
                    "needed": f"≥ {times}×" if times else "–",
                    "met": ("yes" if target["met"] else "no") if target else "–",
                    "target": target,
                }
            )
    return out


def _publish_summary(published: Publish, paths: list[str], conns: int) -> dict:
    half = published.steady / 2
    low = min(published.after) if published.after else 0
    met = (
        len(published.after) == 10
        and low >= half
        and published.errors == 0
        and published.errors_after == 0
        and published.shown
    )
    text = (
        f"Publish in the middle: Paddock as configured (page cache and kept parts), wrk with "
        f"{conns} connections asking in turn for {', '.join(paths)}; half-way an article is "
        f"published by Wagtail's Revision.publish in another process ({published.path}, "
        f"{published.publish_seconds * 1000:.0f} ms). Steady state before: "
        f"{published.steady:,.0f} req/s; each of the 10 seconds from the publish on: "
        f"{', '.join(f'{n:,}' for n in published.after)} req/s; errors over the whole run: "
        f"{published.errors} (during the 10 s: {published.errors_after}); the new article "
        f"answered and the home page linked to it: {'yes' if published.shown else 'no'}."
    )
    return {
        "text": text,
        "target": {
            "name": "Publish in the middle: each of the 10 s after",
            "needed": "≥ 50% of the steady req/s, no error",
            "measured": (
                f"lowest {low:,} req/s = {_pct(low, published.steady)} of {published.steady:,.0f}; "
                f"{published.errors} errors"
            ),
            "met": met,
        },
    }


def _targets(
    named, references, rows, queries, from_demo, from_demo_cold, connections
) -> list[dict]:
    targets = []
    c = connections[0]
    bare = references["bare"].get(str(c))
    static = references["static"].get(str(c))

    def find(page: str, served_by: str, conns: int):
        for row in rows:
            if row["page"] == page and row["server"] == served_by and row["conns"] == conns:
                return row
        return None

    for conns in connections:
        bare = references["bare"].get(str(conns))
        static = references["static"].get(str(conns))
        cached = find("Reference article, cached", "Paddock", conns)
        front = find("Reference article, cached", "nginx front → Paddock", conns)
        ref = named.get(("uncached-reference", conns))
        big = named.get(("uncached-big", conns))
        checks = [
            ("Cached article, app alone", "≥ 60% of bare Django", cached["rps"], bare, 0.60),
            ("Cached article through nginx", "≥ 90% of nginx static", front["rps"], static, 0.90),
            ("Uncached reference article", "≥ 5% of bare Django", ref.rps, bare, 0.05),
            ("Uncached 500-comment article", "≥ 0.6% of bare Django", big.rps, bare, 0.006),
        ]
        for name, needed, value, reference, share in checks:
            targets.append(
                {
                    "name": f"{name}, {conns} conns",
                    "needed": needed,
                    "measured": _pct(value, reference),
                    "met": bool(reference) and value >= share * reference,
                }
            )
        if conns == 8:
            targets.append(
                {
                    "name": "Uncached 500-comment article p99, 8 conns",
                    "needed": "< 150 ms",
                    "measured": f"{big.p99_ms:.0f} ms" if big.requests else NO_ANSWER,
                    "met": bool(big.requests) and big.p99_ms < 150,
                }
            )
    most = max(queries[name]["second"] for name in ("reference", "big"))
    first = max(queries[name]["first"] for name in ("reference", "big"))
    targets.append(
        {
            "name": "SQL queries on an article page (uncached)",
            "needed": "≤ 12",
            "measured": f"{most} (first request of the process: {first})",
            "met": most <= 12,
        }
    )
    for slug, label, key, demo_runs, kept in (
        (REFERENCE_SLUG, "reference", "uncached-reference", from_demo, "parts kept"),
        (BIG_SLUG, "500-comment", "uncached-big", from_demo, "parts kept"),
        (REFERENCE_SLUG, "reference", "cold-reference", from_demo_cold, "nothing kept"),
        (BIG_SLUG, "500-comment", "cold-big", from_demo_cold, "nothing kept"),
    ):
        large = named.get((key, 8))
        demo = demo_runs[slug]
        if large:
            answered = bool(large.requests and demo.requests)
            ratio = large.p50_ms / demo.p50_ms if answered else 0
            targets.append(
                {
                    "name": f"Large site vs demo site, {label} article, {kept}, p50, 8 conns",
                    "needed": "≤ 1.5×",
                    "measured": (
                        f"{ratio:.2f}× ({large.p50_ms:.1f} vs {demo.p50_ms:.1f} ms)"
                        if answered
                        else f"{NO_ANSWER} on the large site"
                    ),
                    "met": answered and ratio <= 1.5,
                }
            )
    ours = [row for row in rows if row["server"] != WORDPRESS]
    errors = sum(row["errors"] for row in ours)
    silent = sum(1 for row in ours if not row["requests"])
    targets.append(
        {
            "name": "Errors, every run of Paddock",
            "needed": "0",
            "measured": f"{errors}" + (f"; {silent} runs without an answer" if silent else ""),
            "met": errors == 0 and silent == 0,
        }
    )
    return targets


if __name__ == "__main__":
    main()
