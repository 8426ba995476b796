"""Every write of standard pages made by code rather than by an editor in Wagtail's admin (the
WordPress importer, the demo). Pages are created, revised, published and moved through Wagtail's
machinery, so the admin's history is the same either way and the page cache goes stale through
Wagtail's signals, as it does for an editor's work (newsroom/signals.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from wagtail.models import Page, Revision

from .models import StandardPage


def standard_page_create(
    *,
    parent: Page,
    title: str,
    slug: str,
    introduction: str = "",
    body: str = "",
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
