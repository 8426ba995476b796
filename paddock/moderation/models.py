"""Moderation: the site's policy, banned terms, readers' standing, the audit log, what authors
are told, and the spam classifier learned from moderators' decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from paddock.core.text import normalise_for_matching


def default_premoderate_first() -> int:
    return settings.PADDOCK_PREMODERATE_FIRST


@register_setting(icon="sliders")
class ModerationPolicy(BaseGenericSetting):
    """The rules new comments meet, editable by administrators. The defaults are safe."""

    premoderate_first = models.PositiveSmallIntegerField(
        "Hold a new reader's first comments",
        default=default_premoderate_first,
        validators=[MaxValueValidator(100)],
        help_text="How many of a reader's first comments wait for a moderator (0: none).",
    )
    max_links = models.PositiveSmallIntegerField(
        "Links allowed",
        default=2,
        validators=[MaxValueValidator(100)],
        help_text="A comment with more links than this is held for review.",
    )
    report_threshold = models.PositiveSmallIntegerField(
        "Reports that hide a comment",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Once this many different readers report a comment it is hidden until a "
        "moderator decides.",
    )
    hold_score = models.FloatField(
        "Hold at spam score",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="A comment scoring at least this (0 to 1) waits for a moderator.",
    )
    reject_score = models.FloatField(
        "Reject as spam at score",
        default=0.9,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="A comment scoring at least this is filed as spam at once.",
    )
    velocity_limit = models.PositiveSmallIntegerField(
        "Comments in ten minutes before it looks like flooding",
        default=5,
        validators=[MinValueValidator(1)],
    )
    purge_spam_after_days = models.PositiveSmallIntegerField(
        "Delete spam after (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Spam older than this is deleted for good by a daily job; nothing else is.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("premoderate_first"), FieldPanel("max_links")], heading="New comments"
        ),
        MultiFieldPanel(
            [FieldPanel("hold_score"), FieldPanel("reject_score"), FieldPanel("velocity_limit")],
            heading="Spam scoring",
        ),
        FieldPanel("report_threshold"),
        FieldPanel("purge_spam_after_days"),
    ]

    class Meta:
        verbose_name = "Moderation policy"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.hold_score > self.reject_score:
            raise ValidationError(
                {"hold_score": "Holding must start at or below the score that rejects."}
            )


class BannedTerm(models.Model):
    """A word or phrase comments must not contain, matched on normalised text so that spacing,
    case, accents and look-alike characters do not slip through."""

    class Action(models.TextChoices):
        HOLD = "hold", "Hold for review"
        REJECT = "reject", "Reject"

    phrase = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, editable=False, unique=True)
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.HOLD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["normalised"]

    def __str__(self) -> str:
        return self.phrase

    def save(self, *args, **kwargs):
        self.normalised = normalise_for_matching(self.phrase)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        self.normalised = normalise_for_matching(self.phrase)
        if not self.normalised:
            raise ValidationError({"phrase": "Enter a word or phrase with letters or digits."})
        clash = BannedTerm.objects.filter(normalised=self.normalised).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"phrase": "That phrase is already banned."})


class ReaderStanding(models.Model):
    """What moderators decided about a reader: suspended until a date, banned, shadow banned."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing"
    )
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned = models.BooleanField(default=False)
    shadow_banned = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Standing of {self.user_id}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    def snapshot(self) -> dict:
        return {
            "suspended_until": self.suspended_until.isoformat() if self.suspended_until else None,
            "banned": self.banned,
            "shadow_banned": self.shadow_banned,
        }


class AuditEntry(models.Model):
    """One moderator action: who, what, when, the state before and after, and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        EDIT = "edit", "Edited"
        DISMISS = "dismiss", "Dismissed reports"
        HIDE = "hide", "Hidden by reports"
        SUSPEND = "suspend", "Suspended"
        BAN = "ban", "Banned"
        SHADOW_BAN = "shadow_ban", "Shadow banned"
        REINSTATE = "reinstate", "Reinstated"
        CLOSE = "close", "Closed comments"
        OPEN = "open", "Opened comments"
        PURGE = "purge", "Purged spam"
        TERM_CREATE = "term_create", "Banned a term"
        TERM_EDIT = "term_edit", "Changed a banned term"
        TERM_DELETE = "term_delete", "Unbanned a term"
        POLICY_EDIT = "policy_edit", "Changed the policy"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the log outlives accounts.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=Action.choices, db_index=True)
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The page of the comment's discussion (an article, or a standard page: Comment.article).
    article = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(max_length=300)
    reason = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        permissions = [
            ("moderate_comments", "Can moderate comments"),
            ("sanction_readers", "Can suspend, ban and reinstate readers"),
            ("export_audit_log", "Can export the moderation audit log"),
            ("view_moderation_dashboard", "Can view the moderation dashboard"),
            ("close_discussions", "Can close and reopen comments on articles"),
            ("feature_comments", "Can feature comments above a discussion"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display().lower()}: {self.summary}"


class Notice(models.Model):
    """What a reader is told on the site about their own comments (also sent by email)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices"
    )
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return self.message


class Classifier(models.Model):
    """The spam model adapted to this site's decisions (spam_model.py): logistic regression
    weights over hashed text features, kept as plain JSON arrays (no pickles), so every app
    process can load it. `ham_count` and `spam_count` are this site's own examples."""

    trained_at = models.DateTimeField(default=timezone.now)
    ham_count = models.PositiveIntegerField()
    spam_count = models.PositiveIntegerField()
    n_features = models.PositiveIntegerField()
    arrays = models.JSONField(default=dict)
    accuracy = models.FloatField(null=True, blank=True)

    class Meta:
        get_latest_by = "trained_at"

    def __str__(self) -> str:
        return f"Classifier of {self.trained_at:%Y-%m-%d %H:%M}"


class QueueSnapshot(models.Model):
    """The size of the moderation queue at a moment, taken every hour for the dashboard."""

    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    held = models.PositiveIntegerField()
    reported = models.PositiveIntegerField()

    class Meta:
        ordering = ["taken_at"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"{self.held + self.reported} waiting at {self.taken_at:%Y-%m-%d %H:%M}"
