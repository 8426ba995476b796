"""Database helpers several apps share."""

from __future__ import annotations

from django.db import connection, models


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
