"""What the importers remember: each run, which Paddock object each source object became, and
the guest identity of imported comments.

The mapping (`ImportedObject`) is what makes an import idempotent: a second run finds every
WordPress or Disqus id it has seen, compares checksums and only writes what changed.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class Source(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    DISQUS = "disqus", "Disqus"


class ImportRun(models.Model):
    """One run of an import command, with its summary, so that what was done stays known."""

    source = models.CharField(max_length=16, choices=Source.choices)
    site = models.CharField(max_length=200, blank=True, help_text="The exported site or forum.")
    file_name = models.CharField(max_length=500)
    file_size = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import of {self.file_name}"


class ImportedObject(models.Model):
    """One source object (a WordPress post, a Disqus comment...) and the Paddock object it is."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        ATTACHMENT = "attachment", "Attachment"
        POST = "post", "Post"
        PAGE = "page", "Page"
        COMMENT = "comment", "Comment"
        THREAD = "thread", "Thread"

    source = models.CharField(max_length=16, choices=Source.choices)
    # The exported site (WordPress base URL, Disqus forum): two sites both have a post 1.
    site = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source_id = models.CharField(max_length=200)
    # Empty for an attachment that could not be downloaded (its URL is kept in source_url).
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # For posts and attachments: their URL without scheme ("host/path"), to match by link.
    source_url = models.CharField(max_length=500, blank=True, db_index=True)
    # A digest of the source fields last imported: a differing digest means the export changed.
    checksum = models.CharField(max_length=32)
    # Whatever else is worth keeping: the revision written, the text of a deleted comment.
    data = models.JSONField(default=dict, blank=True)
    # The run that last saw this object; a second sighting in one run is a duplicate id.
    last_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site", "kind", "source_id"], name="imported_object_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_target")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"


class ImportedCommentAuthor(models.Model):
    """Who wrote an imported comment when that person has no Paddock account (a WordPress or
    Disqus guest), or as the source named them when they have one."""

    comment = models.OneToOneField(
        "comments.Comment",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="imported_author",
    )
    name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    url = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name or "(anonymous)"
