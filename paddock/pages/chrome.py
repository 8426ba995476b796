"""The footer menu of each site, its links and its privacy policy's page, as one part of the site
chrome (paddock/core/chrome.py, one statement), kept under the `site` tag, which whatever changes
them bumps (the setting edited, a linked page published, moved or unpublished: see
templatetags/pages_tags)."""

from __future__ import annotations

from typing import NamedTuple

from paddock.core import chrome

from .models import FooterMenu

FOOTER = "pages.footer"


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


class Footer(NamedTuple):
    """Each site's footer menu (the first when a site has several) and its links, in order."""

    menus: dict[int, Menu]
    links: dict[int, tuple[Link, ...]]


def _footer_query():
    # One row a link (one for a menu without any), the menu's fields on each.
    return FooterMenu.objects.order_by("pk", "links__sort_order", "links__pk").values_list(
        "site_id",
        "privacy_page_id",
        "privacy_page__url_path",
        "privacy_page__live",
        "privacy_page__title",
        "links__pk",
        "links__label",
        "links__page_id",
        "links__page__url_path",
        "links__page__live",
        "links__page__title",
        "links__url",
    )


def _footer(rows) -> Footer:
    menus: dict[int, Menu] = {}
    by_site: dict[int, list[Link]] = {}
    for site_id, privacy_id, privacy_path, privacy_live, privacy_title, *link in rows:
        if site_id not in menus:
            privacy = (
                LinkedPage(privacy_id, privacy_path, privacy_live, privacy_title)
                if privacy_id
                else None
            )
            menus[site_id] = Menu(site_id, privacy)
        link_id, label, page_id, url_path, live, title, url = link
        if link_id is not None:
            page = LinkedPage(page_id, url_path, live, title) if page_id else None
            by_site.setdefault(site_id, []).append(Link(site_id, label, page, url))
    return Footer(menus, {site_id: tuple(links) for site_id, links in by_site.items()})


def register() -> None:
    chrome.register(FOOTER, ("site",), _footer_query, _footer)
