"""The comments both imports write: rows made ready from a source, written in bulk through the
comments app's services, with their guest authors and their import mapping.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from paddock.accounts.display_names import DELETED_TEXT
from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.comments.services import comments_bulk_create, comments_bulk_update
from paddock.core.db import rows_update

from . import convert
from .context import BATCH, ImportContext, Kind, check_length
from .models import ImportedCommentAuthor, ImportedObject


@dataclass
class CommentRow:
    """A source comment made ready to write."""

    source_id: str
    parent_id: str
    created_at: dt.datetime
    body: str
    status: str
    is_deleted: bool = False
    user_id: int | None = None
    name: str = ""
    email: str = ""
    url: str = ""
    ip_address: str | None = None
    original: str = ""
    checksum: str = ""


def guest_fields(ctx, what: str, name: str, email: str, url: str) -> tuple[str, str, str]:
    name = " ".join(name.split())
    check_length("author name", name)
    check_length("author email", email.strip())
    check_length("author URL", url.strip())
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            email = ""
    link = convert.safe_url(url.strip()) or ""
    if not link.startswith(("http://", "https://")):
        link = ""
    return name, email, link


def ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@dataclass
class _Existing:
    mapping_id: int
    object_id: int | None
    checksum: str
    last_run_id: int | None


def existing_comments(ctx: ImportContext, ids: Iterable[str]) -> dict[str, _Existing]:
    found: dict[str, _Existing] = {}
    ids = list(ids)
    for start in range(0, len(ids), 2000):
        for row in ImportedObject.objects.filter(
            source=ctx.source, site=ctx.site_key, kind=Kind.COMMENT,
            source_id__in=ids[start : start + 2000],
        ).values_list("source_id", "pk", "object_id", "checksum", "last_run_id"):  # fmt: skip
            found[row[0]] = _Existing(*row[1:])
    return found


def comments_write(
    *, ctx: ImportContext, article_id: int, rows: list[CommentRow], what: str, tally
) -> None:
    """Write the comments of one article in bulk, parents before their replies. The caller
    holds the transaction; counts go to `tally`, to be reported once it has committed."""
    if not rows:
        return
    parent_ids = {row.parent_id for row in rows if row.parent_id}
    existing = existing_comments(ctx, {row.source_id for row in rows} | parent_ids)
    comment_ids = [e.object_id for e in existing.values() if e.object_id]
    info = {
        pk: (article, depth, root)
        for start in range(0, len(comment_ids), 2000)
        for pk, article, depth, root in Comment.objects.filter(
            pk__in=comment_ids[start : start + 2000]
        ).values_list("pk", "article_id", "depth", "root_id")
    }
    new: dict[str, CommentRow] = {}
    changed: list[tuple[CommentRow, _Existing]] = []
    unchanged: list[int] = []
    seen: list[int] = []  # mapping rows to mark as seen in this run
    for row in rows:
        label = f"comment {row.source_id} on {what}"
        known = existing.get(row.source_id)
        if row.source_id in new:
            tally.skip("comments", label, "duplicate id: an earlier comment in this file has it")
        elif known is None:
            new[row.source_id] = row
        elif known.last_run_id == ctx.run_id:
            tally.skip("comments", label, "duplicate id: it was imported earlier in this file")
        elif known.object_id not in info:
            tally.skip("comments", label, "deleted in Paddock after an earlier import")
            seen.append(known.mapping_id)
        elif info[known.object_id][0] != article_id:
            tally.skip("comments", label, "duplicate id: a comment on another article has it")
        elif known.checksum == row.checksum:
            unchanged.append(known.mapping_id)
        else:
            changed.append((row, known))

    def old_parent(source_id: str) -> int | None:
        known = existing.get(source_id)
        if known and known.object_id in info and info[known.object_id][0] == article_id:
            return known.object_id
        return None

    # Each new comment's parent: another new one, one imported before, or none (top level).
    parents: dict[str, tuple[str, object] | None] = {}
    for row in new.values():
        parent = None
        if row.parent_id and row.parent_id != row.source_id:
            if row.parent_id in new:
                parent = ("new", row.parent_id)
            elif (pk := old_parent(row.parent_id)) is not None:
                parent = ("old", pk)
            else:
                tally.warn(
                    f"comment {row.source_id} on {what}",
                    f"its parent {row.parent_id} is missing: attached at the top level",
                )
        elif row.parent_id:
            tally.warn(f"comment {row.source_id} on {what}", "it is its own parent: top level")
        parents[row.source_id] = parent
    depths = _depths(parents, info, tally, what)

    by_depth: dict[int, list[CommentRow]] = defaultdict(list)
    for row in new.values():
        by_depth[depths[row.source_id]].append(row)
    # Parents before their replies: a reply names its parent in this list (written first) or
    # one imported before, and the comments app gives each its thread's root.
    objects: dict[str, Comment] = {}
    for depth in sorted(by_depth):
        for row in by_depth[depth]:
            parent = parents[row.source_id]
            html = DELETED_TEXT if row.is_deleted else markup.render(row.body)
            comment = Comment(
                article_id=article_id,
                depth=depth,
                author_id=row.user_id,
                body=row.body,
                body_html=html,
                body_text=DELETED_TEXT if row.is_deleted else markup.plain(html),
                status=row.status,
                is_deleted=row.is_deleted,
                ip_address=row.ip_address,
                created_at=row.created_at,
            )
            if parent is not None and parent[0] == "old":
                comment.parent_id = parent[1]
            elif parent is not None:
                comment.parent = objects[parent[1]]
            objects[row.source_id] = comment
    if new:
        comments_bulk_create(comments=list(objects.values()), batch_size=BATCH)
        pks = {sid: comment.pk for sid, comment in objects.items()}
        ImportedCommentAuthor.objects.bulk_create(
            [
                ImportedCommentAuthor(
                    comment_id=pks[sid], name=row.name, email=row.email, url=row.url
                )
                for sid, row in new.items()
                if row.name or row.email or row.url
            ],
            batch_size=BATCH,
        )
        comment_type = ContentType.objects.get_for_model(Comment)
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    source=ctx.source,
                    site=ctx.site_key,
                    kind=Kind.COMMENT,
                    source_id=sid,
                    content_type=comment_type,
                    object_id=pks[sid],
                    checksum=row.checksum,
                    last_run_id=ctx.run_id,
                    data={"original_body": row.original} if row.original else {},
                )
                for sid, row in new.items()
            ],
            batch_size=BATCH,
        )
        tally.count("comments", "imported", len(new))
    if changed:
        _comments_update(ctx, article_id, changed)
        tally.count("comments", "updated", len(changed))
    seen += unchanged
    for start in range(0, len(seen), 2000):
        ImportedObject.objects.filter(pk__in=seen[start : start + 2000]).update(
            last_run_id=ctx.run_id
        )
    tally.count("comments", "unchanged", len(unchanged))


def _depths(parents: dict, info: dict, tally, what: str) -> dict[str, int]:
    """Each new comment's depth; a cycle of parents (a broken export) is cut at the top."""
    depths: dict[str, int] = {}
    for start in parents:
        chain: list[str] = []
        on_chain: set[str] = set()
        current = start
        while current not in depths:
            if current in on_chain:
                tally.warn(
                    f"comment {current} on {what}",
                    "its parents form a loop: attached at the top level",
                )
                parents[current] = None
                depths[current] = 0
                break
            chain.append(current)
            on_chain.add(current)
            parent = parents[current]
            if parent is None:
                depths[current] = 0
                break
            if parent[0] == "old":
                depths[current] = info[parent[1]][1] + 1
                break
            current = parent[1]
        for source_id in reversed(chain):
            if source_id not in depths:
                depths[source_id] = depths[parents[source_id][1]] + 1
    return depths


def _comments_update(
    ctx: ImportContext, article_id: int, changed: list[tuple[CommentRow, _Existing]]
) -> None:
    updated = []
    for row, known in changed:
        html = DELETED_TEXT if row.is_deleted else markup.render(row.body)
        updated.append(
            Comment(
                pk=known.object_id,
                article_id=article_id,
                body=row.body,
                body_html=html,
                body_text=DELETED_TEXT if row.is_deleted else markup.plain(html),
                status=row.status,
                is_deleted=row.is_deleted,
                created_at=row.created_at,
                author_id=row.user_id,
            )
        )
    comments_bulk_update(
        comments=updated,
        fields=["body", "body_html", "body_text", "status", "is_deleted", "created_at", "author"],
    )
    ids = [known.object_id for _, known in changed]
    ImportedCommentAuthor.objects.filter(comment_id__in=ids).delete()
    ImportedCommentAuthor.objects.bulk_create(
        [
            ImportedCommentAuthor(
                comment_id=known.object_id, name=row.name, email=row.email, url=row.url
            )
            for row, known in changed
            if row.name or row.email or row.url
        ]
    )
    rows_update(
        ImportedObject,
        ["checksum", "last_run", "data"],
        [
            (
                known.mapping_id,
                row.checksum,
                ctx.run_id,
                {"original_body": row.original} if row.original else {},
            )
            for row, known in changed
        ],
    )
