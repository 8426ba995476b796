"""Fixtures for leads tests: no minimum time-to-submit, a car."""

from __future__ import annotations

import pytest

from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory


@pytest.fixture(autouse=True)
def leads_settings(settings):
    settings.PADDOCK_LEADS_MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def make(db):
    return MakeFactory(name="Kaito Motor")


@pytest.fixture
def vehicle(make):
    return VehicleModelFactory(make=make, name="Nami")
