"""Subscribers and the sign-up requests waiting for their link to be followed, editions
(digests and special editions) and one delivery per subscriber and edition, which is the
ledger that makes sending exactly-once."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField
from wagtail.models import PreviewableMixin

EDITION_BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr", "blockquote"]


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    NONE = "none", "No digest, special editions only"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Undeliverable"


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> SubscriberQuerySet:
        return self.filter(status=SubscriberStatus.ACTIVE)

    def audience(self, edition: Edition) -> SubscriberQuerySet:
        """Who receives an edition: active subscribers who asked for this kind of mail."""
        if edition.kind == EditionKind.SPECIAL:
            return self.active().filter(special_editions=True)
        return self.active().filter(frequency=edition.kind)


class Subscriber(models.Model):
    """An address that asked for the newsletter, with its consent and preferences."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=100, blank=True)
    # The subscriber's identity in signed links: never the address, never guessable.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriber",
    )
    status = models.CharField(
        max_length=12, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    special_editions = models.BooleanField(default=True)
    sections = models.ManyToManyField(
        "newsroom.SectionPage",
        blank=True,
        related_name="+",
        help_text="Sections the digest covers; none means every section.",
    )
    # Consent as given: when, from where, on which page, and the words shown.
    consent_at = models.DateTimeField(default=timezone.now)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    consent_source = models.CharField(max_length=300, blank=True)
    consent_text = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_edition = models.ForeignKey(
        "Edition", null=True, blank=True, on_delete=models.SET_NULL, related_name="unsubscribes"
    )
    unsubscribe_reason = models.CharField(max_length=20, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    panels = [
        FieldPanel("email", read_only=True),
        FieldPanel("name"),
        FieldPanel("status", read_only=True),
        FieldPanel("frequency"),
        FieldPanel("special_editions"),
        FieldPanel("sections"),
        HelpPanel(
            "Subscribers change their own preferences from the link in every email; "
            "consent is recorded when they sign up and confirm."
        ),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "frequency"], name="subscriber_audience"),
            models.Index(fields=["confirmed_at"], name="subscriber_confirmed"),
        ]

    def __str__(self) -> str:
        return self.email


class SignupRequest(models.Model):
    """What an anonymous sign-up asked for, kept aside until the link emailed to the address
    is followed. Anyone can type anyone's address, so nothing about a subscriber (its status,
    name, preferences or consent) changes before the address's owner confirms."""

    email = models.EmailField(max_length=254, db_index=True)
    # The request's identity in the signed confirmation link.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    consent_at = models.DateTimeField(default=timezone.now)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    consent_source = models.CharField(max_length=300, blank=True)
    consent_text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.email


class NoticeQuota(models.Model):
    """How many sign-up, "already subscribed" and preferences-link emails one address got
    today, and when the last one went: the public forms must not flood anyone's inbox."""

    email = models.EmailField(max_length=254, unique=True)
    day = models.DateField()
    sent = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.email}: {self.sent} on {self.day}"


class EditionKind(models.TextChoices):
    SPECIAL = "special", "Special edition"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    EMPTY = "empty", "Nothing to send"
    CANCELLED = "cancelled", "Cancelled while sending"


class EditionQuerySet(models.QuerySet):
    def specials(self) -> EditionQuerySet:
        return self.filter(kind=EditionKind.SPECIAL)

    def due(self, now=None) -> EditionQuerySet:
        """Scheduled editions whose time has come."""
        return self.filter(status=EditionStatus.SCHEDULED, scheduled_for__lte=now or timezone.now())


class Edition(PreviewableMixin, models.Model):
    """One mailing: a special edition an editor wrote, or a digest built from new articles."""

    kind = models.CharField(
        max_length=8, choices=EditionKind.choices, default=EditionKind.SPECIAL, editable=False
    )
    subject = models.CharField(max_length=150)
    preheader = models.CharField(
        max_length=200,
        blank=True,
        help_text="The line mail programs show after the subject, before the email is opened.",
    )
    body = RichTextField(features=EDITION_BODY_FEATURES, blank=True)
    status = models.CharField(
        max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT, editable=False
    )
    # A digest's period ("daily:2026-11-22", "weekly:2026-W47"): one edition per period.
    period_key = models.CharField(max_length=40, unique=True, null=True, editable=False)
    window_start = models.DateTimeField(null=True, editable=False)
    window_end = models.DateTimeField(null=True, editable=False)
    scheduled_for = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False)
    # Who stopped a sending half-way, and when: what had gone out by then stays sent.
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # When a follow-up delivery task is already queued for (retries, expired claims).
    wakeup_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    panels = [FieldPanel("subject"), FieldPanel("preheader"), FieldPanel("body")]

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_edition", "Can send, schedule and test newsletter editions")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.kind == EditionKind.SPECIAL and self.status == EditionStatus.DRAFT

    def get_preview_template(self, request, mode_name):
        return "newsletter/admin/preview.html"

    def get_preview_context(self, request, mode_name):
        from .rendering import preview_html  # rendering imports these models

        return {"email_html": preview_html(self)}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    CLAIMED = "claimed", "Claimed by a worker"
    SENDING = "sending", "Handed to the mail server"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"
    IN_DOUBT = "in_doubt", "In doubt (worker stopped while sending)"
    CANCELLED = "cancelled", "Not sent (the edition was cancelled)"


UNFINISHED = [DeliveryStatus.PENDING, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]


class Delivery(models.Model):
    """One subscriber's copy of one edition: created before sending, then claimed, sent and
    recorded one message at a time, so that a worker that dies loses at most its claim."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True, db_index=True)
    bounced = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["edition", "status", "id"], name="delivery_queue")]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.subscriber_id}: {self.status}"
