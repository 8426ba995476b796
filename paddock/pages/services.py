"""Every write of the pages app: standard pages made by code (the demo, the importers), the
contact messages and their handling, and the footer menu. Each says which cached pages it made
stale; editors' changes in the admin do so through the hooks in wagtail_hooks.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from paddock.core import pagecache
from paddock.core.db import after_commit

from .models import ContactMessage, FooterLink, FooterMenu, StandardPage


def standard_page_create(
    *,
    parent: Page,
    title: str,
    slug: str,
    introduction: str = "",
    body: str = "",
    show_contact_form: bool = False,
    owner=None,
) -> StandardPage:
    """A published standard page under `parent` (the home page or another standard page)."""
    page = StandardPage(
        title=title,
        slug=slug,
        introduction=introduction,
        body=body,
        show_contact_form=show_contact_form,
        owner=owner,
        live=False,
    )
    parent.add_child(instance=page)
    page.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
    page.refresh_from_db()  # publishing wrote the live copy; this one still says draft
    return page


def contact_message_create(
    *,
    page: StandardPage | None,
    name: str,
    email: str,
    subject: str,
    message: str,
    ip_address: str | None = None,
) -> ContactMessage:
    """Store a visitor's message in the editors' inbox; once stored, the editors are emailed
    (a background task)."""
    from .tasks import contact_message_notify  # the task reads what this module writes

    if ip_address in ("", "unknown"):
        ip_address = None
    with transaction.atomic():
        stored = ContactMessage.objects.create(
            page=page,
            name=name[:100],
            email=email,
            subject=subject[:150],
            message=message,
            ip_address=ip_address,
        )
        after_commit(
            lambda: contact_message_notify.enqueue(stored.pk),
            what=f"notice of contact message {stored.pk}",
        )
    return stored


def contact_message_set_handled(*, message_id: int, user, handled: bool = True) -> ContactMessage:
    """Mark a message handled by `user` (or back to waiting). The caller checked the permission."""
    with transaction.atomic():
        stored = ContactMessage.objects.select_for_update().get(pk=message_id)
        if handled and stored.handled_at is None:
            stored.handled_at, stored.handled_by = timezone.now(), user
        elif not handled:
            stored.handled_at, stored.handled_by = None, None
        stored.save(update_fields=["handled_at", "handled_by"])
    return stored


@dataclass(frozen=True)
class MenuLink:
    label: str = ""
    page: Page | None = None
    url: str = ""


def footer_menu_set(
    *, site: Site, links: Sequence[MenuLink], privacy_page: Page | None = None
) -> FooterMenu:
    """Replace the footer menu of `site` with `links`, in order, and its privacy policy page.
    Every page shows the footer: they all become stale."""
    with transaction.atomic():
        menu = FooterMenu.for_site(site)
        menu.privacy_page = privacy_page
        menu.save()
        FooterLink.objects.filter(menu=menu).delete()
        FooterLink.objects.bulk_create(
            [
                FooterLink(menu=menu, sort_order=i, label=link.label, page=link.page, url=link.url)
                for i, link in enumerate(links)
            ]
        )
        pagecache.invalidate("site")
    return menu
