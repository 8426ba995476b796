"""Moderation's actions, one module each, named for what they do to what: a moderator deciding
on comments (comment_decide), editing one (comment_edit), sanctioning a reader
(reader_sanction); an editor closing a discussion (discussion_close); the site hiding a
reported comment (comment_hide) and purging old spam (spam_purge).

Each checks who acts and what they asked (`check()`), then writes in one transaction with its
audit entry (`execute()`); see base.py.

    CommentDecideAction([comment.pk], decision="approve", user=request.user).execute()
"""

from .base import (
    CLOSE,
    MODERATE,
    SANCTION,
    ModerationAction,
    ModerationError,
    ModerationPermissionError,
)
from .comment_decide import CommentDecideAction, CommentDecidePermissionError
from .comment_edit import CommentEditAction, CommentEditPermissionError
from .comment_hide import CommentHideAction
from .discussion_close import DiscussionCloseAction, DiscussionClosePermissionError
from .reader_sanction import ReaderSanctionAction, ReaderSanctionPermissionError
from .spam_purge import SpamPurgeAction

__all__ = [
    "CLOSE",
    "MODERATE",
    "SANCTION",
    "CommentDecideAction",
    "CommentDecidePermissionError",
    "CommentEditAction",
    "CommentEditPermissionError",
    "CommentHideAction",
    "DiscussionCloseAction",
    "DiscussionClosePermissionError",
    "ModerationAction",
    "ModerationError",
    "ModerationPermissionError",
    "ReaderSanctionAction",
    "ReaderSanctionPermissionError",
    "SpamPurgeAction",
]
