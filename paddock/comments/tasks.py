"""Background work of discussions: telling readers that someone replied to them."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from paddock.core.mail import send_templated
from paddock.core.urls import absolute_url

from .models import Comment
from .selectors import author_name


@task(backend="background")
def notify_reply(comment_id: int) -> bool:
    """Email the author of the parent comment, if they asked for it; True when sent."""
    reply = (
        Comment.objects.visible()
        .select_related("article", "author__profile", "parent__author__profile")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or reply.parent is None or not reply.parent.is_visible:
        return False
    recipient = reply.parent.author
    if recipient is None or not recipient.is_active or recipient.pk == reply.author_id:
        return False
    profile = getattr(recipient, "profile", None)
    if profile is None or not profile.notify_replies or not recipient.email:
        return False
    context = {
        "reply": reply,
        "replier": author_name(reply),
        "recipient_name": profile.display_name,
        "article": reply.article,
        "url": absolute_url(reply.get_absolute_url()),
        "settings_url": absolute_url("/accounts/profile/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_templated(
        subject=f"{context['replier']} replied to your comment on “{reply.article.title}”",
        template="comments/email/reply.txt",
        context=context,
        to=[recipient.email],
    )
    return True
