"""Database helpers several apps share."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connection, connections, models, transaction

logger = logging.getLogger(__name__)


_PROBE = b"2000-01-01 00:00:00+00"


def compiled_timestamps(sender, connection, **kwargs) -> None:
    """On a new PostgreSQL connection, read timestamps with psycopg's compiled loader.

    Django reads `timestamptz` with a subclass of psycopg's pure-Python loader (so that it can
    set the time zone it expects), and a timestamp then costs 2.5 µs to read where psycopg's
    compiled loader takes 0.8 µs: a quarter of the time spent making the long discussion's
    rows into Python values. Where the compiled loader gives Django's zone itself (the session's
    time zone, which Django sets on the connection: UTC), it is used as it is; otherwise a
    loader calls it and sets Django's zone, as Django's does. Where psycopg has no compiled
    implementation, Django's stays.
    (`connection_created`, connected in CoreConfig.ready.)"""
    if connection.vendor != "postgresql":
        return
    from psycopg import adapters
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    oid = adapters.types["timestamptz"].oid
    base = adapters.get_loader(oid, Format.TEXT)
    if base is None or base.__module__.startswith("psycopg.types"):
        return  # no compiled implementation here
    timezone = connection.timezone
    probe = base(oid, connection.connection)
    if timezone is not None and probe.load(_PROBE).tzinfo is timezone:
        # It gives Django's zone itself (the session's, which Django set when it connected):
        # the compiled loader is used as it is, and psycopg calls it directly, with no Python
        # call and `replace` for every value. (Its class cannot be subclassed: this one only
        # carries the zone Django looks for, and makes compiled loaders.)
        class CompiledTzLoader(Loader):
            def __new__(cls, oid, context=None):
                return base(oid, context)

    else:

        class CompiledTzLoader(Loader):
            def __init__(self, oid, context=None):
                super().__init__(oid, context)
                self._load = base(oid, context).load

            def load(self, data):
                return self._load(data).replace(tzinfo=timezone)

    # Django compares this with the connection's zone before each cursor (create_cursor).
    CompiledTzLoader.timezone = timezone
    connection.connection.adapters.register_loader(oid, CompiledTzLoader)


def after_commit(work: Callable[[], object], *, what: str, fallback=None) -> None:
    """Run `work` once the transaction commits, so that it can never turn the committed write
    into an error: the reader gets the answer the write earned whatever happens here.

    A failure (the database connection dropped, Redis down under the task queue) is logged,
    the connections it left unusable are dropped (the next query opens a new one) and `work`
    runs once more; should that fail too, `fallback` runs instead when given (work that needs
    nothing the failure took, e.g. invalidating more widely without reading the database),
    and the error is logged for the operator with `what` was lost.
    """

    def run() -> None:
        for attempt in (1, 2):
            try:
                work()
                return
            except Exception:  # noqa: BLE001 - whatever it was, the write stands
                logger.warning(
                    "After-commit work failed (try %d): %s", attempt, what, exc_info=True
                )
                for conn in connections.all(initialized_only=True):
                    if not conn.in_atomic_block:
                        conn.close_if_unusable_or_obsolete()
        if fallback is not None:
            try:
                fallback()
                logger.warning("After-commit work replaced by its fallback: %s", what)
                return
            except Exception:  # noqa: BLE001
                logger.warning("After-commit fallback failed: %s", what, exc_info=True)
        logger.error("After-commit work lost: %s", what)

    transaction.on_commit(run)


def rows_update(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """Set `fields` of many rows, given as (pk, value, ...), in one executemany.

    `bulk_update` builds a CASE expression per row and field, which takes seconds for the
    thousands of rows of a demo discussion or an imported post; this takes milliseconds.
    """
    if not rows:
        return
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = (
        f"UPDATE {quote(opts.db_table)} SET {assignments} "  # noqa: S608 - names from the model
        f"WHERE {quote(opts.pk.column)} = %s"
    )
    params = [
        [c.get_db_prep_save(v, connection) for c, v in zip(columns, values, strict=True)] + [pk]
        for pk, *values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def bulk_create_dated(
    model: type[models.Model], objects: list, *, field: str = "created_at"
) -> list:
    """Insert `objects` that carry their own `field` date (history: a demo's, an import's),
    which bulk_create would overwrite with "now" when the field is auto_now_add: inserted, then
    given their dates back in one executemany, in one transaction."""
    if not objects:
        return []
    dates = [getattr(obj, field) for obj in objects]
    with transaction.atomic():
        model.objects.bulk_create(objects)
        for obj, date in zip(objects, dates, strict=True):
            setattr(obj, field, date or getattr(obj, field))
        rows_update(model, [field], [(obj.pk, getattr(obj, field)) for obj in objects])
    return objects
