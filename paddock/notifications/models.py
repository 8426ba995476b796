"""What readers are told about the discussions they take part in.

A notification is one event for one reader: a reply to their comment, a mention of their name,
their comment featured, a new top-level comment in a discussion they follow, or a moderation
notice about their own comment. The notifications page lists them; emails are sent from them,
immediately or in a daily digest, as each reader chose for each kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


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

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]
        constraints = [
            # At most one notification of a kind per comment and reader (a comment that
            # mentions a reader twice, or is both a reply and a mention, tells them once each).
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment"],
                condition=models.Q(comment__isnull=False),
                name="notification_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"
