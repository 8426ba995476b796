"""Fixtures for every newsroom test."""

from __future__ import annotations

import pytest
from wagtail.signal_handlers import disable_reference_index_auto_update


@pytest.fixture(autouse=True)
def quick(settings):
    """Speed only: no reference index (the admin's "usage" counts, which nothing here reads)."""
    with disable_reference_index_auto_update():
        yield
