"""What the WordPress and Disqus imports share: the run and its context, the mapping of each
source id to what it became, the keys and dates both read, and the limits of a field.

Every write of an import checks first (is it new, changed, a duplicate, too big, broken?), then
writes in a transaction, records what it did in the report and in the mapping, and returns. In
a dry run the checks run and the report counts what would happen, but nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.models import Page, Site

from paddock.newsroom.models import HomePage
from paddock.newsroom.services import home_create

from .models import ImportedObject, ImportRun
from .report import ImportReport, Progress

Kind = ImportedObject.Kind

# A field over its limit skips the record it belongs to, naming the field and both sizes.
LIMITS = {
    "title": 255,
    "slug": 255,
    "excerpt": 20_000,
    "body": 1_000_000,
    "comment": 65_535,  # WordPress's own column holds no more
    "author name": 255,
    "author email": 254,
    "author URL": 500,
    "display name": 100,
    "login": 150,
    "category name": 255,
    "tag name": 100,
}

BATCH = 500


class Skip(Exception):
    """A record that cannot be imported; the message says why."""


@dataclass
class ImportContext:
    """One run: where it writes, what it has seen. Each import adds what it remembers along
    the way (WordPressContext, DisqusContext), bounded by the number of authors, categories
    and threads, not by the size of the file."""

    source: str
    report: ImportReport
    dry_run: bool = False
    site_key: str = ""
    run: ImportRun | None = None
    home: HomePage | None = None
    wagtail_site: Site | None = None
    # Only in a dry run, where nothing can be marked in the database: ids seen so far.
    seen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def run_id(self) -> int | None:
        return self.run.pk if self.run else None


def import_run_start(*, ctx: ImportContext, file_name: str, file_size: int) -> ImportRun | None:
    if ctx.dry_run:
        return None
    ctx.run = ImportRun.objects.create(
        source=ctx.source, site=ctx.site_key[:200], file_name=file_name[:500], file_size=file_size
    )
    return ctx.run


def import_run_finish(*, ctx: ImportContext) -> None:
    if ctx.run is None:
        return
    ctx.run.site = ctx.site_key[:200]
    ctx.run.finished_at = timezone.now()
    ctx.run.summary = ctx.report.summary()
    ctx.run.save(update_fields=["site", "finished_at", "summary"])


def home_ensure(*, ctx: ImportContext, title: str = "") -> HomePage:
    """The home page the import files sections under: the default site's, or a new one."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        home = HomePage.objects.first()
        if home is not None:
            site = Site.objects.filter(root_page=home).first() or site
    if home is None:
        if ctx.dry_run:
            ctx.report.warn("home page", "would be created, and made the default site's root")
            return None  # type: ignore[return-value]
        slug = free_slug(Page.get_first_root_node(), "home")
        home = home_create(title=(title or "Home")[:255], slug=slug)
        site = Site.objects.get(root_page=home)
        ctx.report.warn("home page", f'created "{home.title}" and made it the default site\'s root')
    ctx.home, ctx.wagtail_site = home, site
    return home


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def site_key(url: str) -> str:
    """A site's identity from its base URL: host and path, no scheme ("example.com/blog")."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()[:200]
    return ((parts.hostname or "") + parts.path.rstrip("/"))[:200]


_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled)(?=\.\w+$)")


def url_key(url: str, *, attachment: bool = False) -> str:
    """A URL without its scheme, for matching: "host/path" (and "?query" when the path is
    empty); for attachments without WordPress's size suffix, so that "car-300x200.jpg" matches
    the "car.jpg" it was made from."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    path = unquote(parts.path)
    path = _SIZE_SUFFIX.sub("", path) if attachment else path.rstrip("/")
    key = (parts.hostname or "") + path
    if parts.query and not path.strip("/"):
        key += "?" + parts.query
    return key[:500]


def check_length(what: str, value: str) -> None:
    limit = LIMITS[what]
    if len(value) > limit:
        raise Skip(f"its {what} is {len(value):,} characters long; the limit is {limit:,}")


def short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def parse_wp_date(value: str) -> dt.datetime | None:
    """A WordPress "2012-04-05 10:00:00" (UTC for the _gmt fields); None when WordPress left it
    empty ("0000-00-00 00:00:00", as it does for drafts). Raises ValueError when broken."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    moment = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    return sane_date(moment.replace(tzinfo=dt.UTC))


def parse_iso_date(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return sane_date(moment)


def date_or_none(value: str) -> dt.datetime | None:
    try:
        return parse_wp_date(value)
    except ValueError:
        return None


def sane_date(moment: dt.datetime) -> dt.datetime:
    if not 1900 <= moment.year <= 2200:
        raise ValueError(f"year {moment.year} is out of range")
    return moment


def mapping_get(ctx: ImportContext, kind: str, source_id: str) -> ImportedObject | None:
    return ImportedObject.objects.filter(
        source=ctx.source, site=ctx.site_key, kind=kind, source_id=source_id
    ).first()


def seen_before(ctx: ImportContext, kind: str, source_id: str, mapping) -> bool:
    """Whether this id already came up earlier in this run (a duplicate id in the file)."""
    if ctx.dry_run:
        seen = ctx.seen[kind]
        if source_id in seen:
            return True
        seen.add(source_id)
        return False
    return mapping is not None and mapping.last_run_id == ctx.run_id


def mapping_save(
    ctx: ImportContext,
    *,
    kind: str,
    source_id: str,
    obj: models.Model | None,
    checksum: str,
    mapping: ImportedObject | None = None,
    source_url: str = "",
    data: dict | None = None,
) -> ImportedObject:
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    if mapping is None:
        mapping = ImportedObject(
            source=ctx.source, site=ctx.site_key, kind=kind, source_id=source_id
        )
    mapping.content_type = content_type
    mapping.object_id = obj.pk if obj is not None else None
    mapping.checksum = checksum
    mapping.last_run_id = ctx.run_id
    if source_url:
        mapping.source_url = source_url
    if data is not None:
        mapping.data = data
    mapping.save()
    return mapping


def outcome_of(mapping: ImportedObject | None, checksum: str) -> str:
    if mapping is None:
        return "imported"
    return "unchanged" if mapping.checksum == checksum else "updated"


def mapping_touch(ctx: ImportContext, mapping: ImportedObject) -> None:
    if not ctx.dry_run and mapping.last_run_id != ctx.run_id:
        ImportedObject.objects.filter(pk=mapping.pk).update(last_run_id=ctx.run_id)


def free_slug(parent: Page, slug: str, *, exclude: int | None = None) -> str:
    siblings = Page.objects.child_of(parent)
    if exclude:
        siblings = siblings.exclude(pk=exclude)
    base, candidate, n = slug[:240], slug, 2
    while siblings.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class Tally:
    """What a transaction did, given to the report only once it has committed."""

    def __init__(self) -> None:
        self.counts: list[tuple[str, str, int]] = []
        self.skips: list[tuple[str, str, str, int]] = []
        self.warnings: list[tuple[str, str]] = []

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self.counts.append((kind, outcome, n))

    def skip(self, kind: str, what: str, reason: str, n: int = 1) -> None:
        self.skips.append((kind, what, reason, n))

    def warn(self, what: str, message: str) -> None:
        self.warnings.append((what, message))

    def apply(self, report: ImportReport) -> None:
        for kind, outcome, n in self.counts:
            report.count(kind, outcome, n)
        for kind, what, reason, n in self.skips:
            report.skip(kind, what, reason, n)
        for what, message in self.warnings:
            report.warn(what, message)


def page_reimported(
    ctx: ImportContext,
    model: type[Page],
    mapping: ImportedObject | None,
    checksum: str,
    *,
    kind: str,
    what: str,
    tally: Tally,
    edited: str,
) -> tuple[Page | None, bool]:
    """What becomes of a page an earlier run imported: `(page, True)` when this run leaves it
    as it is (deleted in Paddock since: None, not recreated; unchanged in the export; or
    edited in Paddock since, the editor's version kept, `edited` saying so), `(page, False)`
    when the export's newer version is to be written over it, `(None, False)` when new."""
    if mapping is None:
        return None, False
    page = model.objects.filter(pk=mapping.object_id).first()
    if page is None:
        tally.skip(kind, what, "deleted in Paddock after an earlier import; not recreated")
    elif mapping.checksum == checksum:
        tally.count(kind, "unchanged")
    elif page.latest_revision_id != (mapping.data or {}).get("revision"):
        tally.skip(kind, what, edited)
    else:
        return page, False
    mapping_touch(ctx, mapping)
    return page, True


@dataclass
class Options:
    """How a command asked for the import to run."""

    dry_run: bool = False
    download: bool = True
    progress: Progress | None = None
