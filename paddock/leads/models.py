"""Dealers, their staff, quote requests (leads) and which dealer got which lead."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator, validate_email
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .geo import POSTAL_CODE_HELP, normalise_postal, postal_location


def validate_postal_code(value: str) -> None:
    if postal_location(value) is None:
        raise ValidationError(f"Enter a known postal code: {POSTAL_CODE_HELP}.")


# Named by migration 0001; the field validates with validate_postal_code since 0004.
validate_us_zip = validate_postal_code


def validate_email_list(value: str) -> None:
    for address in split_emails(value):
        validate_email(address)


# A CRM endpoint receives shoppers' names and numbers: never over plain HTTP.
validate_https_url = URLValidator(
    schemes=["https"], message="Enter an https:// address; leads are never posted unencrypted."
)


def split_emails(value: str) -> list[str]:
    return [a.strip() for a in value.replace(";", ",").replace("\n", ",").split(",") if a.strip()]


class Dealer(models.Model):
    """A dealership that sells some makes and takes leads near its ZIP code."""

    name = models.CharField(max_length=120)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(
        max_length=2, help_text="Two-letter state or province code, e.g. TX or ON."
    )
    zip_code = models.CharField(
        "ZIP or postal code", max_length=7, validators=[validate_postal_code]
    )
    makes = models.ManyToManyField("newsroom.Make", related_name="dealers")
    notification_emails = models.TextField(
        validators=[validate_email_list],
        help_text="Addresses that receive new leads, separated by commas.",
    )
    crm_email = models.EmailField(
        "CRM lead address",
        blank=True,
        help_text="Your CRM's lead inbox: each lead arrives there as an ADF document alone.",
    )
    crm_endpoint = models.URLField(
        "CRM HTTPS endpoint",
        blank=True,
        validators=[validate_https_url],
        help_text="Each lead is POSTed here as an ADF document (application/xml).",
    )
    active = models.BooleanField(default=True)
    daily_lead_cap = models.PositiveIntegerField(
        default=20, validators=[MinValueValidator(1)], help_text="Most leads a day."
    )
    # Cached from zip_code on save, so routing never looks a dealer's ZIP up again.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("street"), FieldPanel("city"), FieldPanel("state"), FieldPanel("zip_code")],
            heading="Address",
        ),
        FieldPanel("makes"),
        FieldPanel("notification_emails"),
        MultiFieldPanel(
            [FieldPanel("crm_email"), FieldPanel("crm_endpoint")], heading="CRM delivery (ADF)"
        ),
        FieldPanel("active"),
        FieldPanel("daily_lead_cap"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city}, {self.state})"

    def save(self, *args, **kwargs):
        self.zip_code = normalise_postal(self.zip_code)
        location = postal_location(self.zip_code)
        self.latitude, self.longitude = location if location else (None, None)
        super().save(*args, **kwargs)

    @property
    def email_list(self) -> list[str]:
        return split_emails(self.notification_emails)


class DealerStaff(models.Model):
    """An account that works for one dealership and sees its leads in the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dealer_staff"
    )
    dealer = models.ForeignKey(Dealer, on_delete=models.CASCADE, related_name="staff")

    panels = [FieldPanel("user"), FieldPanel("dealer")]

    class Meta:
        verbose_name = "dealer staff member"
        verbose_name_plural = "dealer staff"

    def __str__(self) -> str:
        return f"{self.user} at {self.dealer.name}"


class Timeframe(models.TextChoices):
    NOW = "now", "Within a week"
    MONTH = "month", "Within a month"
    QUARTER = "quarter", "Within three months"
    LATER = "later", "Just researching"


class Lead(models.Model):
    """A shopper's request for a quote, with the consent text they agreed to."""

    make = models.ForeignKey("newsroom.Make", on_delete=models.PROTECT, related_name="leads")
    vehicle_model = models.ForeignKey(
        "newsroom.VehicleModel", on_delete=models.PROTECT, related_name="leads"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    trim = models.CharField(max_length=60, blank=True)
    # Blank when the shopper did not say: nobody is told an answer that was not given.
    timeframe = models.CharField(max_length=10, choices=Timeframe.choices, blank=True)
    zip_code = models.CharField("ZIP or postal code", max_length=7)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    consent_text = models.TextField()
    # The article the shopper was reading when they asked, if they came from one.
    source_article = models.ForeignKey(
        "newsroom.ArticlePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Repeats used to be counted here; a repeat request from the form now leaves the lead
    # untouched (anyone can type a shopper's address), so these keep their past values.
    repeat_count = models.PositiveIntegerField(default=0)
    last_requested_at = models.DateTimeField(null=True, blank=True)
    unrouted = models.BooleanField(default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    # What the shopper agreed to and how the lead was routed are records, not for editing.
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("make"),
                FieldPanel("vehicle_model"),
                FieldPanel("year"),
                FieldPanel("trim"),
                FieldPanel("timeframe"),
            ],
            heading="Vehicle",
        ),
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("email"), FieldPanel("phone"), FieldPanel("zip_code")],
            heading="Shopper",
        ),
        FieldPanel("consent_text", read_only=True),
        FieldPanel("unrouted", read_only=True),
        FieldPanel("repeat_count", read_only=True),
        FieldPanel("anonymised_at", read_only=True),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("route_lead", "Can send an unrouted lead to dealers again")]

    def __str__(self) -> str:
        return f"Lead {self.pk}: {self.vehicle_model}"


class AssignmentStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SOLD = "sold", "Sold"
    INVALID = "invalid", "Invalid"


class LeadAssignment(models.Model):
    """One lead sent to one dealer, with that dealer's progress on it."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="assignments")
    dealer = models.ForeignKey(Dealer, on_delete=models.CASCADE, related_name="assignments")
    distance_miles = models.FloatField()
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.NEW
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["distance_miles", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "dealer"], name="lead_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"Lead {self.lead_id} → {self.dealer.name}"


class CrmChannel(models.TextChoices):
    EMAIL = "email", "CRM email"
    HTTPS = "https", "HTTPS POST"


class CrmOutcome(models.TextChoices):
    SENT = "sent", "Delivered"
    RETRYING = "retrying", "Failed, will retry"
    FAILED = "failed", "Failed, gave up"


class CrmDelivery(models.Model):
    """One attempt to hand a lead's ADF document to a dealer's CRM: the delivery log."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="crm_deliveries")
    dealer = models.ForeignKey(Dealer, on_delete=models.CASCADE, related_name="crm_deliveries")
    channel = models.CharField(max_length=5, choices=CrmChannel.choices)
    attempt = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=8, choices=CrmOutcome.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "CRM deliveries"

    def __str__(self) -> str:
        return f"Lead {self.lead_id} → {self.dealer_id} ({self.channel} #{self.attempt})"


class LeadNote(models.Model):
    """A dealer's own note on one of its leads, for its staff only."""

    assignment = models.ForeignKey(LeadAssignment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on lead {self.assignment_id}"


class LeadStatusChange(models.Model):
    """Who moved a dealer's lead from one status to another, and when."""

    assignment = models.ForeignKey(
        LeadAssignment, on_delete=models.CASCADE, related_name="status_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    old_status = models.CharField(max_length=10, choices=AssignmentStatus.choices)
    new_status = models.CharField(max_length=10, choices=AssignmentStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Lead {self.assignment_id}: {self.old_status} → {self.new_status}"
