"""The demo's moderation: a month of decisions by the demo moderators, comments waiting in the
queue now (held when posted, reported by readers), banned terms, two sanctioned readers, and the
hourly queue sizes the dashboard charts. Loaded once, after the demo discussions."""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.comments.services import comment_create, report_create
from paddock.core.text import normalise_for_matching
from paddock.newsroom.demo.content import DEMO_PASSWORD, REFERENCE_SLUG
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.roles import MODERATORS

from . import services
from .models import AuditEntry, BannedTerm, Notice, QueueSnapshot

Action = AuditEntry.Action
Status = Comment.Status

BANNED = [("idiot", "hold"), ("moron", "hold"), ("buy followers", "reject")]

# Comments moderators dealt with over the past month: (text, decision, reason).
HISTORY = [
    (
        "First time posting here. The recall numbers in this piece match what my dealer told me.",
        "approve",
        "",
    ),
    (
        "Anyone who buys this crossover is an idiot, plain and simple.",
        "reject",
        "Please argue with the car, not with its buyers.",
    ),
    (
        "Cheap OEM parts, free shipping worldwide: https://parts-deals.example/a "
        "https://parts-deals.example/b https://parts-deals.example/c",
        "spam",
        "",
    ),
    (
        "I drove the prototype at the open day; the steering is lighter than the old one.",
        "approve",
        "",
    ),
    ("Earn $500 a day from home!!! https://quick-cash.example/start", "spam", ""),
    (
        "Here is the plant's hiring page for anyone interested: https://careers.example/plant "
        "https://careers.example/apply https://careers.example/faq",
        "approve",
        "",
    ),
    (
        "This writer clearly has never held a wrench, what a moron.",
        "reject",
        "Personal attacks on writers are not allowed; criticise the article instead.",
    ),
    (
        "Long-time reader, first comment: the torque figures in the table look swapped.",
        "approve",
        "",
    ),
    (
        "Visit my channel for the real story they don't want you to know!!! "
        "https://video.example/x",
        "spam",
        "",
    ),
    (
        "The range estimate seems optimistic for northern winters, judging by my own car.",
        "approve",
        "",
    ),
    (
        "Off topic, but does anyone know a good body shop in Leeds?",
        "reject",
        "Off-topic questions belong in the forum; this thread is about the article.",
    ),
    ("Crypto signals group, 300% returns guaranteed: https://signals.example/join", "spam", ""),
]

# Comments waiting for a moderator right now, by readers who just joined: (name, text).
WAITING = [
    (
        "Ola Nyberg",
        "New here: is the base trim getting the bigger battery too, or only the long-range one?",
    ),
    ("Pit Lane Pete", "Whoever signed off this design is an idiot."),
    (
        "Rita Kovacs",
        "Compare prices here: https://compare.example/1 https://compare.example/2 "
        "https://compare.example/3",
    ),
    (
        "Joao Mendes",
        "Finally a sensible take. I have been saying this about the supply chain for years.",
    ),
]


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
        for phrase, action in BANNED:
            BannedTerm.objects.get_or_create(
                normalised=normalise_for_matching(phrase),
                defaults={"phrase": phrase, "action": action},
            )
        history = _history(moderators, readers, articles, rng, now)
        waiting = _waiting(readers, articles, rng)
        hidden = _hidden_by_reports(readers, articles)
        _sanctions(moderators, readers, now)
        _snapshots(now)
    summary = {"decisions": history, "waiting": waiting, "hidden": hidden}
    if log:
        log(f"  moderation: {history} past decisions, {waiting} held now, {hidden} hidden")
    return summary


def _history(moderators, readers, articles, rng, now) -> int:
    """A month of decisions, written as they were: the comment, its decision and the log."""
    count = 0
    # Readers see approved comments: each text once. Spam repeats itself, as spam does, and
    # rejected comments are seen by nobody.
    approvals = [entry for entry in HISTORY if entry[1] == "approve"]
    others = [entry for entry in HISTORY if entry[1] != "approve"]
    for day in range(28, 0, -1):
        for _ in range(rng.randint(1, 3)):
            if approvals and rng.random() < 0.4:
                text, decision, reason = approvals.pop(0)
            else:
                text, decision, reason = others[count % len(others)]
            author = readers[rng.randrange(len(readers))]
            moderator = moderators[rng.randrange(len(moderators))]
            posted = now - dt.timedelta(days=day, hours=rng.uniform(0, 20))
            decided = posted + dt.timedelta(hours=rng.uniform(0.2, 14))
            status = {"approve": Status.PUBLISHED, "reject": Status.REJECTED}.get(
                decision, Status.SPAM
            )
            html = markup.render(text)
            comment = Comment.objects.create(
                article=articles[rng.randrange(len(articles))],
                author=author,
                body=text,
                body_html=html,
                body_text=markup.plain(html),
                status=status,
                status_reason=reason,
                spam_score=0.95 if decision == "spam" else rng.uniform(0.05, 0.6),
                flags=["new reader"] if decision == "approve" else ["held for review"],
                moderated_by=moderator,
                moderated_at=decided,
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=posted, root_id=comment.pk)
            entry = services.audit(
                moderator,
                {"approve": Action.APPROVE, "reject": Action.REJECT}.get(decision, Action.SPAM),
                f"Comment {comment.pk}: “{text[:58]}…”",
                comment=comment,
                reader=author,
                article=comment.article,
                reason=reason,
                before={"status": "pending"},
                after={"status": status},
            )
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=decided)
            notice = Notice.objects.create(
                user=author, comment=comment, message=services._status_message(comment)
            )
            Notice.objects.filter(pk=notice.pk).update(created_at=decided, read_at=decided)
            count += 1
    return count


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
            author.profile.display_name = name
            author.profile.save(update_fields=["display_name"])
        article = articles[i % len(articles)]
        comment = comment_create(
            user=author, article_id=article.pk, body=text, notify=False, screen=True
        )
        if comment.status != Status.PUBLISHED:
            waiting += 1
        else:  # pre-moderation is off on this site: hold it as a first comment would be
            Comment.objects.filter(pk=comment.pk).update(
                status=Status.PENDING,
                status_reason="Held for review: a moderator reads a new reader's first comments.",
                flags=[*comment.flags, "new reader"],
            )
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
    threshold = services.policies.current().report_threshold
    for reporter in [r for r in readers if r.pk != author.pk][:threshold]:
        report_create(user=reporter, comment_id=comment.pk, reason="abuse")
    comment.refresh_from_db()
    return int(comment.status == Status.PENDING)


def _sanctions(moderators, readers, now) -> None:
    services.sanction(
        moderator=moderators[0],
        reader_id=readers[7].pk,
        action=Action.SUSPEND,
        until=now + dt.timedelta(days=5),
        reason="Three rejected comments in a day in the EV tax thread.",
    )
    services.sanction(
        moderator=moderators[-1],
        reader_id=readers[11].pk,
        action=Action.SHADOW_BAN,
        reason="Keeps posting the same link under new wording.",
    )


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
    QueueSnapshot.objects.bulk_create(rows)
