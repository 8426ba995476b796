from django import template

from ..changes import Change, audit_changes
from ..models import AuditEntry

register = template.Library()


@register.filter
def changes(entry: AuditEntry) -> list[Change]:
    """The fields an audit entry changed, in words (moderation.changes)."""
    return audit_changes(entry.before, entry.after)
