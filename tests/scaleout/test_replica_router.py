"""The read-replica router: which reads go to "replica", and that nothing else does.

The "replica" here is the test database under a second alias and a connection of its own (a
test mirror, as Django's docs describe for replicas), so the queries each alias ran show where
the router sent them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from paddock.core.routers import REPLICA, replica_reads
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.tests.factories import make_article, make_section

from .conftest import REPO_ROOT, child_env

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "paddock.core.postgresql",
    reason="replicas are a PostgreSQL set-up (DATABASE_URL=postgres://…)",
)


@pytest.fixture
def replica(settings):
    """The router on, with the "replica" alias tests/scaleout/conftest.py adds; its connection."""
    settings.DATABASE_ROUTERS = ["paddock.core.routers.ReplicaRouter"]
    return connections[REPLICA]


class Where:
    """Counts the queries each alias runs inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections[REPLICA]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.primary), len(self.replica)


def _request(path: str, method: str = "GET"):
    request_started.send(sender=None, environ={"REQUEST_METHOD": method, "PATH_INFO": path})


def test_settings_add_the_replica_as_a_test_mirror_with_the_router(tmp_path):
    script = (
        "import json, config.settings as s; print(json.dumps([s.DATABASES['replica'], "
        "s.DATABASE_ROUTERS, s.DATABASE_REPLICA_PATHS]))"
    )
    env = child_env(
        tmp_path,
        DATABASE_URL="postgres://paddock@db-primary:5432/paddock",
        DATABASE_REPLICA_URL="postgres://paddock@db-replica:5432/paddock",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    replica, routers, paths = json.loads(result.stdout.strip().splitlines()[-1])
    assert replica["HOST"] == "db-replica"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert routers == ["paddock.core.routers.ReplicaRouter"]
    assert paths == ["/sitemap.xml", "/search/"]


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", REPLICA])
def test_reads_go_to_the_replica_only_when_asked_and_nothing_wrote(replica):
    make_article(make_section("Industry"), title="Halvorsen moves production")

    with Where() as where:
        assert ArticlePage.objects.live().count() == 1
    assert where.counts == (1, 0), "no opt-in: the primary"

    with Where() as where, replica_reads():
        assert ArticlePage.objects.live().count() == 1
        assert get_user_model().objects.count() == 0
    assert where.counts == (1, 1), "opted in: articles from the replica, accounts never"

    with Where() as where, replica_reads(), transaction.atomic():
        ArticlePage.objects.live().count()
    assert where.counts[1] == 0, "inside a transaction: the primary"

    with Where() as where, replica_reads():
        Tag.objects.create(name="Electric", slug="electric")
        ArticlePage.objects.live().count()
        Tag.objects.count()
    assert where.counts[1] == 0, "after a write: the primary, for the rest of the block"


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", REPLICA])
def test_requests_under_the_replica_paths_read_it_until_they_write(replica):
    try:
        _request("/search/")
        with Where() as where:
            ArticlePage.objects.live().count()
        assert where.counts == (0, 1)
        Tag.objects.create(name="Electric", slug="electric")
        with Where() as where:
            ArticlePage.objects.live().count()
        assert where.counts == (1, 0), "a request that wrote reads the primary"
        request_finished.send(sender=None)

        for method, path in [("POST", "/search/"), ("GET", "/"), ("GET", "/comments/1/")]:
            _request(path, method)
            with Where() as where:
                ArticlePage.objects.live().count()
            assert where.counts == (1, 0), f"{method} {path} reads the primary"
            request_finished.send(sender=None)
    finally:
        request_finished.send(sender=None)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", REPLICA])
def test_sitemap_and_search_pages_read_articles_from_the_replica(replica, client):
    make_article(make_section("Industry"), title="Halvorsen moves production", tags=["plants"])
    for path in ["/sitemap.xml", "/search/?q=Halvorsen"]:
        with Where() as where:
            response = client.get(path)
        assert response.status_code == 200
        assert b"halvorsen" in response.content.lower()
        assert len(where.replica) > 0, f"{path} read nothing from the replica"
        replica_tables = " ".join(q["sql"] for q in where.replica.captured_queries)
        assert "django_session" not in replica_tables
    with Where() as where:
        assert client.get("/").status_code == 200
    assert len(where.replica) == 0, "the home page is not on the replica paths"
