"""The streaming reader of WordPress eXtended RSS (WXR 1.0–1.2).

It yields one record at a time (the site, an author, a category or tag, a post with its
comments) and forgets the XML behind it, so memory holds one record, whatever the size of the
file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element

from ..parsers import ExportError, local_name, text_of, xml_events

SUPPORTED_WXR_VERSIONS = ("1.0", "1.1", "1.2")
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


@dataclass
class WxrSite:
    version: str
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class WxrAuthor:
    id: str = ""
    login: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrTerm:
    """A category or a tag."""

    kind: str  # "category" or "tag"
    term_id: str = ""
    slug: str = ""
    name: str = ""
    parent: str = ""
    description: str = ""


@dataclass
class WxrComment:
    id: str = ""
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = ""
    user_id: str = ""


@dataclass
class WxrItem:
    """A post, page or attachment, with its terms, metadata and comments."""

    title: str = ""
    link: str = ""
    pub_date: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified_gmt: str = ""
    comment_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    menu_order: str = ""
    post_type: str = ""
    post_password: str = ""
    attachment_url: str = ""
    # (domain, nicename, name) in the order the export lists them.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


WxrRecord = WxrSite | WxrAuthor | WxrTerm | WxrItem


def read_wxr(
    stream: BinaryIO, *, on_record: Callable[[], None] | None = None
) -> Iterator[WxrRecord]:
    """The records of a WXR file in file order; the WxrSite comes before any other."""
    wp = ""
    version = ""
    site: WxrSite | None = None
    site_sent = False
    channel: Element | None = None
    depth = 0
    for event, elem in xml_events(stream, "export"):
        if event == "start-ns":
            _prefix, uri = elem  # type: ignore[misc]
            match = _WP_NAMESPACE.match(uri)
            if match and not wp:
                wp, version = f"{{{uri}}}", match.group(1)
            continue
        if event == "start":
            depth += 1
            if depth == 1 and elem.tag != "rss":  # type: ignore[union-attr]
                raise ExportError(
                    "This is not a WordPress export: its root element is "
                    f"<{local_name(elem.tag)}>, not <rss>."  # type: ignore[union-attr]
                    " Export with Tools → Export in the WordPress admin."
                )
            if depth == 2 and elem.tag == "channel":  # type: ignore[union-attr]
                channel = elem  # type: ignore[assignment]
            continue
        depth -= 1
        if depth != 2 or channel is None:
            continue
        # A child of <channel> is complete.
        assert isinstance(elem, Element)
        if site is None:
            site = _wxr_site(wp, version)
            names = _WxrNames(wp, version)
        tag = elem.tag
        if tag in (names.author, names.category, names.tag, "item") and not site_sent:
            site_sent = True
            yield site
        if tag == "item":
            yield _wxr_item(elem, names)
            if on_record:
                on_record()
        elif tag == names.author:
            yield WxrAuthor(**{key: text_of(elem.find(wp + f"author_{key}")) for key in _AUTHOR})
        elif tag == names.category:
            yield WxrTerm(
                kind="category",
                term_id=text_of(elem.find(wp + "term_id")),
                slug=text_of(elem.find(wp + "category_nicename")),
                name=text_of(elem.find(wp + "cat_name")),
                parent=text_of(elem.find(wp + "category_parent")),
                description=text_of(elem.find(wp + "category_description")),
            )
        elif tag == names.tag:
            yield WxrTerm(
                kind="tag",
                term_id=text_of(elem.find(wp + "term_id")),
                slug=text_of(elem.find(wp + "tag_slug")),
                name=text_of(elem.find(wp + "tag_name")),
                description=text_of(elem.find(wp + "tag_description")),
            )
        elif tag == names.wxr_version:
            declared = (elem.text or "").strip()
            if declared not in SUPPORTED_WXR_VERSIONS:
                raise ExportError(
                    f"WXR version {declared or '(empty)'} is not supported: this importer reads "
                    f"WXR {', '.join(SUPPORTED_WXR_VERSIONS)}. Export again from a WordPress "
                    "version that writes one of those, or convert the file."
                )
            site.version = declared
        elif tag == "title":
            site.title = elem.text or ""
        elif tag == "link":
            site.link = elem.text or ""
        elif tag == names.base_site_url:
            site.base_site_url = elem.text or ""
        elif tag == names.base_blog_url:
            site.base_blog_url = elem.text or ""
        channel.remove(elem)
        elem.clear()
    if site is None:
        raise ExportError("The file holds no WordPress channel: it is not a WXR export.")
    if not site_sent:
        yield site


_AUTHOR = ("id", "login", "email", "display_name", "first_name", "last_name")


def _wxr_site(wp: str, version: str) -> WxrSite:
    if not wp:
        raise ExportError(
            "This is not a WordPress export: it has no WordPress (wp:) namespace. An RSS feed is "
            "not an export; use Tools → Export in the WordPress admin."
        )
    if version not in SUPPORTED_WXR_VERSIONS:
        raise ExportError(
            f"WXR version {version} is not supported: this importer reads WXR "
            f"{', '.join(SUPPORTED_WXR_VERSIONS)}."
        )
    return WxrSite(version=version)


class _WxrNames:
    """The qualified tag names of one WXR version, computed once."""

    def __init__(self, wp: str, version: str) -> None:
        self.author = wp + "author"
        self.category = wp + "category"
        self.tag = wp + "tag"
        self.wxr_version = wp + "wxr_version"
        self.base_site_url = wp + "base_site_url"
        self.base_blog_url = wp + "base_blog_url"
        self.comment = wp + "comment"
        self.postmeta = wp + "postmeta"
        self.meta_key = wp + "meta_key"
        self.meta_value = wp + "meta_value"
        excerpt = f"{{http://wordpress.org/export/{version}/excerpt/}}encoded"
        self.item_fields = {
            "title": "title",
            "link": "link",
            "pubDate": "pub_date",
            "guid": "guid",
            f"{{{DC_NS}}}creator": "creator",
            f"{{{CONTENT_NS}}}encoded": "content",
            excerpt: "excerpt",
            **{
                wp + name: name
                for name in (
                    "post_id",
                    "post_date",
                    "post_date_gmt",
                    "post_modified_gmt",
                    "comment_status",
                    "post_name",
                    "status",
                    "post_parent",
                    "menu_order",
                    "post_type",
                    "post_password",
                    "attachment_url",
                )
            },
        }
        self.comment_fields = {
            wp + "comment_" + name: attr
            for name, attr in (
                ("id", "id"),
                ("author", "author"),
                ("author_email", "author_email"),
                ("author_url", "author_url"),
                ("author_IP", "author_ip"),
                ("date", "date"),
                ("date_gmt", "date_gmt"),
                ("content", "content"),
                ("approved", "approved"),
                ("type", "type"),
                ("parent", "parent"),
                ("user_id", "user_id"),
            )
        }


def _wxr_item(elem: Element, names: _WxrNames) -> WxrItem:
    item = WxrItem()
    fields = names.item_fields
    for child in elem:
        tag = child.tag
        if tag == "category":
            item.terms.append((child.get("domain", ""), child.get("nicename", ""), text_of(child)))
        elif tag == names.comment:
            comment = WxrComment()
            comment_fields = names.comment_fields
            for part in child:
                attr = comment_fields.get(part.tag)
                if attr:
                    setattr(comment, attr, part.text or "")
            item.comments.append(comment)
        elif tag == names.postmeta:
            key = text_of(child.find(names.meta_key))
            if key:
                item.meta[key] = text_of(child.find(names.meta_value))
        else:
            attr = fields.get(tag)
            if attr:
                setattr(item, attr, child.text or "")
    return item
