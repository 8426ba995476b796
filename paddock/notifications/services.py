"""The one writer of notifications: `notify` stores one, the functions below decide whom a
comment, a featuring or a moderation notice tells (receivers.py connects them to the layers
below), and readers mark theirs read. No public page shows another reader's notifications, so
nothing cached is made stale here: the header's unread count is rendered per signed-in reader.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.core.db import after_commit, bulk_create_dated
from paddock.moderation.models import Notice, ReaderStanding

from . import delivery
from .models import Notification

Kind = Notification.Kind


def notify(
    *,
    recipient,
    kind: str,
    comment=None,
    article=None,
    actor=None,
    message: str = "",
) -> Notification | None:
    """Tell `recipient` of one event; None when there is nobody to tell (no recipient, an
    inactive account, a reader's own action) or they were already told of this comment."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    article_id = article.pk if article is not None else None
    if article_id is None and comment is not None:
        article_id = comment.article_id
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                comment=comment,
                article_id=article_id,
                actor=actor,
                message=message[:500],
            )
    except IntegrityError:  # notification_once_per_comment: told of this comment already
        return None
    after_commit(
        lambda: delivery.notification_created(notification),
        what=f"delivery of notification {notification.pk}",
    )
    return notification


def author_silenced(user_id: int) -> bool:
    """Whether a comment's author may tell nobody anything: banned, suspended or shadow-banned
    now (a held comment let through later is checked again then)."""
    standing = ReaderStanding.objects.filter(user_id=user_id).first()
    return standing is not None and (
        standing.banned or standing.is_suspended or standing.shadow_banned
    )


def comment_published(comment: Comment) -> list[Notification]:
    """A comment everyone can see now (posted so, or let through by a moderator): the author of
    the comment it answers is told of a reply, and each reader it mentions of the mention (a
    reader told of the reply is not told again of a mention in it). Nothing for a comment
    others cannot see (held, rejected, shadowed, deleted) or whose author is sanctioned."""
    if not comment.is_visible or comment.author_id is None:
        return []
    if author_silenced(comment.author_id):
        return []
    author = comment.author
    told: list[Notification] = []
    replied_to = None
    if comment.parent_id is not None:
        parent = (
            Comment.objects.visible().select_related("author").filter(pk=comment.parent_id).first()
        )
        if parent is not None and parent.author is not None:
            replied_to = parent.author_id
            told.append(
                notify(recipient=parent.author, kind=Kind.REPLY, comment=comment, actor=author)
            )
    mentioned = markup.mentioned_profile_ids(comment.body_html)
    if mentioned:
        readers = (
            get_user_model()
            .objects.filter(profile__pk__in=mentioned)
            .exclude(pk__in=[pk for pk in (replied_to, author.pk) if pk is not None])
            .order_by("pk")
        )
        for reader in readers:
            told.append(notify(recipient=reader, kind=Kind.MENTION, comment=comment, actor=author))
    return [n for n in told if n is not None]


def comment_featured(comment: Comment, *, by=None) -> Notification | None:
    """An editor or moderator featured the comment: its author is told (once per comment)."""
    if comment.author_id is None:
        return None
    return notify(
        recipient=comment.author,
        kind=Kind.FEATURED,
        comment=comment,
        actor=by,
        message="Your comment was featured: it now shows above the discussion.",
    )


def notice_mirror(notice: Notice) -> Notification | None:
    """A moderation notice about the reader's comment, listed with their other notifications
    (moderation keeps the notice itself, and emails it)."""
    return notify(
        recipient=notice.user,
        kind=Kind.MODERATION,
        comment=notice.comment,
        message=notice.message,
    )


def notifications_mark_read(
    *, user, ids: Iterable[int] | None = None, upto: int | None = None
) -> int:
    """The reader has seen these notifications of theirs (`ids`; None: all of them, or all up
    to the id `upto`); how many were unread. Another reader's ids change nothing."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    if upto is not None:
        mine = mine.filter(pk__lte=upto)
    return mine.update(read_at=timezone.now())


def notifications_bulk_create(*, notifications: list[Notification]) -> list[Notification]:
    """Store notifications from the past with their own `created_at` (and `read_at`); nothing
    is delivered (the demo's history)."""
    return bulk_create_dated(Notification, notifications)
