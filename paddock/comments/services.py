"""Every write on comments: post, edit, delete, vote and report.

Each function checks first (who may do it, to what), then writes inside one transaction and
returns the object. Views only translate a CommentError into a 4xx with its message.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from paddock.accounts.services import email_verified
from paddock.core import pagecache
from paddock.core.db import rows_update
from paddock.newsroom.models import ArticlePage

from . import markup
from .models import Comment, Report, Vote, wilson_lower_bound
from .selectors import RECENT_COUNT

MAX_LENGTH = 10_000
DELETED_TEXT = "[deleted]"


class CommentError(Exception):
    """A request that cannot be carried out, with a message for the reader and an HTTP status."""

    def __init__(self, message: str, status: int = 400, *, verify_email: bool = False):
        super().__init__(message)
        self.message = message
        self.status = status
        # The reader can fix this by verifying their email address: the answer says where.
        self.verify_email = verify_email


def comments_open(article: ArticlePage) -> bool:
    """Whether readers may still comment: not closed by an editor, nor by age."""
    if article.comments_closed:
        return False
    days = settings.PADDOCK_COMMENTS_CLOSE_AFTER_DAYS
    if days and article.published_at:
        return timezone.now() < article.published_at + dt.timedelta(days=days)
    return True


def edit_window_open(comment: Comment) -> bool:
    window = dt.timedelta(minutes=settings.PADDOCK_COMMENT_EDIT_MINUTES)
    return timezone.now() < comment.created_at + window


def check_verified(user, doing: str) -> None:
    """Posting, voting and reporting all need a verified email address: a throwaway sign-up
    must not be able to hide a comment with reports or sink it with votes."""
    if not email_verified(user):
        raise CommentError(
            f"Please verify your email address before {doing}: follow the link in the email we "
            "sent when you signed up, or have it sent again from your email settings.",
            status=403,
            verify_email=True,
        )


def _check_author(user) -> None:
    if not user.is_authenticated:
        raise CommentError("You must be logged in to post a comment.", status=403)
    check_verified(user, "commenting")
    if not user.has_perm("comments.add_comment"):
        raise CommentError("Your account may not post comments.", status=403)


def _check_standing(user, permission: str, doing: str) -> None:
    from paddock.moderation import services as moderation

    if not user.has_perm(permission):
        raise CommentError(f"Your account may not {doing}.", status=403)
    refusal = moderation.posting_refusal(moderation.standing_of(user))
    if refusal:
        raise CommentError(refusal, status=403)


def _screen(user, text: str, html: str, article_id: int, context: dict):
    """Moderation's verdict on a comment about to be stored: (verdict, shadowed)."""
    from paddock.moderation import services as moderation
    from paddock.moderation.scoring import Candidate

    standing = moderation.standing_of(user)
    refusal = moderation.posting_refusal(standing)
    if refusal:
        raise CommentError(refusal, status=403)
    candidate = Candidate(user=user, text=text, html=html, article_id=article_id, **context)
    return moderation.screen(candidate, standing)


def _validated_body(body: str) -> tuple[str, str, str]:
    text = markup.clean_text(body or "")
    if not text:
        raise CommentError("Your comment is empty.")
    if len(text) > MAX_LENGTH:
        raise CommentError(
            f"Your comment is {len(text):,} characters long; the limit is {MAX_LENGTH:,}."
        )
    html = markup.render(text)
    plain = markup.plain(html)
    if not plain:
        # e.g. quotes nested deeper than the renderer follows: nothing would be shown.
        raise CommentError("Your comment has no text that can be shown; check its quoting.")
    return text, html, plain


def comment_create(
    *,
    user,
    article_id: int,
    body: str,
    parent_id: int | None = None,
    ip_address: str | None = None,
    notify: bool = True,
    screen: bool = True,
    user_agent: str = "",
    referrer: str = "",
    permalink: str = "",
) -> Comment:
    """Post a comment, or a reply when parent_id is given.

    With screen (the default) moderation judges it first: a suspended or banned reader is
    refused, and the verdict decides whether it is published, held for review or rejected.
    With notify (the default) a published reply queues an email to the parent's author.
    Loading historical discussions (the demo) turns both off.
    """
    _check_author(user)
    text, html, plain = _validated_body(body)
    verdict, shadowed = None, False
    if screen:
        context = {
            "ip_address": ip_address,
            "user_agent": user_agent[:500],
            "referrer": referrer[:500],
            "permalink": permalink,
        }
        verdict, shadowed = _screen(user, plain, html, article_id, context)
    with transaction.atomic():
        article = ArticlePage.objects.published().filter(pk=article_id).select_for_update().first()
        if article is None:
            raise CommentError("That article does not exist or is not published.", status=404)
        if not comments_open(article):
            raise CommentError("Comments are closed on this article.", status=403)
        parent = None
        if parent_id is not None:
            parent = Comment.objects.answerable(user).filter(pk=parent_id).first()
            if parent is None:
                raise CommentError("The comment you replied to no longer exists.", status=404)
            if parent.article_id != article.pk:
                raise CommentError("That reply belongs to another article.")
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root_id=parent.root_id if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=user,
            body=text,
            body_html=html,
            body_text=plain,
            ip_address=ip_address,
            status=verdict.status if verdict else Comment.Status.PUBLISHED,
            spam_score=verdict.score if verdict else 0.0,
            flags=verdict.flags if verdict else [],
            status_reason=verdict.reason if verdict else "",
            shadowed=shadowed,
        )  # a top-level comment becomes its own thread's root (Comment.save)
        if screen:
            from paddock.moderation.services import after_post

            after_post(comment)
        if parent is not None and notify and comment.is_visible:
            from .tasks import notify_reply

            transaction.on_commit(lambda: notify_reply.enqueue(comment.pk))
    return comment


def comment_edit(*, user, comment_id: int, body: str) -> Comment:
    """The author rewrites a comment in its first minutes. The new text is screened like a new
    comment: an edit cannot slip in what posting would have held."""
    text, html, plain = _validated_body(body)
    owned = Comment.objects.filter(pk=comment_id, author_id=user.pk).only("article_id").first()
    verdict = None
    if owned is not None:
        verdict, _ = _screen(user, plain, html, owned.article_id, {})
    with transaction.atomic():
        comment = Comment.objects.answerable(user).select_for_update().filter(pk=comment_id).first()
        if comment is None:
            raise CommentError("That comment does not exist.", status=404)
        if comment.author_id != user.pk:
            raise PermissionDenied("Only the author can edit a comment.")
        if not edit_window_open(comment):
            raise CommentError(
                f"Comments can be edited only in the first "
                f"{settings.PADDOCK_COMMENT_EDIT_MINUTES} minutes.",
                status=403,
            )
        comment.body, comment.body_html, comment.body_text = text, html, plain
        comment.edited_at = timezone.now()
        fields = ["body", "body_html", "body_text", "edited_at"]
        if verdict is not None and verdict.status != Comment.Status.PUBLISHED:
            comment.status, comment.status_reason = verdict.status, verdict.reason
            comment.spam_score, comment.flags = verdict.score, verdict.flags
            fields += ["status", "status_reason", "spam_score", "flags"]
        comment.save(update_fields=fields)
        if verdict is not None and verdict.status != Comment.Status.PUBLISHED:
            from paddock.moderation.services import after_post

            after_post(comment)
    return comment


def comment_delete(*, user, comment_id: int) -> Comment:
    """The author withdraws a comment: its text goes, its place in the thread stays."""
    with transaction.atomic():
        comment = (
            Comment.objects.in_threads(user)
            .select_for_update()
            .filter(pk=comment_id, is_deleted=False)
            .first()
        )
        if comment is None:
            raise CommentError("That comment does not exist.", status=404)
        if comment.author_id != user.pk:
            raise PermissionDenied("Only the author can delete a comment.")
        comment_blank(comment)
    return comment


def comment_blank(comment: Comment) -> None:
    comment.is_deleted = True
    comment.body = comment.body_html = comment.body_text = DELETED_TEXT
    comment.save(update_fields=["is_deleted", "body", "body_html", "body_text"])


def vote_cast(*, user, comment_id: int, value: int) -> Comment:
    """Vote a comment up (1), down (-1) or withdraw the vote (0); returns the new tallies.

    The comment row is locked first, so concurrent votes on it queue instead of racing; the
    unique constraint on (comment, user) is the last line of defence against a double vote.
    """
    if value not in (1, -1, 0):
        raise CommentError("A vote is up, down or withdrawn.")
    if not user.is_authenticated:
        raise CommentError("You must be logged in to vote.", status=403)
    check_verified(user, "voting")
    _check_standing(user, "comments.add_vote", "vote")
    with transaction.atomic():
        comment = (
            Comment.objects.answerable(user)
            .select_for_update()
            .select_related("article")
            .filter(pk=comment_id)
            .first()
        )
        if comment is None or not comment.article.live:
            raise CommentError("That comment does not exist.", status=404)
        if comment.author_id == user.pk:
            raise CommentError("You cannot vote on your own comment.", status=403)
        if not comments_open(comment.article):
            raise CommentError("This discussion is closed.", status=403)
        existing = Vote.objects.filter(comment=comment, user=user).first()
        old = existing.value if existing else 0
        if value == old:
            return comment
        if value == 0:
            existing.delete()
        elif existing:
            existing.value = value
            existing.save(update_fields=["value"])
        else:
            try:
                with transaction.atomic():
                    Vote.objects.create(comment=comment, user=user, value=value)
            except IntegrityError as exc:
                raise CommentError("You have already voted on this comment.", 409) from exc
        up = int(value == 1) - int(old == 1)
        down = int(value == -1) - int(old == -1)
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
        )
        comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
        comment.wilson = wilson_lower_bound(comment.upvotes, comment.downvotes)
        comment.save(update_fields=["wilson"])
    return comment


def report_create(*, user, comment_id: int, reason: str, details: str = "") -> Report:
    if not user.is_authenticated:
        raise CommentError("You must be logged in to report a comment.", status=403)
    check_verified(user, "reporting a comment")
    _check_standing(user, "comments.add_report", "report comments")
    if reason not in Report.Reason.values:
        raise CommentError("Choose a reason for the report.")
    details = markup.clean_text(details)[:1000]
    if reason == Report.Reason.OTHER and not details:
        raise CommentError("Tell us what is wrong with this comment.")
    with transaction.atomic():
        comment = Comment.objects.answerable(user).filter(pk=comment_id).first()
        if comment is None:
            raise CommentError("That comment does not exist.", status=404)
        if comment.author_id == user.pk:
            raise CommentError("You cannot report your own comment.")
        report, created = Report.objects.get_or_create(
            comment=comment, reporter=user, defaults={"reason": reason, "details": details}
        )
        if not created:
            raise CommentError("You have already reported this comment. Thank you.", 409)
        from paddock.moderation.services import after_report

        after_report(report)
    return report


# --- Many comments at once, and the pages they change --------------------------------------


def recent_ids() -> list[int]:
    """The comments the sidebar lists on every page, newest first."""
    return list(
        Comment.objects.visible()
        .on_live_articles()
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_COUNT]
    )


def discussion_changed(article_ids, comment_ids=(), *, recent: bool = True) -> None:
    """After the commit: these articles' pages are stale, and so are the recent comments on
    every page if the list, or one comment in it, changed."""
    article_ids, comment_ids = set(article_ids), set(comment_ids)

    def after_commit() -> None:
        tags = [f"article:{pk}" for pk in sorted(article_ids)]
        if recent:
            ids = recent_ids()
            if pagecache.remember("recent-ids", ids) or comment_ids & set(ids):
                tags.append("recent")
        pagecache.bump(*tags)

    transaction.on_commit(after_commit)


def comments_bulk_create(*, comments: list[Comment], batch_size: int = 500) -> list[Comment]:
    """Write many comments at once (an import of a discussion), keeping their own dates.

    Each comment comes with its article, depth and created_at set. A reply's parent is either a
    comment already stored (`parent_id`) or one earlier in the list (`parent`), which is written
    first: comments are written a depth at a time. Threads follow Comment.save's rule, which
    bulk_create skips: a top-level comment is its own root, a reply takes its parent's.
    Nothing is screened and nobody is notified; once the transaction commits, the pages that
    show these discussions are stale.
    """
    if not comments:
        return []
    dates = {id(comment): comment.created_at for comment in comments}
    stored_parents = [
        comment.parent_id
        for comment in comments
        if comment.parent_id is not None and not Comment.parent.is_cached(comment)
    ]
    roots: dict[int, int | None] = {}
    for start in range(0, len(stored_parents), 2000):
        roots.update(
            Comment.objects.filter(pk__in=stored_parents[start : start + 2000]).values_list(
                "pk", "root_id"
            )
        )
    by_depth: dict[int, list[Comment]] = {}
    for comment in comments:
        by_depth.setdefault(comment.depth, []).append(comment)
    with transaction.atomic():
        for depth in sorted(by_depth):
            level = by_depth[depth]
            for comment in level:
                if Comment.parent.is_cached(comment) and comment.parent is not None:
                    parent = comment.parent
                    if parent.pk is None:
                        raise ValueError(
                            "A reply's parent must come before it in the list, one level up."
                        )
                    comment.parent_id = parent.pk
                    comment.root_id = parent.root_id or parent.pk
                elif comment.parent_id is not None:
                    comment.root_id = roots.get(comment.parent_id) or comment.parent_id
                else:
                    comment.root_id = None
            Comment.objects.bulk_create(level, batch_size=batch_size)
            for comment in level:
                if comment.parent_id is None:
                    comment.root_id = comment.pk
        # created_at is auto_now_add, so bulk_create stamped "now": the comments' own dates
        # go in afterwards, with each top-level comment's root (itself), in one executemany.
        for comment in comments:
            comment.created_at = dates[id(comment)] or comment.created_at
        rows_update(
            Comment,
            ["root", "created_at"],
            [(comment.pk, comment.root_id, comment.created_at) for comment in comments],
        )
        discussion_changed(
            {comment.article_id for comment in comments}, [comment.pk for comment in comments]
        )
    return comments


def comments_bulk_update(*, comments: list[Comment], fields: list[str]) -> None:
    """Set `fields` of many stored comments (an import bringing a discussion up to date), each
    comment given with its pk, its article and the new values. Once the transaction commits,
    the pages that show them are stale."""
    if not comments:
        return
    if {"parent", "root", "depth", "article"} & set(fields):
        raise ValueError("Moving comments between threads or articles is not a bulk update.")
    attnames = [Comment._meta.get_field(name).attname for name in fields]
    with transaction.atomic():
        rows_update(
            Comment,
            fields,
            [(comment.pk, *(getattr(comment, a) for a in attnames)) for comment in comments],
        )
        discussion_changed(
            {comment.article_id for comment in comments}, [comment.pk for comment in comments]
        )


# --- A discussion's history: votes and reports cast elsewhere, in bulk ----------------------


def votes_bulk_create(*, votes: list[Vote], batch_size: int = 1000) -> list[Vote]:
    """Write many votes at once (an import of a discussion's votes, the demo), keeping their
    own dates, and add them to their comments' tallies as `vote_cast` would: upvotes, downvotes,
    score and the Wilson bound, with one read and one write of the comments for any number.

    Each vote comes with a stored comment (`comment` or `comment_id`), its voter and its value,
    and a `created_at` of its own or None for now. The voters are not checked as a reader's
    vote is (they voted elsewhere), but a vote is up or down, never on the voter's own comment,
    and one per reader and comment (the constraint refuses a second). Once the transaction
    commits, the pages that show these comments are stale.
    """
    if not votes:
        return []
    if any(vote.value not in (1, -1) for vote in votes):
        raise ValueError("A stored vote is up (1) or down (-1).")
    dates = [vote.created_at for vote in votes]
    ids = sorted({vote.comment_id for vote in votes})
    with transaction.atomic():
        # Locked, so that a reader voting meanwhile cannot lose a vote between read and write.
        comments: dict[int, Comment] = {}
        for start in range(0, len(ids), 2000):
            chunk = Comment.objects.select_for_update().filter(pk__in=ids[start : start + 2000])
            comments.update(
                (comment.pk, comment)
                for comment in chunk.only("pk", "article_id", "author_id", "upvotes", "downvotes")
            )
        for vote in votes:
            comment = comments.get(vote.comment_id)
            if comment is None:
                raise ValueError(f"Comment {vote.comment_id} is not stored: vote on stored ones.")
            if comment.author_id is not None and comment.author_id == vote.user_id:
                raise ValueError(f"User {vote.user_id} cannot vote on their own comment.")
        Vote.objects.bulk_create(votes, batch_size=batch_size)
        # created_at is auto_now_add, so bulk_create stamped "now": the votes' own dates go in
        # afterwards, in one executemany.
        dated = []
        for vote, date in zip(votes, dates, strict=True):
            if date is not None:
                vote.created_at = date
                dated.append((vote.pk, date))
        rows_update(Vote, ["created_at"], dated)
        for vote in votes:
            comment = comments[vote.comment_id]
            if vote.value == 1:
                comment.upvotes += 1
            else:
                comment.downvotes += 1
        rows_update(
            Comment,
            ["upvotes", "downvotes", "score", "wilson"],
            [
                (
                    c.pk,
                    c.upvotes,
                    c.downvotes,
                    c.upvotes - c.downvotes,
                    wilson_lower_bound(c.upvotes, c.downvotes),
                )
                for c in comments.values()
            ],
        )
        # Tallies only: the recent comments' list does not show them (signals.TALLY_FIELDS).
        discussion_changed({c.article_id for c in comments.values()}, ids, recent=False)
    return votes


def reports_date(*, dates: dict[int, dt.datetime]) -> None:
    """Give stored reports the dates they were filed on (an import of a discussion's history,
    the demo), by report id. No page shows a report's date: nothing becomes stale."""
    if any(date is None for date in dates.values()):
        raise ValueError("Every report needs a date.")
    with transaction.atomic():
        rows_update(Report, ["created_at"], sorted(dates.items()))
