"""Keep the full-page cache true to the discussion: a comment that changes in any way (posted,
edited, deleted, voted on, moderated) makes its article's page stale, and the sidebar's recent
comments on every page when they changed; a reader's new name or avatar does the same for the
pages their comments are on.

These receivers cover the writers that save one comment at a time. Bulk writes, which post_save
never sees, go through comments_bulk_create and comments_bulk_update in services.py, which say
themselves which pages they changed (with discussion_changed, which lives there too)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from paddock.accounts.models import Profile

from .models import Comment
from .services import discussion_changed

# Fields the sidebar's recent comments do not show: changing only these (a vote, a report)
# leaves every page but the article's as it was.
TALLY_FIELDS = {"upvotes", "downvotes", "score", "wilson", "open_reports"}


@receiver(post_save, sender=Comment, dispatch_uid="pagecache_comment_saved")
@receiver(post_delete, sender=Comment, dispatch_uid="pagecache_comment_deleted")
def _comment_changed(sender, instance: Comment, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    fields = kwargs.get("update_fields")
    only_tallies = bool(fields) and set(fields) <= TALLY_FIELDS
    discussion_changed([instance.article_id], [instance.pk], recent=not only_tallies)


@receiver(post_save, sender=Profile, dispatch_uid="pagecache_profile_saved")
def _profile_changed(sender, instance: Profile, raw: bool = False, created=False, **kwargs):
    """A reader's name or avatar shows beside each of their comments."""
    if raw or created:
        return
    theirs = Comment.objects.filter(author_id=instance.user_id)
    if not theirs.exists():
        return
    discussion_changed(
        theirs.values_list("article_id", flat=True).distinct(), theirs.values_list("pk", flat=True)
    )
