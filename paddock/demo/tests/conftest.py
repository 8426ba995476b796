"""Fixtures for the demo tests: the demo site, built once a session."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db, demo_snapshot) -> None:
    """The demo site as `load_demo` builds it, restored from the session's copy (the root
    conftest's demo_snapshot); whatever the test changes is rolled back with it. Tests of the
    loading itself call `load_demo` on their own."""
    demo_snapshot.restore()
