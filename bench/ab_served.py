"""Two commits served side by side: the same pages from the same database, each commit's
gunicorn alone in turn, so that both meet the machine in the same state. (The other work on a
shared machine moves a run of http_load.py, line by line, by more than most changes do; two
servers taking turns within a minute do not drift apart.)

    .venv/bin/python bench/ab_served.py ff72759 HEAD \\
        --database-url postgres://postgres@127.0.0.1:5432/paddock_big --redis redis://127.0.0.1:6379/6

Each commit is checked out in a temporary git worktree that shares this checkout's virtualenv,
and its static files are collected there. Then, round after round, for each page and each
commit: its gunicorn starts (gunicorn.conf.py, --workers processes; nothing kept by default,
PADDOCK_PAGE_CACHE=0 and PADDOCK_FRAGMENT_CACHE=0, or --parts-kept), wrk warms it for three
seconds, then runs --duration seconds with --connections; the line gives req/s and the
machine's busy CPU time per answer (/proc/stat), with the part of it spent by that gunicorn's
processes and by PostgreSQL's (/proc/<pid>/stat). The database must hold a site already (the
demo, or bench/http/sitegen.py's large one); the pages default to the reference article, the
home page and the long discussion. Everything runs on 127.0.0.1 and is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from http_load import (  # noqa: E402 - a script beside this one
    BIG_SLUG,
    BIN,
    REFERENCE_SLUG,
    ROOT,
    _article_path,
    _children,
    _free_port,
    _wait_http,
    gunicorn_workers,
    wrk,
)

REPORT = HERE / "http" / "report.lua"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="a commit (or anything git names one by)")
    parser.add_argument("after", nargs="?", default="HEAD")
    parser.add_argument("--database-url", required=True, help="PostgreSQL holding a site")
    parser.add_argument("--redis", default="", help="a Redis URL for the cache (REDIS_URL)")
    parser.add_argument("--path", action="append", default=[], help="a page (repeatable)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=0, help="default: as gunicorn.conf.py chooses them"
    )
    parser.add_argument("--parts-kept", action="store_true", help="fragment cache on")
    return parser.parse_args()


def _ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _postgres_ticks() -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _ticks(int(entry.name))
            except OSError:
                continue
    return total


def _worktree(rev: str, work: Path) -> tuple[str, Path]:
    """The commit `rev` names, checked out under `work`, with its static files collected."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    tree = work / commit
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(tree), commit], cwd=ROOT, check=True
        )
        (tree / ".venv").symlink_to(ROOT / ".venv")
    return commit, tree


def _environment(args: argparse.Namespace, tree: Path, static: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PADDOCK_DATA_DIR": str(static.parent / "data"),
        "STATIC_ROOT": str(static),
        "LOG_LEVEL": "WARNING",
        "SERVE_MEDIA": "false",
        "PADDOCK_PAGE_CACHE": "0",
        "PADDOCK_FRAGMENT_CACHE": "1" if args.parts_kept else "0",
        "CACHE_KEY_PREFIX": f"ab-{tree.name}",
        # This commit's code, before the checkout the virtualenv installs it from.
        "PYTHONPATH": str(tree),
    }
    env.pop("PADDOCK_TESTING", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    return env


def _serve(tree: Path, env: dict, workers: int, log: Path):
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers)],
        cwd=tree,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    _wait_http(f"http://127.0.0.1:{port}/healthz")
    return process, f"http://127.0.0.1:{port}"


def _measure(args, tree: Path, env: dict, url: str, log: Path) -> dict:
    process, base = _serve(tree, env, args.workers, log)
    try:
        wrk(base + url, args.connections, 3, script=REPORT)  # warm: statements prepared
        pids = [process.pid, *_children(process.pid)]
        app, database = sum(_ticks(p) for p in pids), _postgres_ticks()
        run = wrk(base + url, args.connections, args.duration, script=REPORT)
        app = sum(_ticks(p) for p in pids) - app
        database = _postgres_ticks() - database
    finally:
        process.terminate()
        process.wait(timeout=30)
    per = 1000 / os.sysconf("SC_CLK_TCK") / max(run.requests, 1)
    return {
        "rps": run.rps,
        "cpu": run.cpu_ms,
        "app": app * per,
        "db": database * per,
        "errors": run.errors,
    }


def main() -> None:
    args = _arguments()
    args.workers = args.workers or gunicorn_workers(args.database_url)
    shutil.which("wrk") or sys.exit("wrk is not installed (make bench installs it)")
    paths = args.path or [
        _article_path(args.database_url, REFERENCE_SLUG),
        "/",
        _article_path(args.database_url, BIG_SLUG),
    ]
    work = Path(tempfile.mkdtemp(prefix="paddock-ab-"))
    trees = []
    try:
        for rev in (args.before, args.after):
            commit, tree = _worktree(rev, work)
            static = work / f"static-{commit}"
            env = _environment(args, tree, static)
            subprocess.run(
                [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=tree,
                env=env,
                check=True,
            )
            trees.append((commit, tree, env))
        mode = "parts kept" if args.parts_kept else "nothing kept"
        print(
            f"{mode}; gunicorn {args.workers} workers, wrk {args.connections} connections "
            f"{args.duration:g} s, each commit alone in turn; CPU ms: the machine's busy time "
            "per answer, and of it gunicorn's processes and PostgreSQL's"
        )
        print(f"{'page':48} {'commit':>9} {'req/s':>8} {'CPU ms':>7} {'app':>6} {'db':>6} errors")
        for round_ in range(1, args.rounds + 1):
            for url in paths:
                for commit, tree, env in trees:
                    found = _measure(args, tree, env, url, work / f"{commit}.log")
                    print(
                        f"{url[:48]:48} {commit:>9} {found['rps']:8.1f} {found['cpu'] or 0:7.2f}"
                        f" {found['app']:6.2f} {found['db']:6.2f} {found['errors']:6}"
                        f"  (round {round_})",
                        flush=True,
                    )
    finally:
        for _, tree, _ in trees:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
            )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
