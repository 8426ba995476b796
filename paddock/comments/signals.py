"""Keep the full-page cache true to the discussion: a comment that changes in any way (posted,
edited, deleted, voted on, moderated) makes its article's page stale, and the sidebar's recent
comments on every page when they changed; a reader's new name or avatar does the same for the
pages their comments are on."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from paddock.accounts.models import Profile
from paddock.core import pagecache

from .models import Comment
from .selectors import RECENT_COUNT


def recent_ids() -> list[int]:
    return list(
        Comment.objects.visible()
        .on_live_articles()
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_COUNT]
    )


# Fields the sidebar's recent comments do not show: changing only these (a vote, a report)
# leaves every page but the article's as it was.
TALLY_FIELDS = {"upvotes", "downvotes", "score", "wilson", "open_reports"}


def discussion_changed(article_ids, comment_ids=(), *, recent: bool = True) -> None:
    """After the commit: these articles' pages are stale, and so are the recent comments on
    every page if the list, or one comment in it, changed."""

    def after_commit() -> None:
        tags = [f"article:{pk}" for pk in sorted(set(article_ids))]
        if recent:
            ids = recent_ids()
            if pagecache.remember("recent-ids", ids) or set(comment_ids) & set(ids):
                tags.append("recent")
        pagecache.bump(*tags)

    transaction.on_commit(after_commit)


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
