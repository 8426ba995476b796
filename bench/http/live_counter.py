"""config/wsgi.py's application with two counters, for bench/live_poll.py.

`app`: requests that reached this app process (gunicorn handed them to the application, in
front of the page cache's own layer); `django`: those that went on to Django's handler (the
page cache had no fresh answer, so Django rendered one). Each worker writes its counts to
LIVE_COUNTS_DIR/<pid>.json every 0.1 s while they change.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import config.wsgi

COUNTS_DIR = Path(os.environ["LIVE_COUNTS_DIR"])
counts = {"app": 0, "django": 0}


def counting(application, name: str):
    def counted(environ, start_response):
        counts[name] += 1  # a sync worker serves one request at a time
        return application(environ, start_response)

    return counted


def _write_counts() -> None:
    written = None
    path = COUNTS_DIR / f"{os.getpid()}.json"
    while True:
        time.sleep(0.1)
        current = dict(counts)
        if current != written:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(current))
            tmp.replace(path)
            written = current


page_cache_app = config.wsgi.application
page_cache_app.application = counting(page_cache_app.application, "django")
application = counting(page_cache_app, "app")
_started = False


def post_fork() -> None:
    global _started
    if not _started:
        _started = True
        threading.Thread(target=_write_counts, daemon=True).start()


# gunicorn imports the application in each worker (no --preload): start the writer here.
post_fork()
