"""The full-page cache told when a standard page changes: the page itself, the footer menu
and the privacy links all show standard pages, so any publish, unpublish or deletion of one
bumps `site` (moves already do, paddock/newsroom/signals.py). Wagtail writes pages, so its
signals are where to hear of it."""

from __future__ import annotations

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from paddock.core import pagecache

from .models import StandardPage


def _site_changed(sender, **kwargs) -> None:
    pagecache.invalidate("site")


page_published.connect(_site_changed, sender=StandardPage, dispatch_uid="pc_pub_StandardPage")
page_unpublished.connect(_site_changed, sender=StandardPage, dispatch_uid="pc_unpub_StandardPage")
post_delete.connect(_site_changed, sender=StandardPage, dispatch_uid="pc_del_StandardPage")
