"""The demo's moderation: a month of decisions by the demo moderators, comments waiting in the
queue now (held when posted, reported by readers), banned terms, two sanctioned readers, and the
hourly queue sizes the dashboard charts. Loaded once, after the demo discussions, through
moderation's actions (what happens now) and its bulk services (the past, with its dates)."""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from paddock.accounts.services import profile_update
from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.comments.services import (
    comment_create,
    comments_bulk_create,
    comments_bulk_update,
    report_create,
)
from paddock.core.roles import MODERATORS
from paddock.core.text import normalise_for_matching
from paddock.moderation import policy, services
from paddock.moderation.actions import BannedTermCreateAction, ReaderSanctionAction
from paddock.moderation.models import AuditEntry, BannedTerm, Notice, QueueSnapshot
from paddock.newsroom.models import ArticlePage
from paddock.notifications.models import Notification
from paddock.notifications.services import notifications_bulk_create

from .content import DEMO_PASSWORD, REFERENCE_SLUG, read, tuples

Action = AuditEntry.Action
Status = Comment.Status

_moderation = read("moderation")
BANNED: list[tuple[str, str]] = tuples(_moderation["banned"])
# Comments moderators dealt with over the past month: (text, decision, reason).
HISTORY: list[tuple[str, str, str]] = tuples(_moderation["history"])
# Comments waiting for a moderator right now, by readers who just joined: (name, text).
WAITING: list[tuple[str, str]] = tuples(_moderation["waiting"])


def _readers():
    User = get_user_model()
    return list(User.objects.filter(email__regex=r"^reader-[0-9]+@example\.com$").order_by("pk"))


def load_demo_moderation(log=None) -> dict:
    """Load once: does nothing when the audit log already has entries."""
    if AuditEntry.objects.exists():
        return {}
    User = get_user_model()
    moderators = list(User.objects.filter(groups__name=MODERATORS).order_by("pk"))
    readers = _readers()
    # The reference article keeps the reference page's thread as it is.
    articles = list(
        ArticlePage.objects.live().exclude(slug=REFERENCE_SLUG).order_by("-published_at")[:10]
    )
    if not moderators or len(readers) < 12 or not articles:
        return {}
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    with transaction.atomic():
        _banned_terms()
        history = _history(moderators, readers, articles, rng, now)
        waiting = _waiting(readers, articles, rng)
        hidden = _hidden_by_reports(readers, articles)
        _sanctions(moderators, readers, now)
        _snapshots(now)
    summary = {"decisions": history, "waiting": waiting, "hidden": hidden}
    if log:
        log(f"  moderation: {history} past decisions, {waiting} held now, {hidden} hidden")
    return summary


def _banned_terms() -> None:
    banned = set(BannedTerm.objects.values_list("normalised", flat=True))
    for phrase, action in BANNED:
        if normalise_for_matching(phrase) not in banned:
            BannedTermCreateAction(BannedTerm(phrase=phrase, action=action)).execute()


def _history(moderators, readers, articles, rng, now) -> int:
    """A month of decisions, written as they were: the comment, its decision and the log."""
    # Readers see approved comments: each text once. Spam repeats itself, as spam does, and
    # rejected comments are seen by nobody.
    approvals = [entry for entry in HISTORY if entry[1] == "approve"]
    others = [entry for entry in HISTORY if entry[1] != "approve"]
    decided: list[tuple[Comment, str, str, dt.datetime]] = []
    for day in range(28, 0, -1):
        for _ in range(rng.randint(1, 3)):
            if approvals and rng.random() < 0.4:
                text, decision, reason = approvals.pop(0)
            else:
                text, decision, reason = others[len(decided) % len(others)]
            author = readers[rng.randrange(len(readers))]
            moderator = moderators[rng.randrange(len(moderators))]
            posted = now - dt.timedelta(days=day, hours=rng.uniform(0, 20))
            at = posted + dt.timedelta(hours=rng.uniform(0.2, 14))
            status = {"approve": Status.PUBLISHED, "reject": Status.REJECTED}.get(
                decision, Status.SPAM
            )
            html = markup.render(text)
            comment = Comment(
                article=articles[rng.randrange(len(articles))],
                author=author,
                depth=0,
                body=text,
                body_html=html,
                body_text=markup.plain(html),
                status=status,
                status_reason=reason,
                spam_score=0.95 if decision == "spam" else rng.uniform(0.05, 0.6),
                flags=["new reader"] if decision == "approve" else ["held for review"],
                moderated_by=moderator,
                moderated_at=at,
                created_at=posted,
            )
            decided.append((comment, decision, reason, at))
    comments_bulk_create(comments=[comment for comment, *_ in decided])
    services.audit_entries_bulk_create(
        entries=[
            AuditEntry(
                actor=comment.moderated_by,
                action={"approve": Action.APPROVE, "reject": Action.REJECT}.get(
                    decision, Action.SPAM
                ),
                summary=f"Comment {comment.pk}: “{comment.body[:58]}…”",
                comment=comment,
                reader=comment.author,
                article=comment.article,
                reason=reason,
                before={"status": "pending"},
                after={"status": comment.status},
                created_at=at,
            )
            for comment, decision, reason, at in decided
        ]
    )
    services.notices_bulk_create(
        notices=[
            Notice(
                user=comment.author,
                comment=comment,
                message=services.status_message(comment),
                created_at=at,
                read_at=at,
            )
            for comment, _, _, at in decided
        ]
    )
    # The same notices, as the readers' notifications page lists them.
    notifications_bulk_create(
        notifications=[
            Notification(
                recipient=comment.author,
                kind=Notification.Kind.MODERATION,
                comment=comment,
                article_id=comment.article_id,
                message=services.status_message(comment),
                created_at=at,
                read_at=at,
            )
            for comment, _, _, at in decided
        ]
    )
    return len(decided)


def _waiting(readers, articles, rng) -> int:
    """Comments held when posted, through the real screening, by readers new and old."""
    User = get_user_model()
    waiting = 0
    for i, (name, text) in enumerate(WAITING):
        email = f"reader-new-{i + 1}@example.com"
        author = User.objects.filter(email=email).first()
        if author is None:
            author = User.objects.create_user(
                username=f"reader-new-{i + 1}", email=email, password=DEMO_PASSWORD
            )
            EmailAddress.objects.create(user=author, email=email, verified=True, primary=True)
            profile_update(profile=author.profile, display_name=name)
        article = articles[i % len(articles)]
        comment = comment_create(
            user=author, article_id=article.pk, body=text, notify=False, screen=True
        )
        if comment.status != Status.PUBLISHED:
            waiting += 1
        else:  # pre-moderation is off on this site: hold it as a first comment would be
            comment.status = Status.PENDING
            comment.status_reason = (
                "Held for review: a moderator reads a new reader's first comments."
            )
            comment.flags = [*comment.flags, "new reader"]
            comments_bulk_update(comments=[comment], fields=["status", "status_reason", "flags"])
            waiting += 1
    return waiting


def _hidden_by_reports(readers, articles) -> int:
    """A published comment enough readers reported to hide it until a moderator decides."""
    article = articles[0]
    author = readers[5]
    comment = comment_create(
        user=author,
        article_id=article.pk,
        body="People who still drive diesels deserve every tax they get. Get off the road.",
        notify=False,
        screen=False,
    )
    threshold = policy.current().report_threshold
    for reporter in [r for r in readers if r.pk != author.pk][:threshold]:
        report_create(user=reporter, comment_id=comment.pk, reason="abuse")
    comment.refresh_from_db()
    return int(comment.status == Status.PENDING)


def _sanctions(moderators, readers, now) -> None:
    ReaderSanctionAction(
        readers[7].pk,
        sanction=Action.SUSPEND,
        until=now + dt.timedelta(days=5),
        reason="Three rejected comments in a day in the EV tax thread.",
        user=moderators[0],
    ).execute()
    ReaderSanctionAction(
        readers[11].pk,
        sanction=Action.SHADOW_BAN,
        reason="Keeps posting the same link under new wording.",
        user=moderators[-1],
    ).execute()


def _snapshots(now) -> None:
    """The queue's size each hour of the past month, from when each comment was posted and
    decided (the same figures the hourly job records from now on)."""
    spans = list(
        Comment.objects.filter(moderated_by__isnull=False).values_list("created_at", "moderated_at")
    )
    waiting_now = Comment.objects.awaiting_review().values_list("created_at", flat=True)
    hour = now.replace(minute=0, second=0, microsecond=0)
    rows = []
    for step in range(30 * 24, 0, -1):
        at = hour - dt.timedelta(hours=step)
        held = sum(1 for posted, decided in spans if posted <= at < decided)
        held += sum(1 for posted in waiting_now if posted <= at)
        rows.append(QueueSnapshot(taken_at=at, held=held, reported=0))
    services.queue_snapshots_bulk_create(snapshots=rows)
