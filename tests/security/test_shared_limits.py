"""Rate limits hold across app processes and restarts on the embedded default (no Redis).

A gunicorn with three workers serves the test database (the SQLite file, as `make run` has it,
in the SQLite run; PostgreSQL in the other), whose table the limits count in. Rapid
requests, sent several at a time so that every worker answers some, may get through no more
often than the documented limit; then the server is restarted and the count still stands.
Without a store the processes share, each worker counted on its own (17 of 36 sign-ins got
through a limit of 10) and a restart forgot them all. The store's fallback, when it cannot be
reached, is shown in this process.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import OperationalError
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from tests.scaleout.conftest import child_env, free_port, suite_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for gunicorn to answer /healthz
REQUEST_TIMEOUT = 20
ATTEMPTS = 36
# config/settings.py, ACCOUNT_RATE_LIMITS["login_failed"]: 10 a minute per client address.
FAILED_SIGN_INS_PER_MINUTE = 10
# paddock/newsletter/views.py, resend: 10 an hour per client address (Paddock's own limiter).
RESENDS_PER_HOUR = 10
TOO_MANY = "Too many failed login attempts"


class Gunicorn:
    """`gunicorn config.wsgi` with three workers on a free port, restartable."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port = env, log, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "3", "--timeout", "60"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=REPO_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn gave no healthy answer within {START_TIMEOUT} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@pytest.fixture
def server(transactional_db, tmp_path) -> Iterator[Gunicorn]:
    env = child_env(
        tmp_path / "data", DATABASE_URL=suite_database_url(), PADDOCK_FORM_MIN_SECONDS="0"
    )
    gunicorn = Gunicorn(env, tmp_path / "gunicorn.log")
    gunicorn.start()
    try:
        yield gunicorn
    finally:
        gunicorn.stop()


def _csrf(server: Gunicorn) -> tuple[str, dict[str, str]]:
    page = requests.get(f"{server.url}/accounts/login/", timeout=REQUEST_TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:2000]
    return token.group(1), {"csrftoken": page.cookies["csrftoken"]}


def _post_all(server: Gunicorn, path: str, forms: list[dict]) -> list[requests.Response]:
    """POST every form, six at a time, so that all three workers answer some."""
    token, cookies = _csrf(server)

    def post(form: dict) -> requests.Response:
        return requests.post(
            f"{server.url}{path}",
            data={"csrfmiddlewaretoken": token, **form},
            cookies=cookies,
            headers={"Referer": f"{server.url}{path}"},
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(post, forms))


def _sign_in_refused(response: requests.Response) -> bool:
    assert response.status_code in (200, 429), response.text[:2000]
    return response.status_code == 429 or TOO_MANY in response.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rapid_requests_get_through_three_workers_no_more_often_than_the_limit(server):
    started = time.monotonic()
    sign_ins = _post_all(
        server,
        "/accounts/login/",
        [{"login": f"guess{n}@example.com", "password": "wrong"} for n in range(ATTEMPTS)],
    )
    let_through = [r for r in sign_ins if not _sign_in_refused(r)]
    assert 1 <= len(let_through) <= FAILED_SIGN_INS_PER_MINUTE

    resends = _post_all(server, "/newsletter/resend/", [{}] * ATTEMPTS)
    assert {r.status_code for r in resends} <= {302, 429}
    assert sum(r.status_code == 302 for r in resends) == RESENDS_PER_HOUR

    # A restart forgets nothing: both limits still refuse, well within their windows.
    server.stop()
    server.start()
    again = _post_all(server, "/accounts/login/", [{"login": "late@example.com", "password": "x"}])
    assert _sign_in_refused(again[0])
    resend = _post_all(server, "/newsletter/resend/", [{}])[0]
    assert resend.status_code == 429
    assert int(resend.headers["Retry-After"]) > 0
    assert time.monotonic() - started < 55  # all of it inside the sign-in limit's minute


@pytest.mark.django_db
def test_an_unreachable_store_leaves_a_local_limit_not_none_and_not_an_error(
    client, monkeypatch, caplog
):
    from paddock.core.limitstore import DatabaseStore

    def unreachable(self, sql, params):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(DatabaseStore, "_execute", unreachable)
    reader = ReaderFactory()
    answers = [
        client.post(reverse("account_login"), {"login": reader.email, "password": "wrong"})
        for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [200] * 6
    assert [TOO_MANY in a.content.decode() for a in answers] == [False] * 5 + [True]

    resends = [client.post(reverse("newsletter:resend")) for _ in range(RESENDS_PER_HOUR + 1)]
    assert [r.status_code for r in resends] == [302] * RESENDS_PER_HOUR + [429]
    assert "Rate-limit store unreachable" in caplog.text
