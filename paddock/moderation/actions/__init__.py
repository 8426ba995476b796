"""Moderation's actions, one module each, named for what they do to what: a moderator deciding
on comments (comment_decide), editing one (comment_edit), sanctioning a reader
(reader_sanction); an editor or moderator featuring a comment (comment_feature); an editor
closing a discussion (discussion_close); the site hiding a reported comment (comment_hide) and
purging old spam (spam_purge); an administrator changing the policy (policy_edit) and the
banned terms (banned_term_create, _edit, _delete).

Each checks who acts and what they asked (`check()`), then writes in one transaction with its
audit entry (`execute()`); see base.py. The policy and banned-term actions are Wagtail's own
create, edit and delete actions extended with the audit entry, which Wagtail's admin views run.

    CommentDecideAction([comment.pk], decision="approve", user=request.user).execute()
"""

from .banned_term_create import BannedTermCreateAction
from .banned_term_delete import BannedTermDeleteAction
from .banned_term_edit import BannedTermEditAction
from .base import (
    CLOSE,
    FEATURE,
    MODERATE,
    SANCTION,
    ModerationAction,
    ModerationError,
    ModerationPermissionError,
)
from .comment_decide import CommentDecideAction, CommentDecidePermissionError
from .comment_edit import CommentEditAction, CommentEditPermissionError
from .comment_feature import CommentFeatureAction, CommentFeaturePermissionError
from .comment_hide import CommentHideAction
from .discussion_close import DiscussionCloseAction, DiscussionClosePermissionError
from .policy_edit import PolicyEditAction
from .reader_sanction import ReaderSanctionAction, ReaderSanctionPermissionError
from .spam_purge import SpamPurgeAction

__all__ = [
    "CLOSE",
    "FEATURE",
    "MODERATE",
    "SANCTION",
    "BannedTermCreateAction",
    "BannedTermDeleteAction",
    "BannedTermEditAction",
    "CommentDecideAction",
    "CommentDecidePermissionError",
    "CommentEditAction",
    "CommentEditPermissionError",
    "CommentFeatureAction",
    "CommentFeaturePermissionError",
    "CommentHideAction",
    "DiscussionCloseAction",
    "DiscussionClosePermissionError",
    "ModerationAction",
    "ModerationError",
    "ModerationPermissionError",
    "PolicyEditAction",
    "ReaderSanctionAction",
    "ReaderSanctionPermissionError",
    "SpamPurgeAction",
]
