from django import template

from ..models import Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    """How many notices about their comments the signed-in reader has not seen yet."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
