"""Where moderation joins the discussion (paddock/comments/hooks.py): its screen judges every
new comment, a held or rejected comment's author is told at once, and reports may hide a
comment (actions/comment_hide.py); editors and moderators get the button that features one.
Connected in ModerationConfig.ready."""

from __future__ import annotations

from django.dispatch import receiver

from paddock.comments.hooks import (
    FeatureButton,
    comment_posted,
    comment_reported,
    feature_register,
    screen_register,
)

from . import services
from .actions import FEATURE, CommentHideAction


def connect() -> None:
    screen_register(services.ModerationScreen())
    feature_register(FeatureButton(permission=FEATURE, url_name="moderation:feature"))


@receiver(comment_posted, dispatch_uid="moderation_comment_posted")
def _posted(sender, comment, **kwargs) -> None:
    services.after_post(comment)


@receiver(comment_reported, dispatch_uid="moderation_comment_reported")
def _reported(sender, report, **kwargs) -> None:
    CommentHideAction(report.comment_id).execute()
