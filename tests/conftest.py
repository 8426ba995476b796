"""The real browser that tests under tests/ share: Playwright driving Debian's Chromium.

One Playwright for the whole session, whichever folder asks first (tests/browser/ for journeys,
tests/security/ for the content policy): a second one in the same thread would find the
first one's event loop running and refuse to start.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls from a thread with a running loop unless told this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[1]
# Debian's package; Playwright's own browser download cannot run here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# How long an expect() waits for its condition before failing. It returns as soon as the
# condition holds, so a passing test is no slower; Playwright's 5 seconds are short for a live
# server on a machine that runs both suites at once.
EXPECT_TIMEOUT = 15_000


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    """Chromium, started once. Once Playwright runs its event loop in this thread, Django hands
    the thread new database connections, which lack the migrated data serialized at set-up: a
    transactional test that flushed the database would then leave the next test an empty site.
    The serialized data is handed over to them as Playwright starts."""
    from django.db import connections

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make chromium`).")
    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    expect.set_options(timeout=EXPECT_TIMEOUT)
    playwright = sync_playwright().start()
    for alias, contents in saved.items():
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a context of its own, so no cookie or storage leaks between tests."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    """Where browser tests save screenshots: artifacts/screenshots/ under the repository root."""
    path = REPO_ROOT / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
