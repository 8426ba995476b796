"""What each role may do in discussions: every reader comments, votes and reports."""

from __future__ import annotations

from paddock.core.roles import READERS, grant

grant(READERS, "comments.add_comment", "comments.add_vote", "comments.add_report")
