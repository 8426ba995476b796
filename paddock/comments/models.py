"""Threaded reader comments on pages (articles, and standard pages that came with a discussion
from an import), their votes and the reports readers file on them."""

from __future__ import annotations

import math

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

# z for a 95% confidence interval, as used for the "best" order.
WILSON_Z = 1.96


def wilson_lower_bound(ups: int, downs: int) -> float:
    """Lower bound of the Wilson score interval: how good a comment is at least, given its votes.

    A comment with 1 up and 0 down does not outrank one with 90 up and 10 down.
    """
    n = ups + downs
    if n == 0:
        return 0.0
    z2 = WILSON_Z * WILSON_Z
    phat = ups / n
    centre = phat + z2 / (2 * n)
    margin = WILSON_Z * math.sqrt((phat * (1 - phat) + z2 / (4 * n)) / n)
    return (centre - margin) / (1 + z2 / n)


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        """Comments any reader can see: published, not shadowed, not deleted by their author."""
        return self.filter(status=Comment.Status.PUBLISHED, shadowed=False, is_deleted=False)

    def in_threads(self, viewer=None) -> CommentQuerySet:
        """What a thread shows: visible comments and deleted ones kept as "[deleted]" markers;
        to a signed-in viewer, also their own comments that are held or shadowed."""
        shown = Q(status=Comment.Status.PUBLISHED, shadowed=False)
        if viewer is not None and viewer.is_authenticated:
            shown |= Q(
                author_id=viewer.pk,
                status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING],
                is_deleted=False,
            )
        return self.filter(shown)

    def answerable(self, viewer=None) -> CommentQuerySet:
        """What a reader may reply to, vote on or report: what threads show them (in_threads),
        less the "[deleted]" markers and their own comments still waiting for a moderator.
        Every lookup of a comment on a reader's behalf goes through this or in_threads, so a
        comment they may not see answers as one that does not exist."""
        return self.in_threads(viewer).filter(status=Comment.Status.PUBLISHED, is_deleted=False)

    def awaiting_review(self) -> CommentQuerySet:
        """The moderation queue: held comments, and published ones readers have reported."""
        return self.filter(
            Q(status=Comment.Status.PENDING)
            | Q(status=Comment.Status.PUBLISHED, open_reports__gt=0, is_deleted=False)
        )

    def on_live_articles(self) -> CommentQuerySet:
        return self.filter(article__live=True)


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Held for review"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    # The page the discussion is on: an article, or a standard page whose comments came with
    # an imported site (comments_open says only articles take new ones). A Page, not an
    # ArticlePage, so both can hold comments; the column is the same, as an article's id is
    # its page's id. The name stays: most comments are on articles.
    article = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The thread's top-level comment (itself for a top-level one): a whole thread in one query.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # The author's profile joined on the account id the comment holds, without a join through
    # the account's own table (what threads and lists show of an author is all on the
    # profile). No column of its own.
    author_profile = models.ForeignObject(
        "accounts.Profile",
        on_delete=models.DO_NOTHING,
        from_fields=["author"],
        to_fields=["user"],
        null=True,
        related_name="+",
    )
    body = models.TextField(help_text="What the reader wrote (Markdown subset).")
    body_html = models.TextField(help_text="The body rendered and sanitised.")
    body_text = models.TextField(help_text="The body as plain text, for excerpts.")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    wilson = models.FloatField(default=0.0)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Moderation: the spam score and the reasons the scorers gave when it was posted; why it
    # was held or rejected (shown to its author); who decided, and when.
    spam_score = models.FloatField(default=0.0)
    flags = models.JSONField(default=list, blank=True)
    status_reason = models.CharField(max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    edited_by_moderator = models.BooleanField(default=False)
    # Posted by a shadow-banned reader: shown to its author only.
    shadowed = models.BooleanField(default=False)
    # Reports filed since the last decision on it (a moderator's approval clears them).
    open_reports = models.PositiveIntegerField(default=0)
    # Chosen by an editor or moderator to show above the discussion (None: not featured).
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A page of an article's threads and its counts read from the index alone
            # (PostgreSQL), not from every comment's row: the columns they filter on, and the
            # id they select, ride along.
            models.Index(
                fields=["article", "status", "depth", "created_at"],
                include=["shadowed", "is_deleted", "id"],
                name="comment_thread",
            ),
            models.Index(fields=["root", "created_at"], name="comment_root"),
            models.Index(
                fields=["-created_at"],
                condition=Q(status="published", is_deleted=False),
                name="comment_recent_visible",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending") | Q(open_reports__gt=0),
                name="comment_review_queue",
            ),
            models.Index(
                fields=["article", "-featured_at"],
                condition=Q(featured_at__isnull=False),
                name="comment_featured",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article_id}"

    def save(self, *args, **kwargs) -> None:
        """Threads are read by their root: a reply takes its parent's, a top-level comment is
        its own (written once its id is known)."""
        if self.root_id is None and self.parent_id is not None:
            self.root_id = self.parent.root_id or self.parent_id
        super().save(*args, **kwargs)
        if self.root_id is None and self.parent_id is None:
            type(self).objects.filter(pk=self.pk).update(root_id=self.pk)
            self.root_id = self.pk

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.shadowed and not self.is_deleted


class Vote(models.Model):
    class Value(models.IntegerChoices):
        UP = 1, "Up"
        DOWN = -1, "Down"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes"
    )
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="vote_one_per_reader"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on {self.comment_id} by {self.user_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a moderator decides on the comment; the report then no longer counts as open.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_one_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on {self.comment_id}"
