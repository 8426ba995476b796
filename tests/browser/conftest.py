"""Fixtures of the real-browser journeys: the demo site on pytest-django's live server. The
browser itself (Playwright driving Debian's Chromium) is tests/conftest.py's.

Every test under tests/browser/ is marked `browser`, so `pytest -m "not browser"` skips them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only this folder's: mark just ours.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def people_fill_forms_instantly(settings) -> None:
    """The journeys send the newsletter and quote forms as soon as they are filled in, as the
    root conftest has every other form sent. The minimum time a person takes is tested on its
    own: paddock/newsletter/tests/test_preferences.py, paddock/leads/tests/test_quote_form.py,
    tests/security/test_form_stamp.py, and in a browser tests/security/test_headers.py."""
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    settings.PADDOCK_LEADS_MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def demo_site(live_server, demo_snapshot, settings):
    """The demo site in the test database (loaded once a session, restored for each test:
    conftest.py's demo_snapshot); returns the live server that serves it.

    Tests using it mark themselves django_db(transaction=True, serialized_rollback=True): the
    flush after a live-server test must not take Wagtail's migrated data with it.
    """
    from paddock.moderation.models import ModerationPolicy

    demo_snapshot.restore()
    # The demo is loaded as shipped, its moderation policy holding a new reader's first
    # comment; in these journeys readers post as established readers, as in every test
    # (conftest.py's established_readers).
    ModerationPolicy.objects.update(premoderate_first=settings.PADDOCK_PREMODERATE_FIRST)
    return live_server
