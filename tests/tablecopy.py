"""A copy of the rows of every Django table, put back in one go.

The demo site takes seconds of CPU to build through the services (pages and revisions through
Wagtail, comments, votes, moderation history); the tests that need it get it restored from a
copy taken once a session instead (the `demo_snapshot` fixture in conftest.py). Restoring
replaces the rows of every table Django knows, so a test finds exactly what was copied, and
what it changes stays its own: inside a test's transaction it is rolled back with it, in a
transactional test it is flushed after it as before.

PostgreSQL copies with COPY and puts the sequences back in step; SQLite reads the rows through
a plain connection (the test database is a file) and inserts them again. Every statement names
tables and columns from Django's own list of its tables, quoted; nothing comes from outside.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction


@dataclass
class TableCopy:
    alias: str
    # table -> COPY text (PostgreSQL), or (columns, rows) (SQLite)
    tables: dict[str, Any]

    @classmethod
    def take(cls, alias: str = DEFAULT_DB_ALIAS) -> TableCopy:
        connection = connections[alias]
        names = connection.introspection.django_table_names(only_existing=True)
        quote = connection.ops.quote_name
        tables: dict[str, Any] = {}
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for name in names:
                    with cursor.cursor.copy(f"COPY {quote(name)} TO STDOUT") as copy:
                        tables[name] = b"".join(bytes(block) for block in copy)
        elif connection.vendor == "sqlite":
            # A plain connection hands back the values as stored, with none of the
            # conversions Django's own connection applies to dates and booleans.
            path = connection.settings_dict["NAME"]
            if str(path).startswith(":memory:") or "mode=memory" in str(path):
                raise NotImplementedError("TableCopy reads SQLite test databases kept in a file")
            with closing(sqlite3.connect(path)) as plain:
                for name in names:
                    (sql,) = plain.execute(
                        "SELECT sql FROM sqlite_master WHERE name = ?", (name,)
                    ).fetchone()
                    if sql.upper().startswith("CREATE VIRTUAL"):
                        # Wagtail's full-text index: triggers on its index entries fill it.
                        tables[name] = ([], [])
                        continue
                    columns = [row[1] for row in plain.execute(f"PRAGMA table_info({quote(name)})")]
                    listed = ", ".join(quote(column) for column in columns)
                    rows = plain.execute(f"SELECT {listed} FROM {quote(name)}").fetchall()  # noqa: S608
                    tables[name] = (columns, rows)
        else:
            raise NotImplementedError(f"TableCopy does not know {connection.vendor}")
        return cls(alias, tables)

    def restore(self) -> None:
        """Replace every table's rows with the copy's, in one transaction, and check that every
        foreign key points at a row."""
        connection = connections[self.alias]
        quote = connection.ops.quote_name
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # DELETE, not TRUNCATE: a test leaves few rows, and TRUNCATE gives every
                # table new files (most of a second for all of them). Foreign keys are
                # checked at the end, once every table is whole again.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for name in self.tables:
                    cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608
                for name, data in self.tables.items():
                    if data:
                        with cursor.cursor.copy(f"COPY {quote(name)} FROM STDIN") as copy:
                            copy.write(data)
                models = [
                    model
                    for model in apps.get_models(include_auto_created=True)
                    if model._meta.db_table in self.tables and not model._meta.proxy
                ]
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
            else:
                for name in self.tables:
                    cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608
                for name, (columns, rows) in self.tables.items():
                    if rows:
                        listed = ", ".join(quote(column) for column in columns)
                        marks = ", ".join(["%s"] * len(columns))
                        cursor.executemany(
                            f"INSERT INTO {quote(name)} ({listed}) VALUES ({marks})",  # noqa: S608
                            rows,
                        )
            connection.check_constraints()
