"""Fixtures every test may use: a clean cache per test, a real SMTP server to send mail to,
cheap password hashing, and the demo site loaded once a session (docs/testing.md)."""

from __future__ import annotations

import email
import email.policy
import io
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING, TypeVar

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core.management import call_command
from django.test import override_settings

if TYPE_CHECKING:
    from tests.tablecopy import TableCopy

# Argon2 with Django's parameters takes a good part of a second per hash on a busy machine, and
# almost every test signs someone up or in; MD5 takes microseconds. Tests about the passwords
# themselves mark themselves `real_password_hashers` and get the site's own list back.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

T = TypeVar("T")
DEMO_COPY = pytest.StashKey["TableCopy"]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_password_hashers: hash passwords with the site's own hashers (Argon2 first), "
        "not the tests' MD5",
    )
    _flush_by_delete()


def _flush_by_delete() -> None:
    """On PostgreSQL, the flush after each transactional test deletes the rows instead of
    truncating the tables. TRUNCATE gives every table and index new files, which took 0.7 s
    for the ~100 tables on this machine; DELETE of the few rows a test leaves takes 15 ms.
    Foreign keys are deferred (Django makes them DEFERRABLE), so the order does not matter.
    A flush that resets sequences or cascades (none of ours) is left to Django."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"DELETE FROM {self.quote_name(table)}"  # noqa: S608 - Django's own table names
            for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


@dataclass
class SMTPServer:
    """A running SMTP server; `messages` holds every mail it received, oldest first."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def deliver(self, message: EmailMessage) -> None:
        """Keep a message the server accepted, and wake whoever waits for mail."""
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()

    def wait_for(self, found: Callable[[list[EmailMessage]], T], timeout: float) -> T:
        """Wait until `found(messages)` is true, at most `timeout` seconds; return its last
        value. Wakes as each message arrives, so a wait is as long as the mail takes."""
        with self._arrived:
            return self._arrived.wait_for(lambda: found(self.messages), timeout)


class _CollectingHandler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.server.deliver(message)
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    # aiosmtpd's Controller connects to its own port to know it is up, so it needs a real
    # port number rather than 0; ask the kernel for one that is free right now.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    host = "127.0.0.1"
    server = SMTPServer(host=host, port=_free_port(host))
    controller = Controller(
        _CollectingHandler(server), hostname=host, port=server.port, server_hostname="localhost"
    )
    # aiosmtpd logs every SMTP command at INFO; only its problems are worth showing.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashers() -> Iterator[list[str]]:
    """The whole session hashes passwords with MD5, session-wide fixtures (the demo site) and
    the live server included; yields the site's own PASSWORD_HASHERS."""
    from django.conf import settings

    real = list(settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield real


@pytest.fixture(autouse=True)
def real_password_hashers(request, fast_password_hashers) -> None:
    """Tests marked `real_password_hashers` hash with the site's own hashers (Argon2 first)."""
    if request.node.get_closest_marker("real_password_hashers"):
        request.getfixturevalue("settings").PASSWORD_HASHERS = fast_password_hashers


def _uses_the_demo(session: pytest.Session) -> bool:
    return any("demo_snapshot" in getattr(item, "fixturenames", ()) for item in session.items)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, fast_password_hashers, request) -> None:
    """pytest-django's test database, migrated; then, when a collected test uses the demo site,
    the demo loaded into it once, as `load_demo` builds it with the shipped settings, copied
    (tests/tablecopy.py), and the database put back as migrated."""
    if not _uses_the_demo(request.session):
        return
    from tests.tablecopy import TableCopy

    # As shipped, a newcomer's first comment waits for a moderator: the demo's queue has some.
    with django_db_blocker.unblock(), override_settings(PADDOCK_PREMODERATE_FIRST=1):
        migrated = TableCopy.take()
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        request.config.stash[DEMO_COPY] = TableCopy.take()
        migrated.restore()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, request) -> TableCopy:
    """The demo site, loaded once a session (see django_db_setup): `demo_snapshot.restore()`
    puts exactly that site in the database, in place of whatever is there."""
    return request.config.stash[DEMO_COPY]


@pytest.fixture(autouse=True)
def established_readers(settings) -> None:
    """Readers in tests post as established readers: the default policy holds a new reader's
    first comment for a moderator, which only the moderation tests are about (they turn it
    back on)."""
    settings.PADDOCK_PREMODERATE_FIRST = 0


@pytest.fixture(autouse=True)
def no_shipped_spam_model(settings) -> None:
    """Readers in tests post without the shipped spam model judging them: it learned from
    comments on music videos and holds some of a new account's car talk and most links, while
    the tests that post are about other things. The spam tests turn it back on (`spam_model`)."""
    settings.PADDOCK_SPAM_MODEL = ""


@pytest.fixture
def spam_model(settings) -> None:
    """The spam model shipped with Paddock judges, as on a real site."""
    from paddock.moderation.spam_model import BASE_MODEL_PATH

    settings.PADDOCK_SPAM_MODEL = str(BASE_MODEL_PATH)


@pytest.fixture(autouse=True)
def instant_forms(settings) -> None:
    """Tests send forms the moment they have them; the minimum time a person takes to fill
    one in is tested on its own (paddock/core/tests/test_forms.py)."""
    settings.PADDOCK_FORM_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def clear_cache(request, settings) -> None:
    """Start every test with empty caches, so no test sees what another one cached. The
    full-page cache and the kept parts of pages stay on, as in production: a test that changes
    what a page shows does it through the service that says what changed (and, outside a
    committing test, runs the after-commit work: `django_capture_on_commit_callbacks`).
    `@pytest.mark.no_page_cache` turns both off for a test about something else that has no
    writer to go through; it says why beside the mark."""
    from django.core.cache import caches

    from paddock.core import chrome, fragments, shells
    from paddock.core.pagecache import clear_local

    for alias in settings.CACHES:
        if alias == "limits" and not settings.REDIS_URL:
            # Rate limits count in the database there, whose rows go with each test's
            # transaction; only the memory they fall back on is the process's own.
            caches[alias].local.clear()
            continue
        caches[alias].clear()
    clear_local()
    chrome.clear()
    fragments.clear_here()
    shells.clear()
    if request.node.get_closest_marker("no_page_cache"):
        settings.PADDOCK_PAGE_CACHE = False
        settings.PADDOCK_FRAGMENT_CACHE = False


@pytest.fixture
def drain_background_tasks():
    """Run every task queued on the `background` backend, as `make worker` would, then stop.

    The worker closes its database connections when it stops, which ends a per-test
    transaction: tests using this mark themselves django_db(transaction=True,
    serialized_rollback=True).
    """

    def drain() -> None:
        call_command(
            "db_worker",
            "--backend=background",
            "--queue-name=*",
            "--batch",
            "--no-startup-delay",
            verbosity=0,
        )

    return drain
