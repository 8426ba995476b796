"""The footer menu of each site and its privacy policy's page, as parts of the site chrome
(paddock/core/chrome.py), kept under the `site` tag, which whatever changes them bumps (the
setting edited, a linked page published, moved or unpublished: see templatetags/pages_tags)."""

from __future__ import annotations

from typing import NamedTuple

from paddock.core import chrome

from .models import FooterLink, FooterMenu

MENUS = "pages.footer_menus"
LINKS = "pages.footer_links"


class LinkedPage(NamedTuple):
    """A page a footer points to: enough for its address (Page.get_url) and its title."""

    pk: int
    url_path: str
    live: bool
    title: str


class Menu(NamedTuple):
    site_id: int
    privacy: LinkedPage | None


class Link(NamedTuple):
    site_id: int
    label: str
    page: LinkedPage | None
    url: str


def _menus_query():
    return FooterMenu.objects.order_by("pk").values_list(
        "site_id",
        "privacy_page_id",
        "privacy_page__url_path",
        "privacy_page__live",
        "privacy_page__title",
    )


def _menus(rows) -> dict[int, Menu]:
    menus: dict[int, Menu] = {}
    for site_id, page_id, url_path, live, title in rows:
        page = LinkedPage(page_id, url_path, live, title) if page_id else None
        menus.setdefault(site_id, Menu(site_id, page))  # one menu a site: the first
    return menus


def _links_query():
    return FooterLink.objects.order_by("menu_id", "sort_order", "pk").values_list(
        "menu__site_id", "label", "page_id", "page__url_path", "page__live", "page__title", "url"
    )


def _links(rows) -> dict[int, tuple[Link, ...]]:
    by_site: dict[int, list[Link]] = {}
    for site_id, label, page_id, url_path, live, title, url in rows:
        page = LinkedPage(page_id, url_path, live, title) if page_id else None
        by_site.setdefault(site_id, []).append(Link(site_id, label, page, url))
    return {site_id: tuple(links) for site_id, links in by_site.items()}


def register() -> None:
    chrome.register(MENUS, ("site",), _menus_query, _menus)
    chrome.register(LINKS, ("site",), _links_query, _links)
