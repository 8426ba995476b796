"""The Disqus import end to end. It takes one pass: threads come first in Disqus exports and
are matched to articles; posts follow and are written in batches.
"""

from __future__ import annotations

import os

from ..comments import CommentRow
from ..context import (
    Options,
    home_ensure,
    import_run_finish,
    import_run_start,
)
from ..models import Source
from ..parsers import ExportFile
from ..report import ImportReport
from .parsers import DisqusPost, DisqusThread, read_disqus
from .services import (
    DisqusContext,
    disqus_comment_row,
    disqus_comments_import,
    thread_match,
    thread_record,
)

DISQUS_BATCH = 500


def disqus_import(path: str, *, options: Options) -> tuple[DisqusContext, str]:
    """Import a Disqus XML export onto the articles its threads match."""
    export = ExportFile(path)
    report = ImportReport()
    ctx = DisqusContext(source=Source.DISQUS, report=report, dry_run=options.dry_run)
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
