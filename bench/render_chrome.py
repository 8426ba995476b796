"""The site chrome and the home page, rendered cold, in one process.

"Cold" is what a page costs when nothing is kept: the first renders after a publish, when the
site's version changes and every page is stale at once, or a site run with
PADDOCK_PAGE_CACHE=0 PADDOCK_FRAGMENT_CACHE=0. Requests go through Django's WSGI handler and
every middleware, as gunicorn calls it (no network, no test client); each figure is the median
of `--runs` requests after a warm-up (wall time, and this process's CPU time, which a machine
busy with other work inflates less), with its ratio to the health check (`/healthz`) through
the same handler (asked in turn with the pages, run after run, so that a busy machine weighs on
both alike), and the SQL statements the request ran.

Lines:

- health: the reference (a query, a cache probe, every middleware);
- chrome: a page that is base.html and nothing else (header, menus, sidebar, masthead, dealer
  quote widget, newsletter box, footer menu, messages), served through a URL added for the run;
- home, article: the front page and the demo's reference article;
- each line "nothing kept" (both caches off), and "after a publish" (fragments on, page cache
  off, the `site` tag bumped before each request: the first render of each page after a
  publish, in a process that has rendered it before).

The site is the demo (`load_demo`), in SQLite in a temporary folder unless DATABASE_URL names
another database (loaded there when it holds no article). Set REDIS_URL to measure with Redis
as the shared cache, as production runs.

Run: .venv/bin/python bench/render_chrome.py [--runs 200]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PADDOCK_DATA_DIR", tempfile.mkdtemp(prefix="paddock-chrome-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("PADDOCK_TESTING", "1")  # plain static storage: no collectstatic needed

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

from paddock.core import pagecache  # noqa: E402

REFERENCE_ARTICLE = "/industry/halvorsen-motors-build-where-it-sells/"


def _chrome_view(request):
    return render(request, "base.html", {"title": "Chrome"})


def _install_urls() -> str:
    """The site's URLs plus /__chrome__, a page that is the chrome alone."""
    from config import urls as site_urls

    module = types.ModuleType("bench_chrome_urls")
    module.urlpatterns = [path("__chrome__", _chrome_view), *site_urls.urlpatterns]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        if hasattr(site_urls, name):
            setattr(module, name, getattr(site_urls, name))
    sys.modules[module.__name__] = module
    return module.__name__


def _ensure_site() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    from paddock.newsroom.models import ArticlePage

    if not ArticlePage.objects.exists():
        print("Loading the demo site…", file=sys.stderr)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    if connection.vendor == "postgresql":  # plans as on a site whose statistics are current
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Runner:
    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def request(self, url: str) -> tuple[int, bytes]:
        environ = self.factory._base_environ(PATH_INFO=url, REQUEST_METHOD="GET")
        status = []

        def start_response(line, headers, exc_info=None):
            status.append(int(line.split()[0]))

        body = b"".join(self.handler(environ, start_response))
        return status[0], body

    def measure(self, pages: dict[str, str], runs: int, before=None) -> dict[str, tuple]:
        """{name: (median ms, median CPU ms of this process, SQL statements, body)}. The pages
        are asked in turn, run after run, so that a machine busy with other work weighs on
        each alike."""
        for name, url in pages.items():
            for _ in range(3):
                if before and name != "health":
                    before()
                code, body = self.request(url)
                assert code == 200, (url, code)
        times: dict[str, list[float]] = {name: [] for name in pages}
        cpu: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(runs):
            for name, url in pages.items():
                if before and name != "health":
                    before()
                start, start_cpu = time.perf_counter(), time.process_time()
                self.request(url)
                times[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.process_time() - start_cpu) * 1000)
        found = {}
        for name, url in pages.items():
            if before and name != "health":
                before()
            with CaptureQueriesContext(connection) as queries:
                code, body = self.request(url)
            found[name] = (
                statistics.median(times[name]),
                statistics.median(cpu[name]),
                len(queries),
                body,
            )
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--save-html", help="folder to write each page's HTML to (to compare)")
    args = parser.parse_args()
    _ensure_site()
    urlconf = _install_urls()
    runner = Runner()
    pages = {
        "health": "/healthz",
        "chrome": "/__chrome__",
        "home": "/",
        "article": REFERENCE_ARTICLE,
    }
    modes = {
        "nothing kept": ({"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": False}, None),
        "after a publish": (
            {"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": True},
            lambda: pagecache.bump("site"),
        ),
        "kept parts": ({"PADDOCK_PAGE_CACHE": False, "PADDOCK_FRAGMENT_CACHE": True}, None),
    }
    db = connection.vendor
    redis = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    print(f"Database {db}, cache {redis}, {args.runs} requests a line (median).")
    print(
        "| Page | Mode | ms | × health | CPU ms | CPU × health | SQL |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    )
    with override_settings(ROOT_URLCONF=urlconf, DEBUG=False):
        clear_url_caches()
        for mode, (overrides, before) in modes.items():
            with override_settings(**overrides):
                found = runner.measure(pages, args.runs, before)
                health, health_cpu = found["health"][:2]
                for name, (ms, cpu_ms, queries, body) in found.items():
                    print(
                        f"| {name} | {mode} | {ms:.2f} | {ms / health:.1f} "
                        f"| {cpu_ms:.2f} | {cpu_ms / health_cpu:.1f} | {queries} |"
                    )
                    if args.save_html and name != "health":
                        folder = Path(args.save_html)
                        folder.mkdir(parents=True, exist_ok=True)
                        slug = mode.replace(" ", "-")
                        (folder / f"{name}-{slug}.html").write_bytes(body)


if __name__ == "__main__":
    main()
