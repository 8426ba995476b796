"""Real-browser fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Every test under tests/browser/ is marked `browser`, so `pytest -m "not browser"` skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls from a thread with a running loop unless told this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_DIR.parents[1]
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only this folder's: mark just ours.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make chromium`).")
    playwright = sync_playwright().start()
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


@pytest.fixture
def demo_site(live_server):
    """The demo site loaded into the test database; returns the live server that serves it.

    Tests using it mark themselves django_db(transaction=True, serialized_rollback=True): the
    flush after a live-server test must not take Wagtail's migrated data with it.
    """
    call_command("load_demo")
    return live_server


@pytest.fixture(scope="session", autouse=True)
def serialized_rollback_under_playwright(django_db_setup, request) -> None:
    """Keep serialized rollback working once Playwright runs in this thread.

    Playwright's sync API runs an event loop in the test thread, and Django then hands that
    thread new database connections, which lack the migrated data serialized at set-up. A
    transactional test that flushed the database before a browser test would leave the browser
    test an empty site. Hand the serialized data over before `browser` starts.
    """
    from django.db import connections

    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    request.getfixturevalue("browser")
    for alias, contents in saved.items():
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents
