"""WordPress posts with their attachments, redirects and comments.

A post and its comments are one transaction: a failure anywhere leaves nothing of that post.
Attachments come first (the first pass downloads them), so that a post can embed the images it
shows; a post's old permalink redirects to its article.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.newsroom.models import ArticlePage, Contributor, SectionPage
from paddock.newsroom.services import article_create, article_update, image_create, image_retitle

from ..comments import CommentRow, comments_write, existing_comments, guest_fields, ip_or_none
from ..context import (
    LIMITS,
    Kind,
    Skip,
    Tally,
    check_length,
    date_or_none,
    digest,
    free_slug,
    mapping_get,
    mapping_save,
    mapping_touch,
    outcome_of,
    page_reimported,
    sane_date,
    seen_before,
    short,
    url_key,
)
from ..convert import comment_markdown
from ..downloads import DownloadFailed
from ..models import ImportedObject
from . import convert
from .authors import UNCATEGORISED, clean_slug, contributor_for_login, section_ensure
from .context import WordPressContext
from .parsers import WxrComment, WxrItem

logger = logging.getLogger(__name__)

# WordPress post statuses that are not content (autosaves, revisions, the bin).
IGNORED_STATUSES = {"auto-draft", "inherit", "trash"}
POST_STATUSES = {"publish", "draft", "pending", "future", "private"}

# WordPress comment_approved → Paddock's status.
COMMENT_STATUS = {
    "1": Comment.Status.PUBLISHED,
    "approve": Comment.Status.PUBLISHED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REJECTED,
    "post-trashed": Comment.Status.REJECTED,
}


@contextmanager
def search_deferred() -> Iterator[None]:
    """Articles are saved more than once on import (created, then revised, and on updates
    published), and each save would update the search index at once; inside this block they
    are indexed once, when their post has committed (`post_import` does it). Wagtail offers
    this for its reference index (disable_reference_index_auto_update) but not for search,
    hence the signal."""
    disconnected = post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        yield
    finally:
        if disconnected:
            post_save.connect(post_save_signal_handler, sender=ArticlePage)


def attachment_import(*, ctx: WordPressContext, item: WxrItem) -> None:
    """An attachment's image downloaded into Wagtail's library when reachable and valid; either
    way its URL is recorded, so posts can link to what could not be fetched."""
    source_id = item.post_id.strip()
    url = (item.attachment_url or item.guid).strip()
    what = f"attachment {source_id or '?'} ({short(url, 80)})"
    if not source_id.isdigit() or not url:
        ctx.report.skip("attachments", what, "it has no numeric id or no URL")
        return
    mapping = mapping_get(ctx, Kind.ATTACHMENT, source_id)
    if seen_before(ctx, Kind.ATTACHMENT, source_id, mapping):
        ctx.report.skip("attachments", what, "duplicate id: an earlier attachment has it")
        return
    ImageModel = get_image_model()  # noqa: N806
    image = None
    if mapping is not None and mapping.object_id:
        image = ImageModel.objects.filter(pk=mapping.object_id).first()
    title = convert.plain_text(item.title)[:255] or convert.file_name(url)[:255] or source_id
    checksum = digest(url, title)
    if image is not None:
        if ctx.dry_run:
            ctx.report.count("attachments", "unchanged")
        elif mapping.checksum != checksum:
            image_retitle(image=image, title=title)
            mapping_save(
                ctx,
                kind=Kind.ATTACHMENT,
                source_id=source_id,
                obj=image,
                checksum=checksum,
                mapping=mapping,
                source_url=url_key(url, attachment=True),
            )
            ctx.report.count("attachments", "updated")
        else:
            mapping_touch(ctx, mapping)
            ctx.report.count("attachments", "unchanged")
        return
    if ctx.dry_run:
        ctx.report.count("attachments", "imported")
        return
    reason = "downloads are off (--no-download)"
    if ctx.downloader is not None:
        try:
            downloaded = ctx.downloader.fetch_image(url)
        except DownloadFailed as failed:
            reason = str(failed)
        else:
            file_hash = hash_filelike(BytesIO(downloaded.data))
            image = ImageModel.objects.filter(file_hash=file_hash).first() or image_create(
                title=title, data=downloaded.data, filename=downloaded.filename
            )
    mapping_save(
        ctx,
        kind=Kind.ATTACHMENT,
        source_id=source_id,
        obj=image,
        checksum=checksum,
        mapping=mapping,
        source_url=url_key(url, attachment=True),
        data={"url": url},
    )
    if image is not None:
        ctx.report.count("attachments", "imported")
    else:
        ctx.report.ignore("attachments kept as links to the old site")
        ctx.report.warn(what, f"not downloaded, {reason}: posts link to its URL instead")


def image_resolver(ctx: WordPressContext, item: WxrItem):
    """A resolver for the images this post shows (one query), and what it resolved, for the
    checksum: a post is converted again once an image it shows has been downloaded."""
    srcs, ids = convert.image_refs(item.content)
    thumbnail = item.meta.get("_thumbnail_id", "").strip()
    if thumbnail.isdigit():
        ids.add(thumbnail)
    if not srcs and not ids:
        return convert.no_images, None, ()
    keys = {url_key(src, attachment=True) for src in srcs}
    rows = list(
        ImportedObject.objects.filter(source=ctx.source, site=ctx.site_key, kind=Kind.ATTACHMENT)
        .filter(Q(source_id__in=ids) | Q(source_url__in=keys))
        .values_list("source_id", "source_url", "object_id", "data")
    )
    by_id = {sid: (oid, (data or {}).get("url", "")) for sid, _, oid, data in rows}
    by_url = {key: oid for _, key, oid, _ in rows if oid}

    def resolve(src: str, attachment_id: str) -> tuple[int | None, str]:
        image_id, url = by_id.get(attachment_id, (None, ""))
        if not image_id and src:
            image_id = by_url.get(url_key(src, attachment=True))
        return image_id, url

    lead_image_id = by_id.get(thumbnail, (None, ""))[0]
    return resolve, lead_image_id, tuple(sorted((sid, oid or 0) for sid, _, oid, _ in rows))


@dataclass
class PostFields:
    title: str
    slug: str
    standfirst: str
    status: str  # publish, draft, future
    published_at: dt.datetime | None
    modified_at: dt.datetime | None
    section_slug: str
    section_name: str
    tags: list[str]
    creator: str
    comments_closed: bool
    notes: list[str]


def post_fields(item: WxrItem) -> PostFields:
    title = convert.plain_text(item.title) if "<" in item.title else " ".join(item.title.split())
    check_length("title", title)
    check_length("body", item.content)
    check_length("excerpt", item.excerpt)
    post_id = item.post_id.strip()
    notes = []
    if not title:
        title = f"Untitled (WordPress post {post_id})"
        notes.append(f'it has no title; it is called "{title}"')
    slug = clean_slug(item.post_name, title)
    check_length("slug", slug)
    status = item.status.strip()
    if status == "private":
        notes.append("it was private, and Paddock has no private articles: imported as a draft")
        status = "draft"
    elif status == "pending":
        status = "draft"
    if item.post_password.strip() and status in ("publish", "future"):
        notes.append("it was password-protected: imported as a draft, not published")
        status = "draft"
    published_at = date_or_none(item.post_date_gmt)
    if published_at is None and item.pub_date.strip() and status != "draft":
        try:
            published_at = sane_date(email.utils.parsedate_to_datetime(item.pub_date.strip()))
        except (TypeError, ValueError):
            published_at = None
    if published_at is None and status != "draft":
        published_at = date_or_none(item.post_date)
        if published_at is None:
            raise Skip(
                f"its date is broken (post_date_gmt {item.post_date_gmt!r}, post_date "
                f"{item.post_date!r}, pubDate {item.pub_date!r}); a {item.status} post needs one"
            )
        notes.append("its GMT date is missing or broken: the local post_date was taken as UTC")
    modified_at = date_or_none(item.post_modified_gmt)
    categories = [(nicename, name) for domain, nicename, name in item.terms if domain == "category"]
    if not categories and any(domain == "" for domain, _, _ in item.terms):
        # WXR 1.0 writes a post's categories a second time without a domain.
        categories = [(slugify(name), name) for domain, _, name in item.terms if domain == ""]
    if categories:
        section_slug = clean_slug(categories[0][0], categories[0][1])
        section_name = categories[0][1] or categories[0][0]
    else:
        section_slug, section_name = UNCATEGORISED
    # Categories after the first have no section of their own: they become tags, so nothing
    # is lost. The same name twice (case aside) is one tag.
    names = [name for _, name in categories[1:]]
    names += [name for domain, _, name in item.terms if domain in ("post_tag", "tag")]
    tags: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > LIMITS["tag name"]:
            notes.append(f"a tag of {len(name):,} characters was left out")
            continue
        tags.setdefault(name.lower(), name)
    excerpt = convert.plain_text(item.excerpt) if item.excerpt.strip() else ""
    return PostFields(
        title=title,
        slug=slug,
        standfirst=excerpt,
        status=status,
        published_at=published_at if status in ("publish", "future") else None,
        modified_at=modified_at,
        section_slug=section_slug,
        section_name=section_name,
        tags=sorted(tags.values(), key=str.lower),
        creator=item.creator.strip(),
        comments_closed=item.comment_status.strip() == "closed",
        notes=notes,
    )


def post_import(*, ctx: WordPressContext, item: WxrItem) -> None:
    """A WordPress post with its comments and its old permalink's redirect, in one transaction:
    created the first time, updated when the export changed, left alone otherwise."""
    post_id = item.post_id.strip()
    what = f'post {post_id or "?"} "{short(item.title)}"'
    status = item.status.strip()
    if status in IGNORED_STATUSES:
        ctx.report.ignore(f"{status} posts")
        return
    try:
        if not post_id.isdigit():
            raise Skip("it has no numeric <wp:post_id>")
        if status not in POST_STATUSES:
            raise Skip(f"its status {status!r} is not one WordPress uses for posts")
        fields = post_fields(item)
    except Skip as skip:
        ctx.report.skip("posts", what, str(skip))
        ctx.report.count("comments", "skipped", len(item.comments))
        return
    mapping = mapping_get(ctx, Kind.POST, post_id)
    if seen_before(ctx, Kind.POST, post_id, mapping):
        ctx.report.skip("posts", what, "duplicate id: an earlier post in this file has it")
        ctx.report.count("comments", "skipped", len(item.comments))
        return
    rows = wp_comment_rows(ctx=ctx, comments=item.comments, post=what)
    # Authors and sections are shared by many posts: they are written in their own
    # transactions, so that one post's rollback cannot take them from the next.
    contributor = contributor_for_login(ctx=ctx, login=fields.creator, post=what)
    section = section_ensure(ctx=ctx, slug=fields.section_slug, name=fields.section_name)
    resolver, lead_image_id, images_seen = image_resolver(ctx, item)
    checksum = digest(
        item.title, item.post_name, item.content, item.excerpt, item.status, item.post_date_gmt,
        item.post_date, item.post_modified_gmt, item.terms, item.creator, item.comment_status,
        item.post_password, item.link, images_seen,
    )  # fmt: skip
    for note in fields.notes:
        ctx.report.warn(what, note)
    if ctx.dry_run:
        ctx.report.count("posts", outcome_of(mapping, checksum))
        existing = existing_comments(ctx, [row.source_id for row in rows])
        ctx.report.count("comments", "imported", sum(r.source_id not in existing for r in rows))
        ctx.report.count("comments", "unchanged", sum(r.source_id in existing for r in rows))
        return
    if section is None:
        ctx.report.skip("posts", what, f'its section "{fields.section_name}" was not imported')
        ctx.report.count("comments", "skipped", len(rows))
        return
    tally = Tally()
    try:
        with transaction.atomic(), disable_reference_index_auto_update():
            article = _article_write(
                ctx, item=item, fields=fields, mapping=mapping, checksum=checksum,
                section=section, contributor=contributor, resolver=resolver,
                lead_image_id=lead_image_id, what=what, tally=tally,
            )  # fmt: skip
            if article is not None:
                # Indexed once per post, not at each of the saves above (see search_deferred).
                ReferenceIndex.create_or_update_for_object(article)
                transaction.on_commit(partial(search_index.insert_or_update_object, article))
                if fields.status in ("publish", "future"):
                    redirect_ensure(ctx, page=article, link=item.link, what=what, tally=tally)
                comments_write(ctx=ctx, article_id=article.pk, rows=rows, what=what, tally=tally)
            else:
                tally.count("comments", "skipped", len(rows))
    except Exception as exc:
        # The report says what failed; the traceback is for whoever debugs the importer.
        logger.debug("WordPress post %s failed", post_id, exc_info=True)
        ctx.report.skip(
            "posts",
            what,
            f"it failed and nothing of it was written ({exc.__class__.__name__}: "
            f"{short(str(exc), 200)}); its {len(rows):,} comments were not imported either",
        )
        ctx.report.count("comments", "skipped", len(rows))
        return
    tally.apply(ctx.report)


def _article_write(
    ctx: WordPressContext,
    *,
    item: WxrItem,
    fields: PostFields,
    mapping: ImportedObject | None,
    checksum: str,
    section: SectionPage,
    contributor: Contributor | None,
    resolver,
    lead_image_id: int | None,
    what: str,
    tally: Tally,
) -> ArticlePage | None:
    """Create, update or keep the article; None when it cannot take comments (deleted)."""
    post_id = item.post_id.strip()
    article, done = page_reimported(
        ctx,
        ArticlePage,
        mapping,
        checksum,
        kind="posts",
        what=what,
        tally=tally,
        edited="edited in Paddock since it was imported, so the newer export's changes were "
        "not applied (its new comments were)",
    )
    if done:
        return article

    body = convert.rich_text(item.content, images=resolver)
    publish = fields.status in ("publish", "future")
    go_live_at = fields.published_at if fields.status == "future" else None
    if go_live_at and go_live_at <= timezone.now():
        tally.warn(what, "it was scheduled for a date now past: published at once")
        go_live_at = None
    owner = contributor.user if contributor and contributor.user_id else None
    authors = [contributor] if contributor else []

    if article is None:
        slug = free_slug(section, fields.slug)
        if slug != fields.slug:
            tally.warn(what, f'its slug "{fields.slug}" is taken in the section: now "{slug}"')
        article, revision = article_create(
            section=section,
            title=fields.title,
            slug=slug,
            standfirst=fields.standfirst,
            body=body,
            writer=owner,
            publisher=owner,
            publish=publish,
            published_at=fields.published_at,
            last_published_at=fields.modified_at or fields.published_at,
            go_live_at=go_live_at,
            comments_closed=fields.comments_closed,
            lead_image_id=lead_image_id,
            authors=authors,
            tags=fields.tags,
        )
        outcome = "imported"
    else:
        slug = article.slug
        if fields.slug != article.slug:
            slug = free_slug(section, fields.slug, exclude=article.pk)
        revision = article_update(
            article=article,
            section=section,
            title=fields.title,
            slug=slug,
            standfirst=fields.standfirst,
            body=body,
            published_at=fields.published_at or article.published_at,
            go_live_at=go_live_at,
            comments_closed=fields.comments_closed,
            lead_image_id=lead_image_id,
            tags=fields.tags,
            authors=authors,
            publish=publish,
            last_published_at=fields.modified_at or fields.published_at,
            writer=owner,
        )
        outcome = "updated"
    tally.count("posts", outcome)
    mapping_save(
        ctx,
        kind=Kind.POST,
        source_id=post_id,
        obj=article,
        checksum=checksum,
        mapping=mapping,
        source_url=url_key(item.link),
        data={"revision": revision.pk, "link": item.link, "guid": item.guid},
    )
    return article


def redirect_ensure(ctx: WordPressContext, *, page: Page, link: str, what: str, tally) -> None:
    """A permanent redirect from a post's or page's WordPress permalink path to its page."""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return
    path = parts.path or "/"
    if path == "/" and parts.query:
        path = f"/?{parts.query}"  # plain permalinks: /?p=123
    old_path = Redirect.normalise_path(path)
    if not link.strip() or old_path == "/":
        return
    if len(old_path) > 255:
        tally.warn(what, f"its permalink path is {len(old_path)} characters: no redirect")
        return
    # The page's path on the site whose root is the home page (what relative_url() gives,
    # without recomputing every site's root paths).
    new_path = "/" + page.url_path[len(ctx.home.url_path) :]
    if Redirect.normalise_path(new_path) == old_path:
        return  # the old address is the new one
    existing = Redirect.objects.filter(site=ctx.wagtail_site, old_path=old_path).first()
    if existing is None:
        Redirect.objects.create(
            site=ctx.wagtail_site, old_path=old_path, redirect_page=page, is_permanent=True
        )
        tally.count("redirects", "imported")
    elif existing.redirect_page_id == page.pk:
        tally.count("redirects", "unchanged")
    else:
        tally.skip("redirects", what, f"{old_path} already redirects elsewhere; left as it was")


def wp_comment_rows(
    *, ctx: WordPressContext, comments: list[WxrComment], post: str
) -> list[CommentRow]:
    """The post's comments that can be imported; the rest are reported with their reason."""
    rows: list[CommentRow] = []
    seen: set[str] = set()
    for comment in comments:
        source_id = comment.id.strip()
        what = f"comment {source_id or '?'} on {post}"
        kind = comment.type.strip()
        if kind in ("pingback", "trackback"):
            ctx.report.ignore(f"{kind}s")
            continue
        try:
            if not source_id.isdigit():
                raise Skip("it has no numeric <wp:comment_id>")
            if source_id in seen:
                raise Skip("duplicate id: an earlier comment on this post has it")
            check_length("comment", comment.content)
            name, email, url = guest_fields(
                ctx, what, comment.author, comment.author_email, comment.author_url
            )
            created_at = date_or_none(comment.date_gmt) or date_or_none(comment.date)
            if created_at is None:
                raise Skip(
                    f"its date is broken (comment_date_gmt {comment.date_gmt!r}, "
                    f"comment_date {comment.date!r})"
                )
            body = markup.clean_text(comment_markdown(comment.content))
            if not body:
                raise Skip("it is empty once its markup is removed")
        except Skip as skip:
            ctx.report.skip("comments", what, str(skip))
            continue
        seen.add(source_id)
        approved = comment.approved.strip()
        status = COMMENT_STATUS.get(approved)
        if status is None:
            ctx.report.warn(what, f"unknown state {approved!r}: held for review")
            status = Comment.Status.PENDING
        parent = comment.parent.strip()
        user_id = ctx.author_users.get(comment.user_id.strip()) if comment.user_id else None
        rows.append(
            CommentRow(
                source_id=source_id,
                parent_id="" if parent in ("", "0") else parent,
                created_at=created_at,
                body=body,
                status=status,
                user_id=user_id,
                name=name,
                email=email,
                url=url,
                ip_address=ip_or_none(comment.author_ip),
                checksum=digest(
                    comment.content,
                    approved,
                    comment.author,
                    comment.author_email,
                    comment.author_url,
                    comment.date_gmt,
                    comment.date,
                    parent,
                    user_id,
                ),  # fmt: skip
            )
        )
    return rows
