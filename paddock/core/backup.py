"""One file holding the whole site, and the site back from it.

A backup is a zip file:

- `manifest.json`: the format and its version, the Paddock, Django and Wagtail versions that
  wrote it, the migrations applied, the settings the site needs to come back (never secrets),
  and for each table its model, its member in the file and its number of rows;
- `db/NNN-<app>.<model>.jsonl`: one table a member, one row a line, each row an object of
  column (attribute) names and values as the model's fields write them to text
  (`Field.value_to_string`, or the JSON number, boolean or ISO date itself). The same text comes
  from SQLite and PostgreSQL, so a backup of one restores into the other;
- `media/...`: the uploaded files (images, renditions, documents, avatars) as they are in
  MEDIA_ROOT.

Everything streams: rows are read with `.iterator(chunk_size)` and written line by line into
the zip, files are copied in blocks, and a restore reads each member line by line and inserts in
batches. A 10 GB site needs disk, never 10 GB of memory.

Tables come from Django's app registry (every installed app's concrete, managed models and
their many-to-many tables), so core knows no domain app. Multi-table models (Wagtail's pages)
are written table by table: a page's own row under `wagtailcore.page`, its article fields under
its own model with the parent link. Content types and permissions are restored with their ids,
so every generic relation and grant points where it did. Wagtail's search index is not copied:
it is rebuilt from the restored pages (`update_index`).

A restore refuses a site that has content (accounts, pages beyond Wagtail's installation, or
uploaded files) unless forced; it then empties every table and inserts the backup's rows in one
transaction where the database allows (PostgreSQL and SQLite both do: Django's foreign keys
are checked at commit), and puts PostgreSQL's sequences after the restored ids.
"""

from __future__ import annotations

import datetime
import decimal
import json
import os
import shutil
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "paddock-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_SIZE = 2000
INSERT_BATCH = 500
COPY_BLOCK = 1024 * 1024

# Rebuilt after a restore rather than copied: Wagtail's full-text index differs by database.
SKIPPED_MODELS = {"wagtailsearch.indexentry", "wagtailsearch.sqliteftsindexentry"}

# What the site needs to come back that is not in its database: recorded in the manifest and
# compared on restore. Names holding a secret are never recorded.
RECORDED_SETTINGS = (
    "WAGTAIL_SITE_NAME",
    "PADDOCK_PUBLIC_URL",
    "WAGTAILADMIN_BASE_URL",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "AUTH_USER_MODEL",
)
SECRET_WORDS = ("SECRET", "PASSWORD", "KEY", "TOKEN", "DSN", "CREDENTIAL", "URL")

Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Table:
    model: type[models.Model]
    fields: list[models.Field]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def member(self, position: int) -> str:
        return f"db/{position:03d}-{self.label}.jsonl"


@dataclass
class Report:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    settings_differ: dict[str, tuple[Any, Any]] = field(default_factory=dict)


# --- Which tables, in which order ---------------------------------------------------------


def tables(alias: str = DEFAULT_DB_ALIAS) -> list[Table]:
    """Every table Django knows that exists in the database, parents before the tables that
    point at them (so a restore reads well in order; the constraints wait for the commit)."""
    existing = set(connections[alias].introspection.table_names())
    chosen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED_MODELS:
            continue
        if meta.db_table in existing and meta.db_table not in chosen:
            chosen[meta.db_table] = model
    ordered: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()
    visiting: set[type[models.Model]] = set()
    by_model = set(chosen.values())

    def visit(model: type[models.Model]) -> None:
        if model in done or model in visiting:
            return  # a cycle: the deferred constraints take care of it
        visiting.add(model)
        for f in model._meta.local_concrete_fields:
            target = f.related_model if f.is_relation else None
            if target is not None and target is not model:
                target = target._meta.concrete_model
                if target in by_model:
                    visit(target)
        visiting.discard(model)
        done.add(model)
        ordered.append(model)

    for model in sorted(by_model, key=lambda m: m._meta.label_lower):
        visit(model)
    return [Table(model=m, fields=list(m._meta.local_concrete_fields)) for m in ordered]


# --- Values to text and back --------------------------------------------------------------


class _Row:
    """What `Field.value_to_string(obj)` reads from: an object with the column's attribute."""


def _encode(f: models.Field, value: Any, holder: _Row) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(value, str) and f.get_internal_type() == "BinaryField":
            value = value.encode()
        else:
            return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    setattr(holder, f.attname, value)
    return f.value_to_string(holder)


def _decode(f: models.Field, value: Any) -> Any:
    if value is None:
        return None
    return f.to_python(value)


# --- Backup --------------------------------------------------------------------------------


def migration_state(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def recorded_settings() -> dict[str, Any]:
    recorded = {}
    names = list(RECORDED_SETTINGS) + sorted(
        name for name in dir(settings) if name.startswith("PADDOCK_")
    )
    for name in names:
        # Addresses may carry credentials: only the named ones are recorded.
        if name not in RECORDED_SETTINGS and any(word in name for word in SECRET_WORDS):
            continue
        value = getattr(settings, name, None)
        if isinstance(value, str | int | float | bool) or value is None:
            recorded[name] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
            recorded[name] = list(value)
    return recorded


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def backup_write(
    destination: Path, *, alias: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> Report:
    """Write the database, the media and the manifest to `destination` (a new zip file,
    written beside it under a temporary name and moved into place when complete)."""
    report = Report()
    connection = connections[alias]
    partial = destination.with_name(destination.name + ".partial")
    listed = tables(alias)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "versions": {
            "paddock": _version("paddock"),
            "django": _version("django"),
            "wagtail": _version("wagtail"),
            "python": sys.version.split()[0],
        },
        "database": connection.vendor,
        "settings": recorded_settings(),
        "tables": [],
    }
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            snapshot = not connection.in_atomic_block
            with transaction.atomic(using=alias):
                if snapshot and connection.vendor == "postgresql":
                    # One snapshot for every table: a backup taken while the site runs is
                    # consistent.
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                manifest["migrations"] = migration_state(alias)
                for position, table in enumerate(listed, start=1):
                    rows = _table_write(zf, table, position, alias, progress)
                    manifest["tables"].append(
                        {"model": table.label, "member": table.member(position), "rows": rows}
                    )
                    report.tables += 1
                    report.rows += rows
            media_root = Path(settings.MEDIA_ROOT)
            for path, name in _media_files(media_root):
                info = zipfile.ZipInfo.from_file(path, f"media/{name}")
                info.compress_type = zipfile.ZIP_STORED
                with open(path, "rb") as source, zf.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, COPY_BLOCK)
                report.files += 1
                report.bytes += info.file_size
                if progress:
                    progress("media", report.files, 0)
            manifest["media"] = {"files": report.files, "bytes": report.bytes}
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return report


def _table_write(
    zf: zipfile.ZipFile, table: Table, position: int, alias: str, progress: Progress | None
) -> int:
    names = [f.attname for f in table.fields]
    total = table.model._base_manager.using(alias).count() if progress else 0
    queryset = (
        table.model._base_manager.using(alias)
        .order_by(table.model._meta.pk.attname)
        .values_list(*names)
    )
    holder = _Row()
    rows = 0
    with zf.open(table.member(position), "w", force_zip64=True) as member:
        for values in queryset.iterator(chunk_size=CHUNK_SIZE):
            row = {
                name: _encode(f, value, holder)
                for name, f, value in zip(names, table.fields, values, strict=True)
            }
            member.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
            rows += 1
            if progress and rows % CHUNK_SIZE == 0:
                progress(table.label, rows, total)
    if progress:
        progress(table.label, rows, total)
    return rows


# --- Restore -------------------------------------------------------------------------------


def manifest_read(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise BackupError("This file has no manifest.json: it is not a Paddock backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Paddock backup (its manifest names no such format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format version {manifest.get('format_version')}; this Paddock "
            f"reads version {FORMAT_VERSION}. Restore it with the Paddock version that wrote it "
            f"({manifest.get('versions', {}).get('paddock')})."
        )
    return manifest


def migrations_compare(manifest: dict[str, Any], alias: str = DEFAULT_DB_ALIAS) -> None:
    """The backup's tables must have the shape this code's migrations give them."""
    theirs = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    ours = {(app, name) for app, names in migration_state(alias).items() for name in names}
    unknown = sorted(theirs - ours)
    missing = sorted(ours - theirs)
    if unknown:
        shown = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        raise BackupError(
            f"The backup was made after migrations this Paddock does not have ({shown}"
            f"{' …' if len(unknown) > 5 else ''}): restore it with Paddock "
            f"{manifest['versions'].get('paddock')} or newer."
        )
    if missing:
        shown = ", ".join(f"{a}.{n}" for a, n in missing[:5])
        raise BackupError(
            f"This Paddock has migrations the backup was made without ({shown}"
            f"{' …' if len(missing) > 5 else ''}): restore it with the Paddock version that "
            f"made it ({manifest['versions'].get('paddock')}), then upgrade and migrate."
        )


def site_contents(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What a restore would replace: accounts, pages beyond Wagtail's installation (its root
    and welcome page), uploaded files. Empty for a newly migrated site."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    found = []
    users = get_user_model()._base_manager.using(alias).count()
    if users:
        found.append(f"{users} accounts")
    pages = Page.objects.using(alias).count()
    if pages > 2:
        found.append(f"{pages} pages")
    media_root = Path(settings.MEDIA_ROOT)
    files = sum(1 for _ in zip(range(1000), _media_files(media_root), strict=False))
    if files:
        found.append(f"{files}{'+' if files == 1000 else ''} uploaded files in {media_root}")
    return found


def backup_restore(
    source: Path,
    *,
    alias: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Put the site in `source` in place of this (migrated) one: the database in one
    transaction, then the media files. Refuses a site with content unless `force`."""
    report = Report()
    connection = connections[alias]
    try:
        zf = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{source} cannot be read as a Paddock backup: {error}") from None
    with zf:
        manifest = manifest_read(zf)
        migrations_compare(manifest, alias)
        if not force:
            contents = site_contents(alias)
            if contents:
                raise BackupError(
                    "This site is not empty (" + ", ".join(contents) + "); a restore replaces "
                    "everything in it. Restore into a new data folder (PADDOCK_DATA_DIR) or an "
                    "empty database, or pass --force to replace this site."
                )
        here = {t.label: t for t in tables(alias)}
        listed = manifest["tables"]
        unknown = [entry["model"] for entry in listed if entry["model"] not in here]
        if unknown:
            raise BackupError(
                f"The backup holds tables this site does not have ({', '.join(unknown[:5])}): "
                "are all of the apps that made it installed?"
            )
        with transaction.atomic(using=alias):
            _empty(alias)
            for entry in listed:
                table = here[entry["model"]]
                rows = _table_read(zf, table, entry, alias, progress)
                report.tables += 1
                report.rows += rows
            if connection.vendor == "postgresql":
                # The next id of every table after its restored ones.
                sequences = connection.ops.sequence_reset_sql(
                    no_style(), [t.model for t in here.values()]
                )
                with connection.cursor() as cursor:
                    for sql in sequences:
                        cursor.execute(sql)
        # Ids remembered from the site that was replaced.
        ContentType.objects.clear_cache()
        media_root = Path(settings.MEDIA_ROOT)
        for info in zf.infolist():
            if not info.filename.startswith("media/") or info.is_dir():
                continue
            target = _media_target(media_root, info.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as member, open(target, "wb") as out:
                shutil.copyfileobj(member, out, COPY_BLOCK)
            report.files += 1
            report.bytes += info.file_size
            if progress:
                progress("media", report.files, manifest.get("media", {}).get("files", 0))
    ours = recorded_settings()
    for name, value in manifest.get("settings", {}).items():
        if name in ours and ours[name] != value:
            report.settings_differ[name] = (value, ours[name])
    return report


def _media_target(media_root: Path, name: str) -> Path:
    relative = PurePosixPath(name).relative_to("media")
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The backup names a file outside the media folder: {name!r}.")
    return media_root.joinpath(*relative.parts)


def _bare(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """An instance holding exactly the row's values. Not through __init__: Wagtail's Page
    looks up (and would create) its content type there, in a table being restored."""
    obj = model.__new__(model)
    obj.__dict__.update(values)
    obj._state = models.base.ModelState()
    return obj


def _empty(alias: str) -> None:
    """Every table emptied, Wagtail's installation and the content types included, so the
    backup's rows come back with their own ids."""
    connection = connections[alias]
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    statements = connection.ops.sql_flush(no_style(), names, allow_cascade=True)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still waiting in this transaction
        # (rows written earlier in it): run them now, and defer again for the restore's rows.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)


def _table_read(
    zf: zipfile.ZipFile, table: Table, entry: dict[str, Any], alias: str, progress: Progress | None
) -> int:
    by_name = {f.attname: f for f in table.fields}
    manager = table.model._base_manager.using(alias)
    batch: list[models.Model] = []
    rows = 0
    total = entry.get("rows", 0)
    connection = connections[alias]
    size = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(table.fields, [None])))

    def flush() -> None:
        manager._insert(batch, fields=table.fields, using=alias, raw=True)
        batch.clear()

    with zf.open(entry["member"]) as member:
        for line in member:
            row = json.loads(line)
            try:
                values = {name: _decode(by_name[name], value) for name, value in row.items()}
            except KeyError as error:
                raise BackupError(
                    f"{entry['member']} has a column {error} that {table.label} does not."
                ) from None
            batch.append(_bare(table.model, values))
            rows += 1
            if len(batch) >= size:
                flush()
                if progress and rows % CHUNK_SIZE < size:
                    progress(table.label, rows, total)
    if batch:
        flush()
    if progress:
        progress(table.label, rows, total)
    return rows
