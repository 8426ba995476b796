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

from paddock.accounts.display_names import DELETED_TEXT
from paddock.accounts.services import email_verified
from paddock.core import pagecache
from paddock.core.db import after_commit, rows_update
from paddock.core.errors import Refused
from paddock.newsroom.models import ArticlePage

from . import hooks, markup
from .models import Comment, Report, Vote, wilson_lower_bound
from .rules import MAX_LENGTH, comments_open, edit_window_open
from .selectors import RECENT_COUNT, mention_targets


class CommentError(Refused):
    """A request that cannot be carried out, with a message for the reader and an HTTP status."""

    def __init__(self, message: str, status: int = 400, *, verify_email: bool = False):
        super().__init__(message, status)
        # The reader can fix this by verifying their email address: the answer says where.
        self.verify_email = verify_email


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
    if not user.has_perm(permission):
        raise CommentError(f"Your account may not {doing}.", status=403)
    refusal = hooks.screen().refusal(user)
    if refusal:
        raise CommentError(refusal, status=403)


def _judge(user, text: str, html: str, article_id: int, context: dict) -> hooks.Judgement:
    """The registered screen's judgement on a comment about to be stored (hooks.py)."""
    submission = hooks.Submission(user=user, text=text, html=html, article_id=article_id, **context)
    judgement = hooks.screen().judge(submission)
    if judgement.refusal:
        raise CommentError(judgement.refusal, status=403)
    return judgement


def validated_body(body: str, *, article_id: int | None = None) -> tuple[str, str, str]:
    """A comment's text as stored: (the cleaned source, its HTML, its plain text); CommentError
    when it is empty, too long, or shows nothing. On an article (`article_id`), "@" and the
    name of a reader in its discussion links to their profile (selectors.mention_targets)."""
    text = markup.clean_text(body or "")
    if not text:
        raise CommentError("Your comment is empty.")
    if len(text) > MAX_LENGTH:
        raise CommentError(
            f"Your comment is {len(text):,} characters long; the limit is {MAX_LENGTH:,}."
        )
    mentions = mention_targets(article_id, text) if article_id is not None else None
    html = markup.render(text, mentions)
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
    With notify (the default) the layers above may tell readers of it (`comment_posted` carries
    it: a reply's author, a discussion's followers). Loading historical discussions (the demo)
    turns both off.
    """
    _check_author(user)
    text, html, plain = validated_body(body, article_id=article_id)
    verdict = None
    if screen:
        context = {
            "ip_address": ip_address,
            "user_agent": user_agent[:500],
            "referrer": referrer[:500],
            "permalink": permalink,
        }
        verdict = _judge(user, plain, html, article_id, context)
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
            shadowed=verdict.shadowed if verdict else False,
        )  # a top-level comment becomes its own thread's root (Comment.save)
        if screen:
            hooks.comment_posted.send(sender=Comment, comment=comment, notify=notify)
        discussion_changed([comment.article_id], [comment.pk])
    return comment


def comment_edit(*, user, comment_id: int, body: str) -> Comment:
    """The author rewrites a comment in its first minutes. The new text is screened like a new
    comment: an edit cannot slip in what posting would have held."""
    owned = Comment.objects.filter(pk=comment_id, author_id=user.pk).only("article_id").first()
    text, html, plain = validated_body(body, article_id=owned.article_id if owned else None)
    verdict = None
    if owned is not None:
        verdict = _judge(user, plain, html, owned.article_id, {})
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
            hooks.comment_posted.send(sender=Comment, comment=comment)
        discussion_changed([comment.article_id], [comment.pk])
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
        comment.is_deleted = True
        comment.body = comment.body_html = comment.body_text = DELETED_TEXT
        comment.save(update_fields=["is_deleted", "body", "body_html", "body_text"])
        discussion_changed([comment.article_id], [comment.pk])
    return comment


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
            # The comment and its page, as before comments could be on any page; the article's
            # own row is on the nullable side of the join, which PostgreSQL cannot lock.
            .select_for_update(of=("self", "article"))
            .select_related("article__articlepage")
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
        # Tallies are not in the sidebar's recent comments: only the article's page changed.
        discussion_changed([comment.article_id], [comment.pk], recent=False)
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
        comment_reports_count(comment.pk)
        hooks.comment_reported.send(sender=Report, report=report)
    return report


# --- What moderators and the site itself do to comments -------------------------------------
# Moderation decides (paddock/moderation/actions/); these functions only write, each in the
# caller's transaction or one of their own, and say which pages changed.


def comment_reports_count(comment_id: int) -> Comment:
    """Recount a comment's open reports (a report was filed or resolved); the comment, locked."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        comment.open_reports = Report.objects.filter(
            comment_id=comment_id, resolved_at__isnull=True
        ).count()
        comment.save(update_fields=["open_reports"])
        discussion_changed([comment.article_id], [comment.pk], recent=False)
    return comment


def comment_moderate(
    comment: Comment,
    *,
    status: str | None,
    reason: str = "",
    moderator=None,
    at: dt.datetime | None = None,
    resolve_reports: bool = False,
) -> None:
    """Give a comment a new status (None: keep it) for a reason told to its author.

    `moderator` None means the site did it (e.g. reports hid it); `at` is when (default: now).
    With `resolve_reports` the comment's open reports are closed, as a moderator's decision
    answers them. Call it with the comment's row locked (select_for_update) inside the
    caller's transaction. A comment this makes visible to everyone is told to the layers
    above (hooks.comment_published), in the same transaction."""
    was_visible = comment.is_visible
    fields = ["open_reports"]
    if status is not None:
        comment.status, comment.status_reason = status, reason
        fields += ["status", "status_reason"]
    if moderator is not None:
        comment.moderated_by, comment.moderated_at = moderator, at or timezone.now()
        fields += ["moderated_by", "moderated_at"]
    with transaction.atomic():
        if resolve_reports:
            Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
                resolved_at=at or comment.moderated_at or timezone.now()
            )
            comment.open_reports = 0
        comment.save(update_fields=fields)
        if comment.is_visible and not was_visible:
            hooks.comment_published.send(sender=Comment, comment=comment)
        discussion_changed([comment.article_id], [comment.pk])


def comment_feature_set(comment: Comment, *, featured: bool, by) -> None:
    """Show a comment above its discussion (`featured`), or take it back down; `by` is the
    editor or moderator who chose it. The caller holds the row lock and has checked that the
    comment is visible."""
    comment.featured_at = timezone.now() if featured else None
    comment.featured_by = by if featured else None
    with transaction.atomic():
        comment.save(update_fields=["featured_at", "featured_by"])
        # The featured comments are on the article's page only, not in the recent list.
        discussion_changed([comment.article_id], [comment.pk], recent=False)


def comment_rewrite(comment: Comment, *, body: str) -> None:
    """A moderator changes a comment's text; readers see it marked "edited by a moderator".
    CommentError when the new text could not be posted. The caller holds the row lock."""
    comment.body, comment.body_html, comment.body_text = validated_body(
        body, article_id=comment.article_id
    )
    comment.edited_by_moderator = True
    comment.edited_at = timezone.now()
    with transaction.atomic():
        comment.save(
            update_fields=["body", "body_html", "body_text", "edited_by_moderator", "edited_at"]
        )
        discussion_changed([comment.article_id], [comment.pk])


def comments_purge(ids) -> int:
    """Delete comments for good (old spam), their replies with them; how many were deleted."""
    ids = list(ids)
    with transaction.atomic():
        gone = Comment.objects.filter(pk__in=ids)
        articles = set(gone.values_list("article_id", flat=True))
        deleted = gone.count()
        gone.delete()
        discussion_changed(articles, ids)
    return deleted


def comments_detach_author(user_id: int, *, blank: bool) -> None:
    """A reader's account is being deleted: their comments lose their author and IP address
    (and, with `blank`, their text), and show as "[deleted]"."""
    theirs = Comment.objects.filter(author_id=user_id)
    with transaction.atomic():
        # The pages their comments are on change; say so before the comments lose their author.
        discussion_changed(
            list(theirs.values_list("article_id", flat=True).distinct()),
            list(theirs.values_list("pk", flat=True)),
        )
        if blank:
            theirs.update(
                author=None,
                ip_address=None,
                is_deleted=True,
                body=DELETED_TEXT,
                body_html=DELETED_TEXT,
                body_text=DELETED_TEXT,
            )
        else:
            theirs.update(author=None, ip_address=None)


def author_shown_changed(user_id: int) -> None:
    """A reader's name or avatar changed: it shows beside each of their comments."""
    theirs = Comment.objects.filter(author_id=user_id)
    articles = list(theirs.values_list("article_id", flat=True).distinct())
    if articles:
        discussion_changed(articles, theirs.values_list("pk", flat=True))


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

    tags = [f"article:{pk}" for pk in sorted(article_ids)]

    def work() -> None:
        changed = list(tags)
        if recent:
            ids = recent_ids()
            if pagecache.remember("recent-ids", ids) or comment_ids & set(ids):
                changed.append("recent")
        pagecache.bump(*changed)

    # Should the recent comments not be read (the connection dropped), every page's list is
    # taken as changed: more pages render anew, none stays stale.
    after_commit(
        work,
        what=f"invalidating {', '.join(tags)}",
        fallback=lambda: pagecache.bump(*tags, *(["recent"] if recent else [])),
    )


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
