"""PostgreSQL plans a query shape once a connection: the same SQL run DB_PREPARE_THRESHOLD
times is prepared on the server (config/settings.py, `_prepare_database`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection

import config.settings


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_query_run_again_is_prepared_on_its_connection():
    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall()]

    def shape(statement: str) -> bool:  # a query no other code runs
        return '"auth_group"' in statement and '"name" >= $1' in statement

    for name in ("a", "b", "c", "d", "e", "f"):  # one shape, other values
        list(Group.objects.filter(name__gte=name).order_by("-name")[:3])
        if name == "a":
            assert not [s for s in prepared() if shape(s)]
    assert [s for s in prepared() if shape(s)]


def test_the_threshold_turns_server_binding_on_and_zero_turns_it_off(monkeypatch):
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)
    database: dict = {}
    config.settings._prepare_database(database)
    assert database["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "0")
    database = {"OPTIONS": {"options": "-c statement_timeout=1"}}
    config.settings._prepare_database(database)
    assert database["OPTIONS"] == {"options": "-c statement_timeout=1"}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_site_chromes_constants_are_written_into_its_sql(monkeypatch):
    """A parameter gets a plan made for any value, which cannot use an index made for some
    values only (Recent Comments' partial index, for published comments): PostgreSQL then
    plans such a statement again at every execution. The chrome's parameters are constants,
    so its statements carry them as literals, and read the same rows."""
    from paddock.accounts.tests.factories import ReaderFactory
    from paddock.comments.services import comment_create
    from paddock.core import chrome, shapes
    from paddock.newsroom.tests.factories import make_article, make_section

    article = make_article(make_section("Industry"), title="Plants follow buyers")
    for number in range(3):
        comment_create(
            user=ReaderFactory(), article_id=article.pk, body=f"Comment {number}", screen=False
        )
    # Written afresh for this database (SQL written once a process may hold its group ids).
    monkeypatch.setattr(chrome, "_sql", {})
    for name, part in chrome._PARTS.items():
        query = part.query()
        sql, params = query if isinstance(query, tuple) else query.query.sql_with_params()
        written, none = chrome._compiled("default", part)
        assert none == (), name
        [expected, found] = shapes.execute_together(connection, [(sql, params), (written, ())])
        assert found == expected, name
    # Quoted by the driver: a quote and a percent sign in a constant stay what they were.
    odd = "it's 100% 'odd'"
    written, _ = chrome._with_constants(connection, "SELECT %s, '5%%'", (odd,))
    with connection.cursor() as cursor:
        cursor.execute(written, ())
        assert cursor.fetchone() == (odd, "5%")
