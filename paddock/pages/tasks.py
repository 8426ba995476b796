"""Background work of the pages app: telling the editors of a contact message."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from paddock.core.mail import send_templated
from paddock.core.roles import EDITORS
from paddock.core.urls import absolute_url

from .models import ContactMessage


def editors_emails() -> list[str]:
    """Where contact messages go: PADDOCK_CONTACT_EMAILS when set, else every active editor."""
    configured = list(getattr(settings, "PADDOCK_CONTACT_EMAILS", ()) or ())
    if configured:
        return configured
    return list(
        get_user_model()
        .objects.filter(groups__name=EDITORS, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


@task(backend="background")
def contact_message_notify(message_id: int) -> int:
    """Email the editors a contact message, answerable with Reply; how many were told."""
    stored = ContactMessage.objects.filter(pk=message_id).first()
    recipients = editors_emails()
    if stored is None or not recipients:
        return 0
    send_templated(
        subject=f"[{settings.WAGTAIL_SITE_NAME} contact] {stored.subject}",
        template="pages/email/contact_message.txt",
        context={
            "message": stored,
            "url": absolute_url(reverse("pages_admin:message", args=[stored.pk])),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
        to=recipients,
        headers={"Reply-To": stored.email},
    )
    return len(recipients)
