"""What readers are told about the discussions they take part in.

A notification is one event for one reader: a reply to their comment, a mention of their name,
their comment featured, a new top-level comment in a discussion they follow, or a moderation
notice about their own comment. The notifications page lists them; emails are sent from them,
immediately or in a daily digest, as each reader chose for each kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from paddock.comments.models import Comment

# Kinds about the reader's own comment: shown whatever became of it. The others are about
# someone else's comment, shown only while everyone can see it.
OWN_KINDS = ("featured", "moderation")


class NotificationQuerySet(models.QuerySet):
    def shown_to(self, user) -> NotificationQuerySet:
        """What a reader's notifications page lists: theirs, less those about another reader's
        comment that nobody may see any more (rejected, hidden, deleted since)."""
        visible = Q(
            comment__status=Comment.Status.PUBLISHED,
            comment__shadowed=False,
            comment__is_deleted=False,
        )
        return self.filter(Q(kind__in=OWN_KINDS) | visible, recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        MENTION = "mention", "Mention"
        FEATURED = "featured", "Featured"
        FOLLOW = "follow", "Followed discussion"
        MODERATION = "moderation", "Moderation"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email told the reader of it (alone or in a digest); null: not (yet) emailed.
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]
        constraints = [
            # At most one notification of a kind per comment and reader (a comment that
            # mentions a reader twice tells them once; featured again after being taken down,
            # once). Moderation notices are the exception: one comment may be held, then let
            # through, then hidden by reports, and each is told.
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment"],
                condition=Q(comment__isnull=False) & ~Q(kind="moderation"),
                name="notification_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    def get_absolute_url(self) -> str:
        """Where the notification leads: the comment itself (its permalink), else the page."""
        if self.comment_id:
            return self.comment.get_absolute_url()
        return self.article.url if self.article_id and self.article.url else "/"


class Frequency(models.TextChoices):
    """How a reader wants to be emailed about one kind of notification."""

    NONE = "none", "Never"
    IMMEDIATE = "immediate", "At once"
    DAILY = "daily", "In a daily digest"


class EmailPreferences(models.Model):
    """How often one reader is emailed about each kind of notification. A reader without a row
    has the defaults (`paddock.notifications.preferences.DEFAULTS`); the notifications page
    shows every notification whatever is chosen here. Moderation notices have no choice:
    moderation emails them itself."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    reply = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    mention = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    featured = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    follow = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "email preferences"

    def __str__(self) -> str:
        return f"Email preferences of {self.user_id}"

    def frequency(self, kind: str) -> str:
        return getattr(self, kind)


class Follow(models.Model):
    """A reader following a discussion: told of each new top-level comment in it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["article", "user"], name="follow_by_article")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.article_id}"
