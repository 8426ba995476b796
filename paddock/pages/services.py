"""Every write of the pages app: standard pages made by code (the demo, the WordPress importer),
the contact messages and their handling, and the footer menu. Standard pages are created,
revised, published and moved through Wagtail's machinery, so the admin's history is the same
either way and the page cache goes stale through Wagtail's signals, as it does for an editor's
work (pages/signals.py); the others say which cached pages they made stale here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision, Site

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
    writer=None,
    publish: bool = False,
    first_published_at: dt.datetime | None = None,
    last_published_at: dt.datetime | None = None,
    go_live_at: dt.datetime | None = None,
) -> tuple[StandardPage, Revision]:
    """A standard page under `parent` (the home page or another standard page), saved as a
    revision by `writer` (also its owner). With `publish` it is live at once, or scheduled at
    `go_live_at`; an imported page keeps the dates it was first and last published."""
    with transaction.atomic():
        page = StandardPage(
            title=title,
            slug=slug,
            introduction=introduction,
            body=body,
            show_contact_form=show_contact_form,
            owner=writer,
            go_live_at=go_live_at,
            live=False,
            locale_id=parent.locale_id,
        )
        parent.add_child(instance=page)
        revision = page.save_revision(user=writer, clean=False)
        if publish:
            revision.publish(user=writer, skip_permission_checks=True)
            if go_live_at is None and (first_published_at or last_published_at):
                _dates_set(page, first_published_at, last_published_at)
            page.refresh_from_db()  # publishing wrote the live copy; this one still says draft
    return page, revision


def standard_page_update(
    *,
    page: StandardPage,
    parent: Page,
    title: str,
    slug: str,
    introduction: str,
    body: str,
    publish: bool,
    writer=None,
    go_live_at: dt.datetime | None = None,
    last_published_at: dt.datetime | None = None,
) -> Revision:
    """Revise a standard page (moved under `parent` when it is elsewhere), then publish it or,
    without `publish`, take it offline."""
    with transaction.atomic():
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        page.title = title
        page.slug = slug
        page.introduction = introduction
        page.body = body
        page.go_live_at = go_live_at
        revision = page.save_revision(user=writer)
        if publish:
            revision.publish(user=writer, skip_permission_checks=True)
            if go_live_at is None and last_published_at is not None:
                _dates_set(page, None, last_published_at)
        elif page.live:
            page.unpublish()
    return revision


def standard_pages_order(*, parent: Page, page_ids: Sequence[int]) -> bool:
    """Put these children of `parent` in this order (after its other children); True when
    anything moved. Wagtail keeps siblings in tree order, which menus and the admin follow."""
    current = list(
        Page.objects.child_of(parent).filter(pk__in=page_ids).values_list("pk", flat=True)
    )
    if current == list(page_ids):
        return False
    with transaction.atomic():
        for page_id in page_ids:
            Page.objects.get(pk=page_id).specific.move(
                Page.objects.get(pk=parent.pk), pos="last-child"
            )
    return True


def _dates_set(page: StandardPage, first: dt.datetime | None, last: dt.datetime | None) -> None:
    changes = {}
    if first is not None:
        changes["first_published_at"] = first
    if last is not None or first is not None:
        changes["last_published_at"] = last or first
    Page.objects.filter(pk=page.pk).update(**changes)
    for name, value in changes.items():
        setattr(page, name, value)


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
