"""Queries written once per process (paddock/core/shapes.py): each call reads afresh with its
own values, gives what the queryset itself gives, and a shape that cannot be reused with
other values is refused when it is written."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext

from paddock.core import fragments, shapes
from paddock.core.shapes import QueryShape, read_ahead, together
from paddock.core.tests.pipelines import noting_pipelines

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def people(db):
    return [
        User.objects.create_user(username=name, email=f"{name}@example.com", first_name=first)
        for name, first in (("ann", "Ann"), ("anton", "Anton"), ("bob", "Bob"), ("a_x", "Ax"))
    ]


def test_each_call_reads_afresh_with_its_own_values(people):
    by_name = QueryShape(User, lambda name: User.objects.filter(username=name), name=str)
    assert [u.pk for u in by_name.all(name="ann")] == [people[0].pk]
    assert [u.pk for u in by_name.all(name="bob")] == [people[2].pk]
    User.objects.filter(username="bob").update(first_name="Robert")
    bob = by_name.first(name="bob")
    assert bob.first_name == "Robert" and bob._state.adding is False
    assert by_name.first(name="nobody") is None


def test_it_gives_what_the_queryset_gives(people):
    def build(prefix, above):
        return (
            User.objects.filter(username__startswith=prefix, pk__gt=above)
            .annotate(label=Concat(F("first_name"), Value("!")))
            .order_by("username")
        )

    shape = QueryShape(User, build, prefix=str, above=int)
    for prefix, above in (("an", 0), ("a", people[0].pk), ("a_", 0), ("a%", 0), ("", 0)):
        expected = list(build(prefix, above))
        found = shape.all(prefix=prefix, above=above)
        assert [(u.pk, u.label, u.date_joined) for u in found] == [
            (u.pk, u.label, u.date_joined) for u in expected
        ], prefix
    # LIKE's own characters in a value are matched as themselves, as the ORM escapes them.
    assert [u.username for u in shape.all(prefix="a_", above=0)] == ["a_x"]
    assert shape.all(prefix="a%", above=0) == []


def test_values_lists_and_related_rows(people):
    flat = QueryShape(
        User,
        lambda pk: (
            User.objects.filter(pk__gte=pk).order_by("pk").values_list("username", flat=True)
        ),
        pk=int,
    )
    assert flat.all(pk=people[2].pk) == ["bob", "a_x"]
    pairs = QueryShape(
        User,
        lambda pk: (
            User.objects.filter(pk=pk)
            .annotate(shout=Concat(F("username"), Value("!")))
            .values_list("shout", "pk")
        ),
        pk=int,
    )
    assert pairs.all(pk=people[0].pk) == [("ann!", people[0].pk)]
    profiles = QueryShape(
        User,
        lambda pk: User.objects.filter(pk=pk).select_related("profile"),
        pk=int,
    )
    found = profiles.first(pk=people[1].pk)
    with CaptureQueriesContext(connection) as queries:
        assert found.profile.user_id == people[1].pk
    assert queries.captured_queries == []  # read with the user


def test_the_query_is_written_once_per_variant(people):
    built = []

    def build(pk, variant):
        built.append(variant)
        return User.objects.filter(pk__gte=pk).order_by("pk")[:variant]

    shape = QueryShape(User, build, pk=int)
    assert len(shape.all(pk=people[0].pk, variant=1)) == 1
    assert len(shape.all(pk=people[1].pk, variant=1)) == 1
    assert len(shape.all(pk=people[0].pk, variant=3)) == 3
    assert built == [1, 3]


def test_a_shape_that_cannot_take_other_values_is_refused(people):
    inside = QueryShape(
        User,
        lambda name: User.objects.filter(username__contains=name),  # "%name%", not a prefix
        name=str,
    )
    with pytest.raises(ValueError, match="part of a parameter"):
        inside.all(name="an")
    unused = QueryShape(User, lambda name: User.objects.all(), name=str)
    with pytest.raises(ValueError, match="Not a parameter"):
        unused.all(name="an")
    with pytest.raises(TypeError):
        QueryShape(User, lambda pk: User.objects.all(), pk=float)
    shape = QueryShape(User, lambda pk: User.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="Values needed"):
        shape.all(id=1)


def test_with_parts_off_a_memo_computes_once_per_request_only(settings, db):
    settings.PADDOCK_FRAGMENT_CACHE = False
    calls = []

    def compute():
        calls.append(1)
        return "value"

    # Outside a request, every call computes.
    assert fragments.memo("probe", ["site"], compute) == "value"
    assert fragments.memo("probe", ["site"], compute) == "value"
    assert len(calls) == 2
    # Inside one, the first call does; the next request computes again. (The receivers are
    # called, not the signals sent: Django's own receivers would end the test's transaction.)
    for _ in range(2):
        fragments._request_started(sender=None)
        try:
            fragments.memo("probe", ["site"], compute)
            fragments.memo("probe", ["site"], compute)
        finally:
            fragments._request_finished(sender=None)
    assert len(calls) == 4


def test_a_list_of_ids_is_written_once_for_each_length(people):
    built = []

    def build(ids):
        built.append(len(ids))
        return User.objects.filter(pk__in=ids).order_by("username")

    shape = QueryShape(User, build, ids=list)
    ann, anton, bob, ax = (p.pk for p in people)
    assert [u.username for u in shape.all(ids=[bob, ann])] == ["ann", "bob"]
    assert [u.username for u in shape.all(ids=[anton, ax])] == ["a_x", "anton"]
    assert [u.username for u in shape.all(ids=[ax, ann, anton])] == ["a_x", "ann", "anton"]
    assert [u.username for u in shape.all(ids=[bob, bob])] == ["bob"]  # as IN reads repeats
    with CaptureQueriesContext(connection) as queries:
        assert shape.all(ids=[]) == []
    assert queries.captured_queries == []
    assert built == [2, 3]


def test_a_list_beside_other_values(people):
    shape = QueryShape(
        User,
        lambda ids, prefix: User.objects.filter(pk__in=ids, username__startswith=prefix),
        ids=list,
        prefix=str,
    )
    everyone = [p.pk for p in people]
    assert sorted(u.username for u in shape.all(ids=everyone, prefix="an")) == ["ann", "anton"]
    assert [u.username for u in shape.all(ids=everyone[2:], prefix="a")] == ["a_x"]


def test_a_list_not_in_the_query_whole_is_refused(people):
    first_only = QueryShape(User, lambda ids: User.objects.filter(pk=ids[0]), ids=list)
    with pytest.raises(ValueError, match="not in the query whole"):
        first_only.all(ids=[people[0].pk, people[1].pk])


def test_queries_sent_together_give_what_each_gives_alone(people):
    by_name = QueryShape(User, lambda name: User.objects.filter(username=name), name=str)
    names = QueryShape(
        User,
        lambda ids: User.objects.filter(pk__in=ids).order_by("pk").values_list("username"),
        ids=list,
    )
    ids = [people[2].pk, people[0].pk]
    alone = [by_name.all(name="anton"), names.all(ids=ids), names.all(ids=[])]
    with noting_pipelines() as sent:
        together_ = together(by_name.bind(name="anton"), names.bind(ids=ids), names.bind(ids=[]))
    assert [[u.pk for u in together_[0]], *together_[1:]] == [
        [u.pk for u in alone[0]],
        [("ann",), ("bob",)],
        [],
    ]
    assert len(sent) == 2  # the empty list asks nothing
    # On PostgreSQL both went in one round trip (pipeline mode).
    assert all(sent) if connection.vendor == "postgresql" else not any(sent)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pipeline mode")
def test_statements_sent_together_are_logged_when_queries_are_counted(people):
    """Unobserved, they go through the driver's cursors; counted (tests, DEBUG), through
    Django's, which log each one. The rows are the same, and an error is Django's."""
    from django.db import DatabaseError, transaction
    from django.db.transaction import TransactionManagementError

    from paddock.core.shapes import execute_together

    statements = [
        ("SELECT username FROM auth_user WHERE id = %s", [people[0].pk]),
        ("SELECT COUNT(*) FROM auth_user", []),
    ]
    assert not connection.queries_logged and not connection.execute_wrappers  # the quiet way
    quiet = execute_together(connection, statements)
    with CaptureQueriesContext(connection) as counted:
        logged = execute_together(connection, statements)
    assert quiet == logged == [[("ann",)], [(4,)]]
    assert [query["sql"] for query in counted.captured_queries] == [
        f"SELECT username FROM auth_user WHERE id = {people[0].pk}",  # noqa: S608 - a test's id
        "SELECT COUNT(*) FROM auth_user",
    ]
    with pytest.raises(DatabaseError), transaction.atomic():
        execute_together(connection, [("SELECT 1", []), ("SELECT * FROM no_such_table", [])])
    # Inside a transaction that failed, Django's own refusal, as with its cursors.
    with transaction.atomic():
        connection.needs_rollback = True
        try:
            with pytest.raises(TransactionManagementError):
                execute_together(connection, statements)
        finally:
            connection.needs_rollback = False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans kept by PostgreSQL")
def test_statements_asked_to_be_generic_are_planned_once_and_the_setting_put_back(people):
    """Left to choose, PostgreSQL makes a plan for the values of each of a prepared
    statement's first five executions at least; asked for a generic one, it makes it once.
    The session's setting is the connection's own again afterwards, also when a statement
    sent with them fails."""
    from django.db import DatabaseError, transaction

    from paddock.core.shapes import execute_together

    def plans(tag: str) -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE %s",
                [f"%{tag}%"],
            )
            return cursor.fetchone()

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return cursor.fetchone()[0]

    for tag, generic in (("chosen_plans", False), ("generic_plans", True)):
        sql = f"SELECT username AS {tag} FROM auth_user WHERE id = %s"  # noqa: S608
        for person in people * 4:  # prepared after five, then executed eleven times more
            rows = execute_together(connection, [(sql, [person.pk])], generic=generic)
            assert rows == [[(person.username,)]]
        made_once, made_each_time = plans(tag)
        if generic:
            assert (made_once, made_each_time) == (11, 0)
        else:
            assert made_each_time >= 5
        assert setting() == "auto"
    with pytest.raises(DatabaseError), transaction.atomic():
        execute_together(connection, [("SELECT * FROM no_such_table", [])], generic=True)
    assert setting() == "auto"


def test_statements_read_ahead_go_with_the_next_round_trip_and_wait_for_their_caller(people):
    by_name = QueryShape(User, lambda name: User.objects.filter(username=name), name=str)
    names = QueryShape(
        User, lambda ids: User.objects.filter(pk__in=ids).values_list("username"), ids=list
    )
    pg = connection.vendor == "postgresql"
    # Outside a request nothing is read ahead: each caller reads its own.
    read_ahead(by_name.bind(name="ann"))
    with CaptureQueriesContext(connection) as outside:
        names.all(ids=[people[2].pk])
        by_name.all(name="ann")
    assert len(outside.captured_queries) == 2
    # (The receivers are called, not the signals sent: Django's own would end the test's
    # transaction.)
    shapes._request_started(sender=None)
    try:
        read_ahead(by_name.bind(name="ann"), names.bind(ids=[]))  # an empty list reads nothing
        User.objects.filter(username="ann").update(first_name="Annie")
        with noting_pipelines() as sent, CaptureQueriesContext(connection) as first:
            assert names.all(ids=[people[2].pk]) == [("bob",)]
        # On PostgreSQL the statement read ahead went with it, in one round trip.
        assert len(first.captured_queries) == (2 if pg else 1)
        assert all(sent) if pg else not any(sent)
        with CaptureQueriesContext(connection) as later:
            (ann,) = by_name.all(name="ann")
            assert ann.first_name == "Annie" and ann.pk == people[0].pk
        assert len(later.captured_queries) == (0 if pg else 1)
        # Taken once: asked again, it is read again.
        User.objects.filter(username="ann").update(first_name="Ann")
        with CaptureQueriesContext(connection) as again:
            assert by_name.first(name="ann").first_name == "Ann"
        assert len(again.captured_queries) == 1
        # Statements read ahead that a caller then sends itself are read once, and not sent
        # again with the next round trip.
        read_ahead(by_name.bind(name="bob"))
        with CaptureQueriesContext(connection) as own:
            assert by_name.first(name="bob").pk == people[2].pk
            assert names.all(ids=[people[0].pk]) == [("ann",)]
        assert len(own.captured_queries) == 2
    finally:
        shapes._request_finished(sender=None)
    # The request's statements read ahead and not asked for are gone with it.
    assert shapes._ahead.get() is None


def test_a_statement_planned_once_is_read_ahead_inside_its_settings(people):
    """A statement planned once a connection (`generic`), read ahead, goes with the next round
    trip between the SET and RESET that plan it so; the others after, as the server chooses."""
    by_name = QueryShape(User, lambda name: User.objects.filter(username=name), name=str)
    once = dataclasses.replace(by_name.bind(name="ann"), generic=True)
    plain = by_name.bind(name="bob")
    shapes._request_started(sender=None)
    try:
        read_ahead(once, plain)
        with CaptureQueriesContext(connection) as sent:
            assert by_name.first(name="anton").pk == people[1].pk
        with CaptureQueriesContext(connection) as later:
            ([ann], [bob]) = together(once, plain)
        assert (ann.pk, bob.pk) == (people[0].pk, people[2].pk)
    finally:
        shapes._request_finished(sender=None)
    found = [q["sql"].split(" ", 2)[:2] for q in sent.captured_queries]
    if connection.vendor == "postgresql":
        assert found == [
            ["SELECT", '"auth_user"."id",'],
            ["SET", "plan_cache_mode"],
            ["SELECT", '"auth_user"."id",'],
            ["RESET", "plan_cache_mode"],
            ["SELECT", '"auth_user"."id",'],
        ]
        assert "'anton'" in sent.captured_queries[0]["sql"]
        assert "'ann'" in sent.captured_queries[2]["sql"]
        assert "'bob'" in sent.captured_queries[4]["sql"]
        assert later.captured_queries == []
    else:  # nothing read ahead: each read by its caller, one after the other
        assert len(sent.captured_queries) == 1 and len(later.captured_queries) == 2
