"""Where the discussion acts on what happens below it (paddock/accounts/hooks.py): a deleted
account's comments lose their author, and a reader's new name or avatar makes the pages that
show their comments stale. Connected in CommentsConfig.ready."""

from __future__ import annotations

from django.dispatch import receiver

from paddock.accounts.hooks import account_deleting, profile_shown_changed

from . import services


@receiver(account_deleting, dispatch_uid="comments_account_deleting")
def _detach(sender, user, delete_comments: bool, **kwargs) -> None:
    services.comments_detach_author(user.pk, blank=delete_comments)


@receiver(profile_shown_changed, dispatch_uid="comments_profile_shown_changed")
def _author_shown_changed(sender, user_id: int, **kwargs) -> None:
    services.author_shown_changed(user_id)
