"""What each role may do in moderation: Moderators work the queue, sanction readers and read
the audit log (in the admin, through comments and reports); Editors close an article's
discussion; both feature the best comments."""

from __future__ import annotations

from paddock.core.roles import EDITORS, MODERATORS, grant

grant(
    MODERATORS,
    "wagtailadmin.access_admin",
    "moderation.moderate_comments",
    "moderation.sanction_readers",
    "moderation.view_auditentry",
    "moderation.export_audit_log",
    "moderation.view_moderation_dashboard",
    "comments.view_comment",
    "comments.view_report",
    "moderation.feature_comments",
)
grant(EDITORS, "moderation.close_discussions", "moderation.feature_comments")
