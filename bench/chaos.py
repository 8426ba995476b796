"""Does a posted comment survive its database and its cache going away? A chaos run.

Builds its own site (migrate, one published article, --readers verified readers with a known
password) in its own PostgreSQL database, starts two gunicorn app processes on it (2 workers
each, Redis database 5 for the cache, as two machines behind a load balancer), and signs each
reader in. Then, for --duration seconds, every reader reads the article through one process
and posts a comment with a body of its own through the other, alternating, as fast as the
per-reader limit allows (5 a minute). A post whose answer is lost (no connection, a timeout,
a 5xx) is sent again as a browser resends it: the same form, with the same stamp; a 409 ("still
being answered") or a 429 is sent again after its Retry-After.

Meanwhile PostgreSQL is stopped and started again five times (a few seconds down each time)
and Redis is shut down for 10 s once. Both run again at the end whatever happens.

Then it counts: requests sent; posts acknowledged (a redirect to the comment); comments
stored with the run's bodies; lost (acknowledged but not stored); doubled (a body stored more
than once); 5xx answers (503s apart); and a per-second timeline. Prints the table and writes it
to docs/operations.md, section "Chaos run" (--no-docs: print only).

Stopping PostgreSQL and Redis stops them for everyone on the machine (Redis loses every
database's keys), so the run refuses while another client is connected to PostgreSQL
(--force runs anyway). --no-chaos runs the same load with both left alone, as a baseline.
Needs root (or the postgres user) for pg_ctlcluster.

Run: .venv/bin/python bench/chaos.py [--database paddock_chaos] [--duration 120]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOCS = ROOT / "docs" / "operations.md"
BEGIN, END = "<!-- chaos:begin -->", "<!-- chaos:end -->"

PASSWORD = "chaos-run-correct-horse-9"  # noqa: S105 - the bench readers' own, on a local site
REQUEST_TIMEOUT = 15.0  # seconds a reader waits for an answer before calling it lost
POST_EVERY = 13.0  # seconds between a reader's new comments: under 5 a minute, with a resend
READ_EVERY = 1.0  # seconds between a reader's page reads while waiting to post
GRACE = 45.0  # seconds after the run in which a lost post may still be resent
PG_CLUSTER = ("15", "main")
PG_DOWN = 3.0  # seconds PostgreSQL stays stopped each time
REDIS_DOWN = 10.0
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]


# --- The site ----------------------------------------------------------------------------


def build_site_here(readers: int) -> None:
    """Run in a child process with the site's settings: one published article and `readers`
    verified readers, all with PASSWORD (hashed once, with the site's own hasher). Prints JSON."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from paddock.accounts.models import Profile
    from paddock.core.roles import READERS
    from paddock.newsroom.tests.factories import make_article, make_section

    user_model = get_user_model()
    with transaction.atomic():
        article = make_article(make_section("Motorsport"), title="Rain at the ring")
        password = make_password(PASSWORD)
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"chaos-{n}", email=f"chaos-{n}@example.com", password=password)
                for n in range(readers)
            ]
        )
        Profile.objects.bulk_create(
            [Profile(user=u, display_name=f"Chaos reader {n}") for n, u in enumerate(users)]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        group = Group.objects.get(name=READERS)
        membership = user_model.groups.through
        membership.objects.bulk_create([membership(user_id=u.pk, group_id=group.pk) for u in users])
    print(json.dumps({"article_id": article.pk, "article_url": article.url}))


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def build_site(env: dict, admin_url: str, database: str, readers: int) -> dict:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    result = subprocess.run(
        [str(BIN / "python"), __file__, "--build-site-here", str(readers)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"Building the site failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- App processes -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(env: dict, log: Path) -> Server:
    port = _free_port()
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    server = Server(port, process, log)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on {port} exited:\n{log.read_text()[-3000:]}")
        try:
            status, _, _ = Browser("127.0.0.1").request(port, "GET", "/healthz")
            if status == 200:
                return server
        except (OSError, HTTPException):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn on {port} gave no healthy answer within 60 s")
        time.sleep(0.3)


# --- Readers -----------------------------------------------------------------------------


class Lost(Exception):
    """No answer: the connection failed or timed out."""


class FormFields(HTMLParser):
    """The named inputs and textareas of the first form whose action contains `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.fields, self.found, self._inside = action, None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and self.action in (attrs.get("action") or ""):
            self.found, self._inside, self.fields = True, True, {}
        elif (
            self._inside
            and tag in {"input", "textarea"}
            and attrs.get("name")
            and attrs.get("type") not in {"checkbox", "submit"}
        ):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def form_fields(page: str, action: str) -> dict | None:
    parser = FormFields(action)
    parser.feed(page)
    return parser.fields


@dataclass
class Browser:
    """One reader's cookies and address (X-Forwarded-For, as nginx would pass it on)."""

    address: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        conn = HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text


@dataclass
class Attempt:
    """One comment: its body and what became of it."""

    body: str
    sends: int = 0
    acknowledged: bool = False
    last: str = ""


class Recorder:
    """Every request's outcome, by second since the start of the run."""

    def __init__(self) -> None:
        self.started: float | None = None  # set once every reader has signed in
        self.lock = threading.Lock()
        self.by_second: dict[int, Counter] = defaultdict(Counter)
        self.totals: Counter = Counter()
        self.events: dict[int, list[str]] = defaultdict(list)

    def second(self) -> int:
        """Seconds since the run's start; -1 while the readers sign in, before it."""
        if self.started is None:
            return -1
        return math.floor(time.monotonic() - self.started)

    def note(self, kind: str, outcome: str) -> None:
        with self.lock:
            second = self.second()
            for key in ("requests", f"{kind} {outcome}", outcome):
                self.by_second[second][key] += 1
                self.totals[key] += 1

    def event(self, text: str) -> None:
        with self.lock:
            self.events[self.second()].append(text)
        print(f"  [{self.second():4d} s] {text}", flush=True)


def outcome_of(status: int) -> str:
    if status >= 500:
        return "503" if status == 503 else "5xx"
    return str(status)


class Reader(threading.Thread):
    def __init__(
        self,
        number: int,
        ports: list[int],
        site: dict,
        run: str,
        rec: Recorder,
        go: threading.Event,
    ):
        super().__init__(name=f"reader-{number}", daemon=True)
        self.go, self.signed_in = go, False
        self.number, self.ports, self.site, self.run_id, self.rec = number, ports, site, run, rec
        self.browser = Browser(f"10.77.{number // 250}.{number % 250 + 1}")
        self.attempts: list[Attempt] = []
        self.turn = number
        self.error = ""

    def port(self) -> int:
        self.turn += 1
        return self.ports[self.turn % len(self.ports)]

    def send(self, kind: str, method: str, path: str, form: dict | None = None):
        """One request through the next process; Lost when no answer came."""
        try:
            status, headers, text = self.browser.request(self.port(), method, path, form)
        except (OSError, HTTPException) as exc:
            self.rec.note(kind, "no answer")
            raise Lost(str(exc)) from exc
        self.rec.note(kind, outcome_of(status))
        return status, headers, text

    def sign_in(self, until: float) -> None:
        while time.monotonic() < until:
            try:
                status, _, page = self.send("sign-in", "GET", "/accounts/login/")
                fields = form_fields(page, "/accounts/login/") if status == 200 else None
                if fields is not None:
                    fields.update(login=f"chaos-{self.number}@example.com", password=PASSWORD)
                    status, _, _ = self.send("sign-in", "POST", "/accounts/login/", fields)
                    if status == 302:
                        return
            except Lost:
                pass
            time.sleep(1)
        raise RuntimeError(f"reader {self.number} could not sign in")

    def read(self) -> dict | None:
        """The article page; its comment form when it came."""
        try:
            status, _, page = self.send("read", "GET", self.site["article_url"])
        except Lost:
            return None
        if status != 200:
            return None
        return form_fields(page, f"/comments/articles/{self.site['article_id']}/post/")

    def post(self, form: dict, until: float) -> None:
        """Send one comment's form until it is answered, resending the same form (same stamp,
        same body) after a lost answer, a 5xx, a 409 or a 429, as a browser would."""
        attempt = Attempt(form["body"])
        self.attempts.append(attempt)
        path = f"/comments/articles/{self.site['article_id']}/post/"
        pause = 1.0
        while time.monotonic() < until:
            attempt.sends += 1
            try:
                status, headers, _ = self.send("post", "POST", path, form)
            except Lost:
                attempt.last = "no answer"
                time.sleep(pause)
                pause = min(pause * 2, 5)
                continue
            attempt.last = str(status)
            location = headers.get("Location") or ""
            if (status == 302 and "/accounts/login" not in location) or 200 <= status < 300:
                attempt.acknowledged = True
                return
            if status >= 500 or status in {409, 429}:
                retry = headers.get("Retry-After") or ""
                time.sleep(float(retry) if retry.isdigit() else pause)
                pause = min(pause * 2, 5)
                continue
            return  # refused (4xx): the reader would see why; nothing to resend

    def run(self) -> None:
        try:
            self.loop()
        except Exception as exc:  # noqa: BLE001 - reported with the figures
            self.error = f"{type(exc).__name__}: {exc}"

    def loop(self) -> None:
        duration = self.site["duration"]
        self.sign_in(time.monotonic() + 60)
        self.signed_in = True
        self.go.wait()
        end = self.rec.started + duration
        # Readers start their first comment at spread-out moments.
        next_post = time.monotonic() + random.uniform(0, POST_EVERY)  # noqa: S311
        n = 0
        while time.monotonic() < end:
            form = self.read()
            if form is None or time.monotonic() < next_post:
                time.sleep(READ_EVERY if form is not None else 1)
                continue
            next_post = time.monotonic() + POST_EVERY
            n += 1
            form["body"] = (
                f"{self.run_id} reader {self.number} comment {n}: the wet line held "
                f"better than the dry one at turn {n}."
            )
            self.post(form, end + GRACE)


# --- Chaos -------------------------------------------------------------------------------


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    return (result.stdout + result.stderr).strip()


def pg_ctl(action: str) -> str:
    mode = ["--mode", "fast"] if action == "stop" else []
    return _run(["pg_ctlcluster", "--skip-systemctl-redirect", *mode, *PG_CLUSTER, action])


def pg_running() -> bool:
    return "online" in _run(["pg_lsclusters", "-h", *PG_CLUSTER])


def redis_running() -> bool:
    return _run(["redis-cli", "-p", "6379", "ping"]) == "PONG"


def redis_start() -> str:
    cwd = "/var/lib/redis" if Path("/var/lib/redis").is_dir() else tempfile.gettempdir()
    result = subprocess.run(REDIS_START, cwd=cwd, capture_output=True, text=True, check=False)
    deadline = time.monotonic() + 10
    while not redis_running() and time.monotonic() < deadline:
        time.sleep(0.2)
    return (result.stdout + result.stderr).strip()


def ensure_services() -> list[str]:
    """Start whichever of PostgreSQL and Redis is not running."""
    done = []
    if not pg_running():
        done.append(f"started PostgreSQL again: {pg_ctl('start') or 'ok'}")
    if not redis_running():
        done.append(f"started Redis again: {redis_start() or 'ok'}")
    return done


def chaos_plan(duration: float) -> list[tuple[float, str]]:
    """Five PostgreSQL restarts spread over the run, and Redis away for 10 s between two."""
    plan = [(duration * f, "postgres") for f in (0.1, 0.25, 0.5, 0.7, 0.85)]
    plan.append((duration * 0.35, "redis"))
    return sorted(plan)


def chaos(duration: float, rec: Recorder, stop: threading.Event) -> None:
    for at, what in chaos_plan(duration):
        if stop.wait(max(0, rec.started + at - time.monotonic())):
            return
        if what == "postgres":
            rec.event("PostgreSQL stopping")
            out = pg_ctl("stop")
            rec.event(f"PostgreSQL stopped{': ' + out if out else ''}")
            time.sleep(PG_DOWN)
            out = pg_ctl("start")
            rec.event(f"PostgreSQL started{': ' + out if out else ''}")
        else:
            out = _run(["redis-cli", "-p", "6379", "shutdown", "nosave"])
            rec.event(f"Redis shut down{': ' + out if out else ''}")
            time.sleep(REDIS_DOWN)
            out = redis_start()
            rec.event(f"Redis started{': ' + out if out else ''}")


def other_clients(admin_url: str, database: str) -> list[str]:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
            " AND pid <> pg_backend_pid() AND datname IS NOT NULL AND datname <> %s"
            " GROUP BY datname",
            [database],
        ).fetchall()
    return [f"{name} ({count})" for name, count in rows]


# --- Counting ----------------------------------------------------------------------------


def stored_bodies(database_url: str, article_id: int, run: str) -> tuple[Counter, Counter]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT body, status FROM comments_comment WHERE article_id = %s AND body LIKE %s",
            [article_id, f"{run} %"],
        ).fetchall()
    return Counter(body for body, _ in rows), Counter(status for _, status in rows)


def log_lines(servers: list[Server]) -> Counter:
    found = Counter()
    patterns = {
        "tracebacks": "Traceback",
        "after-commit work failed (then retried)": "After-commit work failed",
        "after-commit fallbacks": "replaced by its fallback",
        "after-commit work lost": "After-commit work lost",
        "cache unreachable": "Cache unreachable",
        "cache back": "Cache back",
        "workers killed (timeout)": "WORKER TIMEOUT",
    }
    for server in servers:
        text = server.log.read_text(errors="replace")
        for name, pattern in patterns.items():
            found[name] += text.count(pattern)
    return found


def figures(readers: list[Reader], rec: Recorder, stored: Counter) -> list[tuple[str, str]]:
    attempts = [a for r in readers for a in r.attempts]
    acknowledged = {a.body for a in attempts if a.acknowledged}
    lost = acknowledged - set(stored)
    doubled = {body: n for body, n in stored.items() if n > 1}
    unanswered = [a for a in attempts if not a.acknowledged]
    stored_unacked = [a for a in unanswered if a.body in stored]
    t = rec.totals
    posts = sum(v for k, v in t.items() if k.startswith("post "))
    refused = sum(
        v for k, v in t.items() if k.startswith("post 4") and k not in {"post 409", "post 429"}
    )
    return [
        ("Requests sent (sign-in, page reads, comment posts)", f"{t['requests']:,}"),
        ("Comment posts sent, resends included", f"{posts:,}"),
        ("Comments written (distinct bodies)", f"{len(attempts):,}"),
        ("Acknowledged (302 to the comment)", f"{len(acknowledged):,}"),
        ("Stored (comments with the run's bodies)", f"{sum(stored.values()):,}"),
        ("**Lost** (acknowledged, not stored)", f"{len(lost):,}"),
        ("**Doubled** (a body stored more than once)", f"{len(doubled):,}"),
        ("Never acknowledged, stored once", f"{len(stored_unacked):,}"),
        ("Never acknowledged, not stored", f"{len(unanswered) - len(stored_unacked):,}"),
        ("Resends of the same form", f"{sum(max(0, a.sends - 1) for a in attempts):,}"),
        ("Posts refused (4xx other than 409 and 429)", f"{refused:,}"),
        ("5xx answers (all requests)", f"{t['503'] + t['5xx']:,}"),
        ("… of which 503 (try again)", f"{t['503']:,}"),
        ("… of which other 5xx", f"{t['5xx']:,}"),
        ("No answer (connection refused or reset, timeout)", f"{t['no answer']:,}"),
        ("409 (form still being answered)", f"{t['409']:,}"),
        ("429 (rate limited)", f"{t['429']:,}"),
    ]


def timeline(rec: Recorder, step: int) -> list[str]:
    lines = [
        "| Seconds | Requests | 2xx/3xx | 503 | other 5xx | no answer | 409/429 | Events |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    last = max([*rec.by_second, *rec.events, 0])
    for start in [-1, *range(0, last + 1, step)]:
        c, events = Counter(), []
        for s in range(start, start + step) if start >= 0 else [start]:
            c.update(rec.by_second.get(s, Counter()))
            events += rec.events.get(s, [])
        ok = sum(v for k, v in c.items() if k.isdigit() and 200 <= int(k) < 400)
        held = c["409"] + c["429"]
        label = (
            "sign-in" if start < 0 else f"{start}" if step == 1 else f"{start}–{start + step - 1}"
        )
        lines.append(
            f"| {label} | {c['requests']} | {ok} | {c['503']} | {c['5xx']} | "
            f"{c['no answer']} | {held} | {'; '.join(e.split(':')[0] for e in events)} |"
        )
    return lines


def _machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {kb / 1024 / 1024:.0f} GB RAM"


def render(report: dict) -> str:
    out = [
        f"Run of {report['date']} on {report['machine']}, shared with other work; "
        f"PostgreSQL {report['postgres']}, Redis {report['redis']}.",
        "",
        "```",
        report["command"],
        "```",
        "",
        f"{report['readers']} signed-in readers for {report['duration']:g} s, each reading the "
        "article every few seconds and posting a comment of its own about every "
        f"{POST_EVERY:g} s (under the limit of 5 a minute), alternating between two gunicorn "
        "processes of 2 workers on one PostgreSQL and one Redis; a lost answer (no answer, "
        "5xx, 409, 429) is resent with the same form, as a browser resends it. "
        f"Meanwhile: {report['chaos']}.",
        "",
        "| Figure | Count |",
        "| --- | ---: |",
        *(f"| {name} | {value} |" for name, value in report["figures"]),
        "",
        "Comments stored by status: "
        + (", ".join(f"{s} {n}" for s, n in sorted(report["statuses"].items())) or "none")
        + ". From the app logs: "
        + ", ".join(f"{name} {n}" for name, n in report["logs"].items())
        + ".",
    ]
    if report["errors"]:
        out += ["", "Readers that stopped: " + "; ".join(report["errors"])]
    out += ["", "Timeline, 5-second steps:", "", *report["timeline"]]
    return "\n".join(out) + "\n"


def write_docs(text: str) -> None:
    current = DOCS.read_text()
    if BEGIN not in current:
        raise SystemExit(f"{DOCS} has no {BEGIN} marker: add the Chaos run section first.")
    head, rest = current.split(BEGIN, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{text}{END}{rest.split(END, 1)[1]}")


# --- The run -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-site-here", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", default="paddock_chaos")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL allowed to create databases (default: the local server)",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--readers", type=int, default=40)
    parser.add_argument("--no-chaos", action="store_true", help="leave PostgreSQL and Redis be")
    parser.add_argument("--force", action="store_true", help="run with other clients connected")
    parser.add_argument("--no-docs", action="store_true", help="do not write the docs")
    args = parser.parse_args()
    if args.build_site_here is not None:
        build_site_here(args.build_site_here)
        return

    if not args.no_chaos:
        if shutil.which("pg_ctlcluster") is None:
            raise SystemExit("pg_ctlcluster not found: this run restarts a Debian PostgreSQL.")
        others = other_clients(args.postgres, args.database)
        if others and not args.force:
            raise SystemExit(
                "Other clients are connected to PostgreSQL ("
                + ", ".join(others)
                + "); restarting it would break their work. Wait, or pass --force."
            )
    work = Path(tempfile.mkdtemp(prefix="paddock-chaos-"))
    database_url = re.sub(r"/[^/]*$", f"/{args.database}", args.postgres)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": f"chaos-{secrets.token_hex(3)}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PADDOCK_DATA_DIR": str(work / "data"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "SERVE_MEDIA": "false",
        # Readers post as soon as the page is read, and their comments go straight out; each
        # has its own address (X-Forwarded-For), as many readers behind one proxy do.
        "PADDOCK_FORM_MIN_SECONDS": "0",
        "PADDOCK_PREMODERATE_FIRST": "0",
        "TRUSTED_PROXY_COUNT": "1",
    }
    for name in ("PADDOCK_TESTING", "TASKS_BACKEND", "DATABASE_REPLICA_URL"):
        env.pop(name, None)
    print(f"Working in {work}; database {args.database}, Redis {args.redis}", flush=True)
    site = build_site(env, args.postgres, args.database, args.readers)
    site["duration"] = args.duration
    run_id = f"chaos-{secrets.token_hex(4)}"

    servers: list[Server] = []
    stop = threading.Event()
    chaos_thread = None
    restored: list[str] = []
    try:
        servers = [start_server(env, work / f"gunicorn-{n}.log") for n in "ab"]
        ports = [s.port for s in servers]
        # The run's clock starts once every reader has signed in (or had a minute to).
        rec, go = Recorder(), threading.Event()
        readers = [Reader(n, ports, site, run_id, rec, go) for n in range(args.readers)]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(
            r.signed_in or not r.is_alive() for r in readers
        ):
            time.sleep(0.2)
        rec.started = time.monotonic()
        go.set()
        rec.event(f"{sum(r.signed_in for r in readers)} readers signed in; the run starts")
        if not args.no_chaos:
            chaos_thread = threading.Thread(
                target=chaos, args=(args.duration, rec, stop), daemon=True
            )
            chaos_thread.start()
        for reader in readers:
            reader.join(timeout=args.duration + GRACE + 120)
        rec.event("readers done")
    finally:
        stop.set()
        if chaos_thread is not None:
            chaos_thread.join(timeout=60)
        if not args.no_chaos:
            restored = ensure_services()
            for line in restored:
                print(line, flush=True)
        for server in servers:
            server.stop()

    stored, statuses = stored_bodies(database_url, site["article_id"], run_id)
    import psycopg

    with psycopg.connect(database_url) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    redis_version = _run(["redis-server", "--version"]).split()[2].removeprefix("v=")
    chaos_text = (
        "nothing (--no-chaos)"
        if args.no_chaos
        else "PostgreSQL stopped (fast) and started again five times, "
        f"{PG_DOWN:g} s down each time, at "
        + ", ".join(f"{at:.0f} s" for at, what in chaos_plan(args.duration) if what == "postgres")
        + f"; Redis shut down for {REDIS_DOWN:g} s at "
        + ", ".join(f"{at:.0f} s" for at, what in chaos_plan(args.duration) if what == "redis")
    )
    command = ".venv/bin/python bench/chaos.py"
    if args.database != "paddock_chaos":
        command += f" --database {args.database}"
    if args.duration != 120:
        command += f" --duration {args.duration:g}"
    if args.no_chaos:
        command += " --no-chaos"
    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "postgres": pg_version,
        "redis": redis_version,
        "command": command,
        "readers": args.readers,
        "duration": args.duration,
        "chaos": chaos_text + (f" (afterwards: {'; '.join(restored)})" if restored else ""),
        "figures": figures(readers, rec, stored),
        "statuses": dict(statuses),
        "logs": dict(log_lines(servers)),
        "errors": [f"reader {r.number}: {r.error}" for r in readers if r.error],
        "timeline": timeline(rec, 5),
    }
    print("\nPer second:")
    print("\n".join(timeline(rec, 1)))
    print("\nUnacknowledged comments:")
    for reader in readers:
        for a in reader.attempts:
            if not a.acknowledged:
                print(f"  {a.body[:60]}… sends {a.sends}, last {a.last}, stored {stored[a.body]}")
    text = render(report)
    print()
    print(text)
    (work / "report.json").write_text(
        json.dumps({**report, "by_second": rec.by_second, "events": rec.events}, indent=2)
    )
    print(f"Logs and report.json in {work}", flush=True)
    if not args.no_docs:
        write_docs(text)
        print(f"Written to {DOCS.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
