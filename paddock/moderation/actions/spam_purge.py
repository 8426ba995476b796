"""The site deletes spam older than the policy allows (a daily task): the only irreversible
deletion there is. Replies to a purged comment go with it (spam rarely has any worth keeping)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from paddock.comments import services as comments
from paddock.comments.models import Comment

from .. import policy as policies
from ..models import AuditEntry
from .base import ModerationAction

BATCH = 5000


class SpamPurgeAction(ModerationAction):
    """Delete old spam, up to BATCH comments a run; `execute()` returns how many."""

    action_name = "spam_purge"
    permission = None

    def __init__(self, *, user=None, now: dt.datetime | None = None) -> None:
        super().__init__(user=user)
        self.now = now

    def _commit(self) -> int:
        days = policies.current().purge_spam_after_days
        cutoff = (self.now or timezone.now()) - dt.timedelta(days=days)
        old_spam = Comment.objects.filter(status=Comment.Status.SPAM).filter(
            Q(moderated_at__lt=cutoff) | Q(moderated_at__isnull=True, created_at__lt=cutoff)
        )
        ids = list(old_spam.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return 0
        comments.comments_purge(ids)
        self.log(
            AuditEntry.Action.PURGE,
            f"{len(ids)} spam comment{'s' if len(ids) != 1 else ''} older than {days} days",
            after={"deleted": len(ids)},
        )
        return len(ids)
