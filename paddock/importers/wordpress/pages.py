"""WordPress pages as standard pages, keeping their hierarchy, slugs, menu order and old URLs.

A page comes under its parent page, so a parent is written before its children whatever order
the export lists them in: a page whose parent has not been written yet waits (in memory; a site
has tens or hundreds of pages, not millions) and is written as soon as its parent is. A page
whose parent is not in the export, or was not imported, comes under the home page, said so in
the report. Once every page is written, the siblings are put in WordPress's menu order.

Each page is one transaction with its comments, like a post; the comments show under the page,
which (like any standard page) takes no new ones.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from paddock.pages.models import StandardPage
from paddock.pages.services import (
    standard_page_create,
    standard_page_update,
    standard_pages_order,
)

from ..comments import comments_write, existing_comments
from ..context import (
    Kind,
    Skip,
    Tally,
    digest,
    free_slug,
    mapping_get,
    mapping_save,
    outcome_of,
    page_reimported,
    seen_before,
    short,
    url_key,
)
from ..models import ImportedObject
from . import convert
from .authors import contributor_for_login
from .context import WordPressContext
from .parsers import WxrItem
from .posts import (
    IGNORED_STATUSES,
    POST_STATUSES,
    image_resolver,
    post_fields,
    redirect_ensure,
    wp_comment_rows,
)

logger = logging.getLogger(__name__)

# The Paddock page a WordPress page became in this run: its id, 0 in a dry run (it would
# exist), None when it was not imported (its children then come under the home page).
Written = int | None


class PageTree:
    """The pages of one run: what each became, and the pages waiting for their parent."""

    def __init__(self) -> None:
        self.written: dict[str, Written] = {}
        self.waiting: dict[str, list[WxrItem]] = defaultdict(list)

    def add(self, *, ctx: WordPressContext, item: WxrItem) -> None:
        """Write the page now if its parent is written (or it has none), else once it is."""
        parent = _parent_id(item)
        if parent and parent not in self.written:
            self.waiting[parent].append(item)
            return
        self._write_with_children(ctx, item, parent_missing=False)

    def finish(self, *, ctx: WordPressContext) -> None:
        """Write the pages whose parent never came (not in the export, or a loop of parents)
        under the home page, then put every family of imported pages in menu order."""
        while self.waiting:
            parent, items = self.waiting.popitem()
            for item in items:
                self._write_with_children(ctx, item, parent_missing=True)
        if not ctx.dry_run:
            _menu_order(ctx)

    def _write_with_children(self, ctx: WordPressContext, item: WxrItem, *, parent_missing):
        stack = [(item, parent_missing)]
        while stack:
            item, missing = stack.pop()
            post_id = item.post_id.strip()
            try:
                self.written[post_id] = page_import(
                    ctx=ctx, item=item, parent=self._parent_page(ctx, item, missing)
                )
            except Exception as exc:
                logger.debug("WordPress page %s failed", post_id, exc_info=True)
                ctx.report.skip(
                    "pages",
                    _what(item),
                    f"it failed and nothing of it was written ({exc.__class__.__name__}: "
                    f"{short(str(exc), 200)}); its {len(item.comments):,} comments were not "
                    "imported either",
                )
                ctx.report.count("comments", "skipped", len(item.comments))
                self.written[post_id] = None
            stack.extend((child, False) for child in reversed(self.waiting.pop(post_id, [])))

    def _parent_page(self, ctx: WordPressContext, item: WxrItem, missing: bool) -> Page | None:
        """The parent page in Paddock; None in a dry run."""
        parent = _parent_id(item)
        written = self.written.get(parent) if parent else None
        if parent and (missing or written is None):
            why = "is not in the export" if missing else "was not imported"
            ctx.report.warn(_what(item), f"its parent page {parent} {why}: under the home page")
        if ctx.dry_run:
            return None
        if written:
            return Page.objects.get(pk=written)
        return ctx.home


def _parent_id(item: WxrItem) -> str:
    parent = item.post_parent.strip()
    return "" if parent in ("", "0") or parent == item.post_id.strip() else parent


def _what(item: WxrItem) -> str:
    return f'page {item.post_id.strip() or "?"} "{short(item.title)}"'


def _menu_order_of(item: WxrItem) -> int:
    try:
        return int(item.menu_order.strip() or 0)
    except ValueError:
        return 0


def page_import(*, ctx: WordPressContext, item: WxrItem, parent: Page | None) -> Written:
    """A WordPress page with its old permalink's redirect, in one transaction: created the first
    time, updated (and moved, when its parent changed) when the export changed, left alone
    otherwise. Returns what it became."""
    post_id = item.post_id.strip()
    what = _what(item)
    status = item.status.strip()
    if status in IGNORED_STATUSES:
        ctx.report.ignore(f"{status} pages")
        return None
    try:
        if not post_id.isdigit():
            raise Skip("it has no numeric <wp:post_id>")
        if status not in POST_STATUSES:
            raise Skip(f"its status {status!r} is not one WordPress uses for pages")
        fields = post_fields(item)
    except Skip as skip:
        ctx.report.skip("pages", what, str(skip))
        ctx.report.count("comments", "skipped", len(item.comments))
        return None
    mapping = mapping_get(ctx, Kind.PAGE, post_id)
    if seen_before(ctx, Kind.PAGE, post_id, mapping):
        ctx.report.skip("pages", what, "duplicate id: an earlier page in this file has it")
        ctx.report.count("comments", "skipped", len(item.comments))
        return None
    rows = wp_comment_rows(ctx=ctx, comments=item.comments, post=what)
    for note in fields.notes:
        ctx.report.warn(what, note)
    resolver, _lead_image_id, images_seen = image_resolver(ctx, item)
    checksum = digest(
        item.title, item.post_name, item.content, item.excerpt, item.status, item.post_date_gmt,
        item.post_date, item.post_modified_gmt, item.creator, item.post_password, item.link,
        item.post_parent, parent.pk if parent else None, images_seen,
    )  # fmt: skip
    if ctx.dry_run:
        ctx.report.count("pages", outcome_of(mapping, checksum))
        existing = existing_comments(ctx, [row.source_id for row in rows])
        ctx.report.count("comments", "imported", sum(r.source_id not in existing for r in rows))
        ctx.report.count("comments", "unchanged", sum(r.source_id in existing for r in rows))
        return 0
    contributor = contributor_for_login(ctx=ctx, login=fields.creator, post=what)
    writer = contributor.user if contributor and contributor.user_id else None
    tally = Tally()
    with transaction.atomic(), disable_reference_index_auto_update():
        page = _page_write(
            ctx, item=item, fields=fields, parent=parent, mapping=mapping, checksum=checksum,
            resolver=resolver, writer=writer, what=what, tally=tally,
        )  # fmt: skip
        if page is not None:
            ReferenceIndex.create_or_update_for_object(page)
            if fields.status in ("publish", "future"):
                redirect_ensure(ctx, page=page, link=item.link, what=what, tally=tally)
            comments_write(ctx=ctx, article_id=page.pk, rows=rows, what=what, tally=tally)
        else:
            tally.count("comments", "skipped", len(rows))
    tally.apply(ctx.report)
    return page.pk if page is not None else None


def _page_write(
    ctx: WordPressContext,
    *,
    item: WxrItem,
    fields,
    parent: Page,
    mapping: ImportedObject | None,
    checksum: str,
    resolver,
    writer,
    what: str,
    tally: Tally,
) -> StandardPage | None:
    post_id = item.post_id.strip()
    data = {"menu_order": _menu_order_of(item), "link": item.link, "guid": item.guid}
    page, done = page_reimported(
        ctx,
        StandardPage,
        mapping,
        checksum,
        kind="pages",
        what=what,
        tally=tally,
        edited="edited in Paddock since it was imported, so the newer export's changes were "
        "not applied",
    )
    if done:
        return page
    body = convert.rich_text(item.content, images=resolver)
    publish = fields.status in ("publish", "future")
    go_live_at = fields.published_at if fields.status == "future" else None
    if page is None:
        slug = free_slug(parent, fields.slug)
        if slug != fields.slug:
            tally.warn(what, f'its slug "{fields.slug}" is taken there: now "{slug}"')
        page, revision = standard_page_create(
            parent=parent,
            title=fields.title,
            slug=slug,
            introduction=fields.standfirst,
            body=body,
            writer=writer,
            publish=publish,
            first_published_at=fields.published_at,
            last_published_at=fields.modified_at or fields.published_at,
            go_live_at=go_live_at,
        )
        outcome = "imported"
    else:
        slug = page.slug
        if fields.slug != page.slug or page.get_parent().pk != parent.pk:
            slug = free_slug(parent, fields.slug, exclude=page.pk)
        revision = standard_page_update(
            page=page,
            parent=parent,
            title=fields.title,
            slug=slug,
            introduction=fields.standfirst,
            body=body,
            publish=publish,
            writer=writer,
            go_live_at=go_live_at,
            last_published_at=fields.modified_at or fields.published_at,
        )
        outcome = "updated"
    tally.count("pages", outcome)
    mapping_save(
        ctx,
        kind=Kind.PAGE,
        source_id=post_id,
        obj=page,
        checksum=checksum,
        mapping=mapping,
        source_url=url_key(item.link),
        data={**data, "revision": revision.pk},
    )
    return page


def _menu_order(ctx: WordPressContext) -> None:
    """Siblings in WordPress's order (menu_order, then title), after the parent's other
    children; only families whose order is not that already are moved."""
    rows = ImportedObject.objects.filter(
        source=ctx.source, site=ctx.site_key, kind=Kind.PAGE, last_run_id=ctx.run_id
    ).values_list("object_id", "data")
    order = {pk: (data or {}).get("menu_order", 0) for pk, data in rows if pk}
    families: dict[str, list[tuple]] = defaultdict(list)
    for pk, path, title in StandardPage.objects.filter(pk__in=order).values_list(
        "pk", "path", "title"
    ):
        families[path[: -Page.steplen]].append((order[pk], title.lower(), pk))
    # Keyed by the parent's id, not its path: moving one family changes the paths below it.
    parents = dict(Page.objects.filter(path__in=list(families)).values_list("path", "pk"))
    for parent_path, children in families.items():
        if len(children) < 2:
            continue
        parent = Page.objects.get(pk=parents[parent_path])
        standard_pages_order(parent=parent, page_ids=[pk for *_, pk in sorted(children)])
