from django import template

from ..changes import Change, audit_changes
from ..models import AuditEntry, Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    """How many notices about their comments the signed-in reader has not seen yet."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


@register.filter
def changes(entry: AuditEntry) -> list[Change]:
    """The fields an audit entry changed, in words (moderation.changes)."""
    return audit_changes(entry.before, entry.after)
