"""The WordPress import end to end: the passes over the file, the progress line and the report.

It takes two streaming passes. The first reads the whole file, so that a broken or unknown
file is refused before any post is written; it downloads attachments on the way (they usually
come after the posts that show them) and, once the file has been read to the end, writes
authors and tags. The second imports posts, each with its comments in one transaction, and
pages, each under its parent page (pages.py).

An error in one item is that item's alone: the report says what failed and why, the traceback
goes to the log at debug level, and the import goes on with the next item.
"""

from __future__ import annotations

import logging
import os

from ..context import (
    Options,
    home_ensure,
    import_run_finish,
    import_run_start,
    short,
    site_key,
)
from ..downloads import Downloader
from ..models import Source
from ..parsers import ExportError, ExportFile
from ..report import ImportReport
from .authors import category_remember, contributor_import, tag_import
from .context import WordPressContext
from .pages import PageTree
from .parsers import WxrAuthor, WxrItem, WxrSite, WxrTerm, read_wxr
from .posts import attachment_import, post_import, search_deferred

logger = logging.getLogger(__name__)

# Post types that are not articles and that Paddock has no place for.
IGNORED_TYPES = {
    "nav_menu_item",
    "revision",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "wp_font_family",
    "wp_font_face",
}


def wordpress_import(path: str, *, options: Options) -> tuple[WordPressContext, str]:
    """Import a WXR file; returns the context (with its report) and a one-line description."""
    export = ExportFile(path)
    report = ImportReport()
    ctx = WordPressContext(
        source=Source.WORDPRESS,
        report=report,
        dry_run=options.dry_run,
        downloader=Downloader() if options.download and not options.dry_run else None,
    )
    progress = options.progress
    site: WxrSite | None = None
    authors: list[WxrAuthor] = []
    tags: list[WxrTerm] = []

    # Pass 1: check the whole file; fetch attachments; remember authors, categories and tags.
    stream, counter = export.open()
    with stream:
        if progress:
            progress.start("1/2 checking, attachments")
        for record in read_wxr(stream):
            if isinstance(record, WxrSite):
                site = record
                ctx.site_key = site_key(site.base_site_url or site.base_blog_url or site.link)
                if not ctx.site_key:
                    raise ExportError(
                        "The export does not say which site it comes from (no base_site_url "
                        "nor link), so its ids could not be told apart from another site's."
                    )
                home_ensure(ctx=ctx, title=site.title)
                import_run_start(ctx=ctx, file_name=os.path.basename(path), file_size=export.size)
            elif isinstance(record, WxrAuthor):
                authors.append(record)
            elif isinstance(record, WxrTerm):
                if record.kind == "category":
                    category_remember(ctx=ctx, term=record)
                else:
                    tags.append(record)
            elif isinstance(record, WxrItem) and record.post_type.strip() == "attachment":
                attachment_import(ctx=ctx, item=record)
            if progress:
                progress.tick(counter.bytes_read)
        if progress:
            progress.done(counter.bytes_read)
    assert site is not None
    for author in authors:
        contributor_import(ctx=ctx, author=author)
    for tag in tags:
        tag_import(ctx=ctx, term=tag)
    del authors, tags

    # Pass 2: posts, each with its comments, and pages.
    pages = PageTree()
    stream, counter = export.open()
    with stream, search_deferred():
        if progress:
            progress.start("2/2 posts, pages and comments")
        for record in read_wxr(stream):
            if isinstance(record, WxrItem):
                post_type = record.post_type.strip()
                if post_type == "post":
                    _guarded(ctx, "posts", record, post_import)
                elif post_type == "page":
                    _guarded(ctx, "pages", record, pages.add)
                elif post_type in IGNORED_TYPES:
                    report.ignore(f"{post_type} items")
                elif post_type != "attachment":
                    report.skip(
                        "posts",
                        f"{post_type or 'untyped'} item {record.post_id}",
                        f"the post type {post_type!r} is not imported",
                    )
            if progress:
                progress.tick(counter.bytes_read)
        pages.finish(ctx=ctx)
        if progress:
            progress.done(counter.bytes_read)
    import_run_finish(ctx=ctx)
    return ctx, f"WXR {site.version} export of {ctx.site_key}"


def _guarded(ctx: WordPressContext, kind: str, item: WxrItem, importer) -> None:
    """Import one item; an error that escapes its importer (which reports what it can foresee)
    skips this item only."""
    try:
        importer(ctx=ctx, item=item)
    except Exception as exc:
        logger.debug("WordPress item %s failed", item.post_id, exc_info=True)
        ctx.report.skip(
            kind,
            f"{item.post_type.strip() or 'item'} {item.post_id.strip() or '?'} "
            f'"{short(item.title)}"',
            f"it failed ({exc.__class__.__name__}: {short(str(exc), 200)})",
        )
