"""Which server errors are the database being busy or away (a 503 to try again) rather than a
bug (a 500): judged on real driver errors, also when another error was raised handling one."""

from __future__ import annotations

import psycopg
import pytest
from django.db import OperationalError

from paddock.core.views import database_busy


def _operational(driver_error: Exception) -> OperationalError:
    error = OperationalError(str(driver_error))
    error.__cause__ = driver_error
    return error


def _raised_while_handling(first: BaseException) -> BaseException:
    try:
        try:
            raise first
        except OperationalError:
            raise AttributeError("'SessionStore' object has no attribute '_session_cache'")  # noqa: B904
    except AttributeError as second:
        return second


@pytest.mark.parametrize(
    "driver_error",
    [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
    ],
    ids=["restart", "starting-up", "statement-timeout", "lock-timeout"],
)
def test_a_database_going_away_or_timing_out_is_busy_even_under_another_error(driver_error):
    error = _operational(driver_error)
    assert database_busy(error)
    assert database_busy(_raised_while_handling(error))


def test_bugs_and_other_database_errors_are_not_busy():
    assert not database_busy(AttributeError("a bug"))
    assert not database_busy(_operational(psycopg.errors.DiskFull("no space left")))
    assert not database_busy(None)
