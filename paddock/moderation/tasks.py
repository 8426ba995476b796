"""Background work of moderation: telling authors, teaching Akismet, retraining the classifier,
and purging old spam."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from paddock.comments.models import Comment
from paddock.core.mail import send_templated
from paddock.core.urls import absolute_url

from . import akismet, classifier
from .models import Notice

logger = logging.getLogger(__name__)


@task(backend="background")
def email_author(notice_id: int) -> bool:
    """Email a reader what happened to their comment, as the notice on the site says."""
    notice = (
        Notice.objects.select_related("user__profile", "comment__article")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or not notice.user.is_active or not notice.user.email:
        return False
    comment = notice.comment
    profile = getattr(notice.user, "profile", None)
    context = {
        "notice": notice,
        "comment": comment,
        "article": comment.article if comment else None,
        "name": getattr(profile, "display_name", "") or "there",
        "notices_url": absolute_url("/notifications/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    title = comment.article.title if comment else settings.WAGTAIL_SITE_NAME
    send_templated(
        subject=f"About your comment on “{title}”",
        template="moderation/email/notice.txt",
        context=context,
        to=[notice.user.email],
    )
    return True


@task(backend="background")
def teach_akismet(comment_id: int, spam: bool) -> bool:
    """Tell Akismet a moderator's verdict (submit-spam or submit-ham), when it is configured."""

    if not akismet.configured():
        return False
    comment = Comment.objects.select_related("author__profile").filter(pk=comment_id).first()
    return bool(comment) and akismet.submit(comment, spam=spam)


@task(backend="background")
def retrain_classifier() -> bool:
    """Adapt the shipped spam model to this site's decisions so far (classifier.train)."""
    model = classifier.train()
    if model is not None:
        logger.info(
            "Spam model adapted to %s not-spam and %s spam decisions of this site",
            model.ham_count,
            model.spam_count,
        )
    return model is not None


@task(backend="background")
def purge_old_spam() -> int:
    from .actions import SpamPurgeAction  # actions queue these tasks

    return SpamPurgeAction().execute()


@task(backend="background")
def snapshot_queue() -> int:
    """Record how many comments wait for a moderator now (the dashboard charts it)."""
    from .services import queue_snapshot_take  # services queue these tasks

    snapshot = queue_snapshot_take()
    return snapshot.held + snapshot.reported
