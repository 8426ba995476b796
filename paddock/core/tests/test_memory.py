"""An app process keeps the heap a render freed for the next one (paddock/core/memory.py):
large strings made and freed render after render cost no new pages from the kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# A render in small: a page joined from a thousand and a half pieces of markup, then encoded,
# everything freed before the next; the page faults of fifty of them, on average.
RENDERS = """
import resource, sys
from paddock.core.memory import keep_freed_memory

if sys.argv[1] == "kept" and not keep_freed_memory():
    print("no mallopt")
    raise SystemExit
if sys.argv[1] == "served":
    import config.wsgi  # as gunicorn loads the app

def render():
    pieces = ["<li>é" + "x" * 1000 + str(i) + "</li>" for i in range(1500)]
    page = "".join(pieces)
    return len(page.encode())

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

for _ in range(5):
    render()
before = faults()
for _ in range(50):
    render()
print((faults() - before) / 50)
"""


def _faults_per_render(mode: str) -> float:
    """Page faults a render in a fresh process: as glibc comes, with the thresholds set, or with
    the app loaded as gunicorn loads it. Skips where the C library has no mallopt (not glibc)."""
    done = subprocess.run(
        [sys.executable, "-c", RENDERS, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    last = done.stdout.strip().splitlines()[-1]
    if last == "no mallopt":
        pytest.skip("this C library has no mallopt (not glibc)")
    return float(last)


def test_renders_reuse_the_heap_they_freed():
    kept = _faults_per_render("kept")
    # As glibc comes, each render maps and zeroes its megabytes again (the case this is for)...
    assert _faults_per_render("as-it-comes") > 100
    # ...and with the process's thresholds set, it reuses what the last one freed.
    assert kept < 5


def test_the_wsgi_entry_point_sets_them():
    _faults_per_render("kept")  # skips where there is nothing to set
    assert _faults_per_render("served") < 5


SETTLED = """
import gc
import config.wsgi  # as gunicorn loads the app
from paddock.core.memory import GC_THRESHOLD

made = [[] for _ in range(1000)]  # after start-up: the collector's to look after
print(gc.get_freeze_count(), gc.get_threshold()[0], GC_THRESHOLD)
"""


def test_the_wsgi_entry_point_freezes_what_start_up_made():
    done = subprocess.run(
        [sys.executable, "-c", SETTLED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    frozen, threshold, wanted = map(int, done.stdout.split())
    # Django, Wagtail and the app's modules: far more than a request makes.
    assert frozen > 100_000
    assert threshold == wanted > 700
