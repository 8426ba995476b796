"""Disqus threads matched to the articles they belong to, and their posts written as comments,
a batch of the file in one transaction."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from paddock.accounts.display_names import DELETED_TEXT
from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.newsroom.models import ArticlePage

from .. import convert
from ..comments import CommentRow, comments_write, existing_comments, guest_fields, ip_or_none
from ..context import (
    ImportContext,
    Kind,
    Skip,
    Tally,
    check_length,
    digest,
    mapping_get,
    mapping_save,
    mapping_touch,
    parse_iso_date,
    short,
    url_key,
)
from ..models import ImportedObject, Source
from .parsers import DisqusPost, DisqusThread

logger = logging.getLogger(__name__)


@dataclass
class DisqusContext(ImportContext):
    """A Disqus run, with the article each thread of the file went to (None: no match)."""

    threads: dict[str, int | None] = field(default_factory=dict)


def disqus_comment_row(*, ctx: DisqusContext, post: DisqusPost) -> CommentRow | None:
    what = f"Disqus post {post.id or '?'}"
    try:
        if not post.id:
            raise Skip("it has no dsq:id")
        check_length("comment", post.message)
        name, email, _ = guest_fields(ctx, what, post.author_name, post.author_email, "")
        username = post.author_username.strip()
        url = ""
        if username and not post.author_anonymous and re.fullmatch(r"[\w.-]{1,100}", username):
            url = f"https://disqus.com/by/{username}/"
        try:
            created_at = parse_iso_date(post.created_at)
        except ValueError as exc:
            raise Skip(f"its date {post.created_at!r} is broken") from exc
        body = markup.clean_text(convert.comment_markdown(post.message))
        if not body and not post.is_deleted:
            raise Skip("it is empty once its markup is removed")
    except Skip as skip:
        ctx.report.skip("comments", what, str(skip))
        return None
    return CommentRow(
        source_id=post.id,
        parent_id=post.parent_id,
        created_at=created_at,
        body=DELETED_TEXT if post.is_deleted else body,
        status=Comment.Status.SPAM if post.is_spam else Comment.Status.PUBLISHED,
        is_deleted=post.is_deleted,
        name=name or ("Guest" if post.author_anonymous else ""),
        email=email,
        url=url,
        ip_address=ip_or_none(post.ip_address),
        original=body if post.is_deleted else "",
        checksum=digest(
            post.message,
            post.created_at,
            post.is_deleted,
            post.is_spam,
            post.author_name,
            post.author_email,
            post.author_username,
            post.parent_id,
        ),  # fmt: skip
    )


_WP_IDENTIFIER = re.compile(r"^(\d+)(?:\s+(\S+))?$")


def thread_match(*, ctx: DisqusContext, thread: DisqusThread) -> tuple[int | None, str]:
    """The article a Disqus thread belongs to, and how it was found: by an earlier import of
    the thread, by its identifier (the Disqus WordPress plugin writes "<post id> <guid>"; a
    slug also works), or by its URL (the article's own, or a WordPress permalink redirected to
    it)."""
    mapping = mapping_get(ctx, Kind.THREAD, thread.id)
    if mapping and ArticlePage.objects.filter(pk=mapping.object_id).exists():
        return mapping.object_id, "earlier import"
    identifier = thread.identifier
    wp_match = _WP_IDENTIFIER.match(identifier)
    if wp_match:
        posts = ImportedObject.objects.filter(
            source=Source.WORDPRESS, kind=Kind.POST, source_id=wp_match.group(1)
        )
        if wp_match.group(2):
            host = urlsplit(wp_match.group(2)).hostname or ""
            posts = [p for p in posts if p.site.split("/")[0] == host] or list(posts)
        candidates = {p.object_id for p in posts}
        if len(candidates) == 1:
            return candidates.pop(), "identifier (WordPress post id)"
    elif identifier:
        found = list(ArticlePage.objects.filter(slug=identifier).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found[0], "identifier (slug)"
    if thread.link:
        article_id = _article_for_url(ctx, thread.link)
        if article_id:
            return article_id, "URL"
    return None, ""


def _article_for_url(ctx: DisqusContext, link: str) -> int | None:
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    path = parts.path or "/"
    if path == "/" and parts.query:
        path = f"/?{parts.query}"
    old_path = Redirect.normalise_path(path)
    redirect = (
        Redirect.objects.filter(old_path=old_path, redirect_page__isnull=False)
        .filter(Q(site=ctx.wagtail_site) | Q(site__isnull=True))
        .values_list("redirect_page_id", flat=True)
        .first()
    )
    if redirect and ArticlePage.objects.filter(pk=redirect).exists():
        return redirect
    for site in Site.objects.select_related("root_page"):
        url_path = site.root_page.url_path + unquote(path).strip("/") + "/"
        found = ArticlePage.objects.filter(url_path=url_path).values_list("pk", flat=True).first()
        if found:
            return found
    found = (
        ImportedObject.objects.filter(kind=Kind.POST, source_url=url_key(link))
        .values_list("object_id", flat=True)
        .first()
    )
    if found and ArticlePage.objects.filter(pk=found).exists():
        return found
    return None


def thread_record(*, ctx: DisqusContext, thread: DisqusThread, article_id: int) -> str:
    """Remember which article a thread went to; returns the outcome for the report."""
    mapping = mapping_get(ctx, Kind.THREAD, thread.id)
    if mapping is not None and mapping.object_id == article_id:
        mapping_touch(ctx, mapping)
        return "unchanged"
    if ctx.dry_run:
        return "imported" if mapping is None else "updated"
    article = ArticlePage(pk=article_id)
    mapping_save(
        ctx,
        kind=Kind.THREAD,
        source_id=thread.id,
        obj=article,
        checksum=digest(thread.link, thread.identifier),
        mapping=mapping,
        source_url=url_key(thread.link),
        data={"identifier": thread.identifier, "link": thread.link},
    )
    return "imported" if mapping is None else "updated"


def disqus_comments_import(
    *, ctx: DisqusContext, batch: dict[int, list[CommentRow]], labels: dict[int, str]
) -> None:
    """Comments of several articles (one batch of the file) in one transaction; when that
    fails, article by article, so that one bad thread costs only its own comments."""
    if ctx.dry_run:
        for rows in batch.values():
            existing = existing_comments(ctx, [row.source_id for row in rows])
            new = sum(1 for row in rows if row.source_id not in existing)
            ctx.report.count("comments", "imported", new)
            ctx.report.count("comments", "unchanged", len(rows) - new)
        return
    tally = Tally()
    try:
        with transaction.atomic():
            for article_id, rows in batch.items():
                comments_write(
                    ctx=ctx, article_id=article_id, rows=rows, what=labels[article_id], tally=tally
                )
    except Exception:
        logger.exception("A batch of Disqus comments failed; retrying article by article")
    else:
        tally.apply(ctx.report)
        return
    for article_id, rows in batch.items():
        tally = Tally()
        try:
            with transaction.atomic():
                comments_write(
                    ctx=ctx, article_id=article_id, rows=rows, what=labels[article_id], tally=tally
                )
        except Exception as exc:
            ctx.report.skip(
                "comments",
                f"{len(rows):,} Disqus comments on {labels[article_id]}",
                f"they failed and none was written ({exc.__class__.__name__}: "
                f"{short(str(exc), 200)})",
                n=len(rows),
            )
        else:
            tally.apply(ctx.report)
