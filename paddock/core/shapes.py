"""Queries written by the ORM once per process and run again with each call's own values.

On a page that reads a dozen small things, writing each query (building the queryset, compiling
it to SQL) costs more than the database takes to answer it. A `QueryShape` calls its builder
once per database alias (and variant) with stand-in values, keeps the SQL, where each stand-in
landed among the parameters, and what turns a row into Python values and model instances; each
call then swaps in its own values and runs the SQL. Nothing read from the database is kept:
every call reads afresh.

    ARTICLE_AT = QueryShape(
        ArticlePage,
        lambda slug, url_path: ArticlePage.objects.filter(slug=slug, url_path=url_path)[:1],
        slug=str,
        url_path=str,
    )
    ARTICLE_AT.all(slug="…", url_path="/home/…/")  # a list of ArticlePage

An int stand-in is a negative 32-bit number (for ids, not small or positive-only columns);
a stand-in may only be compared whole (`=`, `in` a subquery) or as a prefix (`startswith`):
a builder whose stand-in landed anywhere else (inside a computed value) is refused when it is
first written. A `list` of ids (`pk__in=ids`) is written once for each length it is called
with; an empty list reads nothing. A query whose shape depends on more
than its values (the site's private subtrees, say) passes them as `variant`, a hashable that
the builder receives too and that names one shape of its own. Rows become model instances as
Django's ModelIterable makes them (with select_related and annotations), or the tuples or values
of values_list; prefetch_related is not supported.

Queries that do not depend on each other's answers can go together, in one round trip to
PostgreSQL (its pipeline mode; elsewhere one after the other):

    authors, tags = together(AUTHORS.bind(article=pk), TAGS.bind(article=pk))
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

import psycopg
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import connections, router
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    QuerySet,
    ValuesListIterable,
    get_related_populators,
)
from django.dispatch import receiver

from . import pgpipeline
from .rows import make as instance_from_row

# Within a 32-bit integer column's range: the ORM leaves a value beyond it out of the SQL.
_INT_STAND_IN = -1_987_654_000
_LIST_STEP = 10_000  # apart, the stand-ins of each list (a list of ids is shorter)
_MAX_SHAPES = 64  # variants of one query; more means the variant is not a shape's


@dataclass(frozen=True)
class _Prepared:
    sql: str
    params: tuple
    # (position in params, name of the value, True when it is a LIKE prefix, index in the
    # value when it is a list, else None)
    slots: tuple[tuple[int, str, bool, int | None], ...]
    # (column, converter functions, expression), as SQLCompiler.get_converters gives them
    converters: tuple
    col_count: int
    kind: str  # "model", "tuples" or "flat"
    # For "model": the model, the slice of its own columns, their attnames, the related
    # populators (select_related) and the annotations' columns.
    model: Any = None
    model_slice: slice | None = None
    init_list: tuple[str, ...] = ()
    populators: tuple = ()
    annotations: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Statement:
    """SQL with its parameters, ready to run on `alias`; `finish(rows, connection)` turns the
    rows it reads into what its caller asked for. `generic`: PostgreSQL plans it once a
    connection whatever its values (see `execute_together`)."""

    alias: str
    sql: str
    params: Sequence
    finish: Callable[[list[tuple], Any], Any]
    generic: bool = False


def together(*statements: Statement | None) -> list:
    """What each statement gives, in order (None, a query that reads nothing, gives []).
    Statements on one PostgreSQL database are sent together and answered together (pipeline
    mode): one round trip, each statement on its own, so that the server keeps each one
    prepared (config/settings.py, `_prepare_database`). Elsewhere, one after the other."""
    results: list = [[] for _ in statements]
    by_alias: dict[str, list[int]] = {}
    ahead = _ahead.get()
    connection = None  # of the last statement read ahead (a page's are on one database)
    for index, statement in enumerate(statements):
        if statement is None:
            continue
        if ahead:
            found = _read_ahead_rows(ahead, statement)
            if found is not None:
                if connection is None or connection.alias != statement.alias:
                    connection = connections[statement.alias]
                results[index] = statement.finish(found, connection)
                continue
        by_alias.setdefault(statement.alias, []).append(index)
    for alias, indexes in by_alias.items():
        connection = connections[alias]
        wanted = [statements[index] for index in indexes]
        rows = execute_together(
            connection,
            [(s.sql, s.params) for s in wanted],
            generic=any(s.generic for s in wanted),
        )
        for index, statement, found in zip(indexes, wanted, rows, strict=True):
            results[index] = statement.finish(found, connection)
    return results


# Statements sent ahead of the code that runs them, in this request (read_ahead): for each
# (alias, sql, params), the rows once read, else None until then (_GENERIC for a statement
# planned once a connection: see `execute_together`).
_ahead: ContextVar[dict | None] = ContextVar("paddock_shapes_ahead", default=None)
_GENERIC = object()


@receiver(request_started, dispatch_uid="paddock.core.shapes.request_started")
def _request_started(sender, **kwargs) -> None:
    _ahead.set({})


@receiver(request_finished, dispatch_uid="paddock.core.shapes.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _ahead.set(None)


def read_ahead(*statements: Statement | None) -> None:
    """Statements that code later in this request will run (`together`), sent with the next
    statements this request sends to their PostgreSQL database (chrome's, say) and answered in
    the same round trip; their rows wait for that code, which then sends nothing. One that no
    code asks for costs its own reading and no more. Nothing is sent ahead outside a request,
    nor to another database than PostgreSQL, which runs statements one after the other anyway."""
    ahead = _ahead.get()
    if ahead is None:
        return
    for statement in statements:
        if statement is None or _vendor(statement.alias) != "postgresql":
            continue
        key = _ahead_key(statement.alias, statement.sql, statement.params)
        if key is not None:
            ahead.setdefault(key, _GENERIC if statement.generic else None)


_vendors: dict[str, str] = {}


def _vendor(alias: str) -> str:
    """The database's vendor (a property of its backend, the same for the whole process)."""
    vendor = _vendors.get(alias)
    if vendor is None:
        vendor = _vendors[alias] = connections[alias].vendor
    return vendor


def _ahead_key(alias: str, sql: str, params: Sequence) -> tuple | None:
    key = (alias, sql, tuple(params))
    try:
        hash(key)
    except TypeError:  # a value that cannot name it (a list): not sent ahead
        return None
    return key


def _read_ahead_rows(ahead: dict, statement: Statement) -> list[tuple] | None:
    """The rows of `statement` read ahead, taken (a second run reads afresh), or None: then
    it is read now by its caller, and no longer sent ahead."""
    key = _ahead_key(statement.alias, statement.sql, statement.params)
    rows = None if key is None else ahead.pop(key, None)
    return None if rows is _GENERIC else rows


def _riders(connection, statements: Sequence[tuple[str, Sequence]]) -> list[tuple]:
    """The keys of statements sent ahead on `connection` and not read yet, but for those among
    `statements` (which read them now for their own caller)."""
    ahead = _ahead.get()
    if not ahead:
        return []
    alias = connection.alias
    own = {_ahead_key(alias, sql, params) for sql, params in statements}
    return [
        key
        for key, rows in ahead.items()
        if (rows is None or rows is _GENERIC) and key[0] == alias and key not in own
    ]


# The server's choice between a plan made once for any values and one made for each
# execution's own, set for the statements sent together and put back after them.
_GENERIC_PLANS = "SET plan_cache_mode = force_generic_plan"
_CHOSEN_PLANS = "RESET plan_cache_mode"


def execute_together(
    connection,
    statements: Sequence[tuple[str, Sequence]],
    *,
    generic: bool = False,
) -> list[list[tuple]]:
    """The rows of each (sql, params), in one round trip on PostgreSQL (see `together`).

    generic: PostgreSQL plans the statements once a connection, whatever their values. Left to
    choose, it plans a prepared statement again at every execution whenever a plan made for
    the values at hand is estimated cheaper than one for any values, even where both run in
    the same time: the page of threads of an article with a few comments was planned afresh
    at every render (0.5 ms of the server's CPU, more than running it). The setting is the
    session's, so it is set for these statements and put back after them, in the same round
    trip (RESET: the connection's own setting comes back); were one of them to fail, the
    server undoes the setting with the rest of their transaction.

    Statements sent ahead (read_ahead) go after these, each planned as it would be on its own
    (those planned once a connection inside the same SET and RESET), and their rows are kept
    for the code that asks for them."""
    riders = _riders(connection, statements) if connection.vendor == "postgresql" else []
    if not riders and not generic:
        return _execute(connection, statements)
    settable = connection.vendor == "postgresql" and bool(
        connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold")
    )
    ahead = _ahead.get()
    once = [key for key in riders if ahead[key] is _GENERIC]
    chosen = [key for key in riders if ahead[key] is not _GENERIC]
    # The statements in the order sent, and where each of the caller's and each rider's
    # answer is among the answers.
    sent: list[tuple[str, Sequence]] = []
    at: list[int] = []

    def send(group: Sequence[tuple[str, Sequence]], planned_once: bool) -> None:
        if not group:
            return
        if planned_once and settable:
            sent.append((_GENERIC_PLANS, ()))
        for statement in group:
            at.append(len(sent))
            sent.append(statement)
        if planned_once and settable:
            sent.append((_CHOSEN_PLANS, ()))

    keyed = [(key[1], key[2]) for key in once]
    if generic:
        send([*statements, *keyed], True)
    else:
        send(statements, False)
        send(keyed, True)
    send([(key[1], key[2]) for key in chosen], False)
    found = _execute(connection, sent)
    answers = [found[index] for index in at]
    for key, rows in zip([*once, *chosen], answers[len(statements) :], strict=True):
        ahead[key] = rows
    return answers[: len(statements)]


def _execute(connection, statements: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
    """The rows of each (sql, params): in one round trip on PostgreSQL, else one by one."""
    if connection.vendor == "postgresql":
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        watched = (
            connection.queries_logged or connection.execute_wrappers or not _zone_agreed(connection)
        )
        if not watched and pgpipeline.usable(connection.connection):
            # In one write, answered in one read (one statement too: no cursor to make, and
            # the connection's loaders already made). Django's cursor wrapper spends about
            # 8 µs a statement on these checks and on wrapping errors, done here once.
            connection.validate_thread_sharing()
            connection.validate_no_broken_transaction()
            with connection.wrap_database_errors:
                return pgpipeline.execute(connection.connection, statements)
        if len(statements) > 1:
            return _pipelined(connection, statements, watched=watched)
    found = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            found.append(cursor.fetchall())
    return found


def _pipelined(
    connection,
    statements: Sequence[tuple[str, Sequence]],
    *,
    watched: bool,
) -> list[list[tuple]]:
    """The rows of each statement, sent together in psycopg's pipeline mode ([] for one that
    reads nothing, such as a SET)."""
    if watched:
        # Django's cursors: they log each statement (DEBUG, tests counting queries), run the
        # connection's execute wrappers and set its time zone.
        cursors = [connection.cursor() for _ in statements]
    else:
        connection.validate_thread_sharing()
        connection.validate_no_broken_transaction()
        # The driver's own cursors, of the class Django's wrap (the connection's factory).
        cursors = [connection.connection.cursor() for _ in statements]
    try:
        with connection.wrap_database_errors:
            with connection.connection.pipeline():
                for cursor, (sql, params) in zip(cursors, statements, strict=True):
                    cursor.execute(sql, params)
            return [
                cursor.fetchall() if cursor.pgresult.status == _TUPLES_OK else []
                for cursor in cursors
            ]
    finally:
        for cursor in cursors:
            cursor.close()


_TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
_TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK


def _zone_agreed(connection) -> bool:
    """Whether the connection reads timestamps in the zone Django wants, as Django checks
    before each of its cursors (DatabaseWrapper.create_cursor)."""
    loader = connection.connection.adapters.get_loader(_TIMESTAMPTZ, psycopg.pq.Format.TEXT)
    return getattr(loader, "timezone", None) == connection.timezone


class QueryShape:
    """A queryset's SQL, written once per database alias and variant (see the module)."""

    def __init__(self, model, build: Callable[..., QuerySet], **params: type) -> None:
        self._build = build
        # The model read, for the database router ("app_label.Model" before apps are ready).
        self._model = model
        self._stand_ins: dict[str, int | str] = {}
        self._lists: dict[str, int] = {}  # a list's name → the first of its stand-ins
        for position, (name, kind) in enumerate(params.items()):
            if kind is int:
                self._stand_ins[name] = _INT_STAND_IN - position
            elif kind is str:
                # Letters and digits only: LIKE escaping leaves it as it is.
                self._stand_ins[name] = f"paddockstandin{position}x{id(self)}"
            elif kind is list:
                self._lists[name] = _INT_STAND_IN - _LIST_STEP * (position + 1)
            else:
                raise TypeError(f"A stand-in is an int, a str or a list, not {kind!r} ({name}).")
        self._prepared: dict[tuple, _Prepared] = {}

    def all(self, *, variant: Hashable = None, using: str | None = None, **values) -> list:
        """The rows of the query with these values: model instances, or what values_list
        gives."""
        return together(self.bind(variant=variant, using=using, **values))[0]

    def bind(
        self, *, variant: Hashable = None, using: str | None = None, **values
    ) -> Statement | None:
        """The query with these values, to run with others (`together`); None when it reads
        nothing (an empty list of ids)."""
        if values.keys() != self._stand_ins.keys() | self._lists.keys():
            needed = sorted(self._stand_ins.keys() | self._lists.keys())
            raise TypeError(f"Values needed: {needed}, given: {sorted(values)}")
        lengths = tuple(len(values[name]) for name in self._lists)
        if 0 in lengths:
            return None  # what `pk__in=[]` reads, without asking the database
        if isinstance(self._model, str):
            self._model = apps.get_model(self._model)
        alias = using or router.db_for_read(self._model)
        prepared = self._prepared.get((alias, variant, lengths))
        if prepared is None:
            prepared = self._prepare(alias, variant, lengths)
        params = list(prepared.params)
        for position, name, prefix, index in prepared.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = (
                f"{connections[alias].ops.prep_for_like_query(value)}%" if prefix else value
            )
        return Statement(alias, prepared.sql, params, partial(_materialise, prepared, alias=alias))

    def first(self, **kwargs):
        rows = self.all(**kwargs)
        return rows[0] if rows else None

    def _prepare(self, alias: str, variant: Hashable, lengths: tuple[int, ...]) -> _Prepared:
        kwargs: dict[str, Any] = dict(self._stand_ins)
        lists = {
            name: [first - index for index in range(length)]
            for (name, first), length in zip(self._lists.items(), lengths, strict=True)
        }
        kwargs.update(lists)
        if variant is not None:
            kwargs["variant"] = variant
        queryset = self._build(**kwargs)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("A query shape cannot prefetch; make it a shape of its own.")
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        slots = _slots(params, self._stand_ins, lists)
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
        common = {
            "sql": sql,
            "params": tuple(params),
            "slots": slots,
            "converters": converters,
            "col_count": compiler.col_count,
        }
        iterable = queryset._iterable_class
        if iterable is ModelIterable:
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            prepared = _Prepared(
                **common,
                kind="model",
                model=klass_info["model"],
                model_slice=slice(start, end),
                init_list=tuple(f[0].target.attname for f in compiler.select[start:end]),
                populators=tuple(get_related_populators(klass_info, compiler.select, alias)),
                annotations=tuple((compiler.annotation_col_map or {}).items()),
            )
        elif iterable in (ValuesListIterable, FlatValuesListIterable):
            # Django selects a values_list's columns in the order it names them.
            flat = iterable is FlatValuesListIterable
            prepared = _Prepared(**common, kind="flat" if flat else "tuples")
        else:
            raise ValueError("A query shape gives model instances or values_list rows.")
        if len(self._prepared) >= _MAX_SHAPES:
            self._prepared.clear()
        self._prepared[(alias, variant, lengths)] = prepared
        return prepared


def _slots(
    params, stand_ins: dict[str, int | str], lists: dict[str, list[int]]
) -> tuple[tuple[int, str, bool, int | None], ...]:
    """Where each stand-in landed among the query's parameters; refuses a stand-in found
    anywhere but whole or as a LIKE prefix, and a list not found whole."""
    names = {(type(value), value): (name, None) for name, value in stand_ins.items()}
    for name, values in lists.items():
        names.update({(int, value): (name, index) for index, value in enumerate(values)})
    texts = [(name, value) for name, value in stand_ins.items() if isinstance(value, str)]
    slots = []
    for position, param in enumerate(params):
        found = names.get((type(param), param)) if isinstance(param, int | str) else None
        if found is not None:
            slots.append((position, found[0], False, found[1]))
            continue
        if isinstance(param, str):
            if param.endswith("%") and (str, param[:-1]) in names:
                slots.append((position, names[(str, param[:-1])][0], True, None))
                continue
            for name, value in texts:
                if value in param:
                    raise ValueError(f"The stand-in for {name} is part of a parameter: {param!r}")
    found_names = {name for _, name, _, _ in slots}
    if found_names != stand_ins.keys() | lists.keys():
        missing = ", ".join(sorted((stand_ins.keys() | lists.keys()) - found_names))
        raise ValueError(f"Not a parameter of the query as written: {missing}")
    for name, values in lists.items():
        indexes = sorted(index for _, slot_name, _, index in slots if slot_name == name)
        if indexes != list(range(len(values))):
            raise ValueError(f"The list {name} is not in the query whole, each id once.")
    return tuple(slots)


def _materialise(prepared: _Prepared, rows, connection, alias: str) -> list:
    if prepared.converters or len(rows[0] if rows else ()) > prepared.col_count:
        # As SQLCompiler.apply_converters does, with this thread's connection.
        converted = []
        for row in rows:
            row = list(row[: prepared.col_count])
            for position, functions, expression in prepared.converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            converted.append(row)
        rows = converted
    if prepared.kind == "flat":
        return [row[0] for row in rows]
    if prepared.kind == "tuples":
        return [tuple(row) for row in rows]
    # As Django's ModelIterable makes instances.
    model, own, names = prepared.model, prepared.model_slice, prepared.init_list
    objects = []
    for row in rows:
        obj = instance_from_row(model, alias, names, row[own])
        for populator in prepared.populators:
            populator.populate(row, obj)
        for name, position in prepared.annotations:
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects
