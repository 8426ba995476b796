"""The footer menu and the privacy policy link, for every page of the site.

Both read the request's site's FooterMenu setting from the site chrome's snapshot
(paddock/core/chrome.py), kept under the `site` tag: a page costs no query for them once kept,
and whatever changes them (the setting edited in the admin or through
services.footer_menu_set, a linked page published, moved or unpublished) bumps `site`."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, Site

from paddock.core import chrome, fragments
from paddock.core.text import escape
from paddock.core.urls import site_page_url

from ..chrome import FOOTER, LinkedPage

register = template.Library()


def _site(request: HttpRequest | None) -> Site | None:
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return Site.find_for_request(request)


def _live_url(page: LinkedPage | None, request, site: Site | None) -> str:
    if page is None or not page.live:
        return ""
    if request is not None and hasattr(request, "_wagtail_cached_site_root_paths"):
        url = site_page_url(
            page.url_path, request._wagtail_cached_site_root_paths, getattr(site, "pk", None)
        )
        if url is not None:
            return url
    # A page with only what its address needs: no query (Page.get_url reads the site root
    # paths the request holds).
    return Page(id=page.pk, url_path=page.url_path).get_url(request=request) or ""


def footer_links(request: HttpRequest | None) -> dict:
    """{"links": [(label, url)], "privacy": url or ""} for the request's site, worked out once
    a request (the footer, the newsletter box and the comment form each ask) and kept by each
    process until the site changes (strings, made from the site chrome's snapshot)."""
    if request is None:
        return _footer_links(None, _site(None))
    found = getattr(request, "_paddock_footer_links", None)
    if found is None:
        site = _site(request)
        links, privacy = fragments.here(
            f"footer-links:{getattr(site, 'pk', None)}",
            ["site"],
            lambda: _frozen(_footer_links(request, site)),
        )
        found = request._paddock_footer_links = {"links": list(links), "privacy": privacy}
    return found


def _frozen(found: dict) -> tuple:
    return tuple(found["links"]), found["privacy"]


def _footer_links(request: HttpRequest | None, site: Site | None) -> dict:
    if site is None:
        return {"links": [], "privacy": ""}
    footer = chrome.get(FOOTER)
    menu = footer.menus.get(site.pk)
    if menu is None:
        return {"links": [], "privacy": ""}
    links = []
    for link in footer.links.get(site.pk, ()):
        if link.page is not None:
            url = _live_url(link.page, request, site)
            label = link.label or link.page.title
        else:
            url, label = link.url, link.label
        if url and label:
            links.append((label, url))
    return {"links": links, "privacy": _live_url(menu.privacy, request, site)}


@register.simple_tag(takes_context=True)
def footer_menu(context) -> SafeString:
    """The footer menu's links, as list items (footer_menu_html)."""
    return footer_menu_html(footer_links(context.get("request"))["links"])


def footer_menu_html(links) -> SafeString:
    """(label, address) pairs as list items, both escaped."""
    return mark_safe(  # noqa: S308 - escaped
        "".join(f'<li><a href="{escape(url)}">{escape(label)}</a></li>\n' for label, url in links)
    )


@register.simple_tag(takes_context=True)
def privacy_policy_url(context) -> str:
    """The privacy policy's address, or "" when the site has none."""
    return footer_links(context.get("request"))["privacy"]


@register.simple_tag(takes_context=True)
def privacy_policy_link(context, text: str = "Read our privacy policy.") -> str:
    """A link to the privacy policy, or nothing when the site has none."""
    return privacy_link_html(context.get("request"), text)


def privacy_link_html(request, text: str = "Read our privacy policy.") -> str:
    """The privacy policy link of `{% privacy_policy_link %}`, for markup built in Python."""
    url = footer_links(request)["privacy"]
    return format_html('<a class="privacy-link" href="{}">{}</a>', url, text) if url else ""
