"""The two imports end to end: the passes over the file, the progress line and the report.

WordPress takes two streaming passes. The first reads the whole file, so that a broken or
unknown file is refused before any post is written; it downloads attachments on the way (they
usually come after the posts that show them) and, once the file has been read to the end,
writes authors and tags. The second imports posts, each with its comments in one transaction.

Disqus takes one pass: threads come first in its exports and are matched to articles; posts
follow and are written in batches.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .downloads import Downloader
from .models import Source
from .parsers import (
    DisqusPost,
    DisqusThread,
    ExportError,
    ExportFile,
    WxrAuthor,
    WxrItem,
    WxrSite,
    WxrTerm,
    read_disqus,
    read_wxr,
)
from .report import ImportReport, Progress
from .services import (
    CommentRow,
    ImportContext,
    attachment_import,
    category_remember,
    contributor_import,
    disqus_comment_row,
    disqus_comments_import,
    home_ensure,
    import_run_finish,
    import_run_start,
    post_import,
    search_deferred,
    site_key,
    tag_import,
    thread_match,
    thread_record,
)

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
DISQUS_BATCH = 500


@dataclass
class Options:
    dry_run: bool = False
    download: bool = True
    progress: Progress | None = None


def wordpress_import(path: str, *, options: Options) -> tuple[ImportContext, str]:
    """Import a WXR file; returns the context (with its report) and a one-line description."""
    export = ExportFile(path)
    report = ImportReport()
    ctx = ImportContext(
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

    # Pass 2: posts, each with its comments.
    stream, counter = export.open()
    with stream, search_deferred():
        if progress:
            progress.start("2/2 posts and comments")
        for record in read_wxr(stream):
            if isinstance(record, WxrItem):
                post_type = record.post_type.strip()
                if post_type == "post":
                    post_import(ctx=ctx, item=record)
                elif post_type == "page":
                    report.skip(
                        "posts",
                        f'page {record.post_id} "{record.title[:60]}"',
                        "WordPress pages are not imported: Paddock has articles only",
                    )
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
        if progress:
            progress.done(counter.bytes_read)
    import_run_finish(ctx=ctx)
    return ctx, f"WXR {site.version} export of {ctx.site_key}"


def disqus_import(path: str, *, options: Options) -> tuple[ImportContext, str]:
    """Import a Disqus XML export onto the articles its threads match."""
    export = ExportFile(path)
    report = ImportReport()
    ctx = ImportContext(source=Source.DISQUS, report=report, dry_run=options.dry_run)
    progress = options.progress
    home_ensure(ctx=ctx)
    started = False
    threads: dict[str, DisqusThread | None] = {}  # unmatched threads, for the report
    unmatched_posts: dict[str, int] = {}
    batch: dict[int, list[CommentRow]] = {}
    labels: dict[int, str] = {}
    pending = 0

    def flush() -> None:
        nonlocal batch, pending
        if batch:
            disqus_comments_import(ctx=ctx, batch=batch, labels=labels)
        batch, pending = {}, 0

    stream, counter = export.open()
    with stream:
        if progress:
            progress.start("threads and posts")
        for record in read_disqus(stream):
            if not started:
                forum = record.forum if isinstance(record, DisqusThread) else ""
                ctx.site_key = forum or "disqus"
                import_run_start(ctx=ctx, file_name=os.path.basename(path), file_size=export.size)
                started = True
            if isinstance(record, DisqusThread):
                if record.id in ctx.threads:
                    report.skip("threads", f"thread {record.id}", "duplicate id in this file")
                    continue
                article_id, how = thread_match(ctx=ctx, thread=record)
                ctx.threads[record.id] = article_id
                if article_id is None:
                    threads[record.id] = record
                else:
                    labels[article_id] = f'thread {record.id} "{record.title[:60]}"'
                    outcome = thread_record(ctx=ctx, thread=record, article_id=article_id)
                    report.count("threads", outcome)
            elif isinstance(record, DisqusPost):
                if record.thread_id not in ctx.threads:
                    report.skip(
                        "comments",
                        f"Disqus post {record.id}",
                        f"its thread {record.thread_id or '(none)'} is not in the export",
                    )
                    continue
                article_id = ctx.threads[record.thread_id]
                if article_id is None:
                    unmatched_posts[record.thread_id] = unmatched_posts.get(record.thread_id, 0) + 1
                    continue
                row = disqus_comment_row(ctx=ctx, post=record)
                if row is None:
                    continue
                batch.setdefault(article_id, []).append(row)
                pending += 1
                if pending >= DISQUS_BATCH:
                    flush()
            if progress:
                progress.tick(counter.bytes_read)
        flush()
        if progress:
            progress.done(counter.bytes_read)
    for thread_id, thread in threads.items():
        count = unmatched_posts.get(thread_id, 0)
        if count:
            report.skip(
                "comments",
                f'thread {thread_id} "{thread.title[:60]}" ({thread.link or thread.identifier})',
                f"matches no article by identifier or URL; its {count:,} comments were not "
                "imported",
                n=count,
            )
            report.count("threads", "skipped")
        else:
            report.ignore("threads without comments that match no article")
    import_run_finish(ctx=ctx)
    return ctx, f"Disqus export of {ctx.site_key or 'an unknown forum'}"
