"""Fixtures for leads tests: no minimum time-to-submit, cheap password hashing, a car."""

from __future__ import annotations

import pytest

from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory


@pytest.fixture(autouse=True)
def leads_settings(settings):
    settings.PADDOCK_LEADS_MIN_SUBMIT_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make(db):
    return MakeFactory(name="Kaito Motor")


@pytest.fixture
def vehicle(make):
    return VehicleModelFactory(make=make, name="Nami")
