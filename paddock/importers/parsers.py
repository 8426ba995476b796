"""Streaming readers of export files: WordPress eXtended RSS (WXR 1.0–1.2) and Disqus XML.

Each reader yields one record at a time (an author, a category, a post with its comments, a
Disqus thread or post) and forgets the XML behind it, so memory holds one record, whatever the
size of the file. Export files come from elsewhere (an old host, a third-party service), so they
are parsed with defusedxml: a DTD or entity declaration is refused with a clear error instead of
being expanded.

A file that is not well-formed, not an export, or of an unknown version raises `ExportError`,
whose message says what is wrong and where.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

SUPPORTED_WXR_VERSIONS = ("1.0", "1.1", "1.2")
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DISQUS_NS = "http://disqus.com"
DSQ_NS = "http://disqus.com/disqus-internals"
_DSQ_ID = f"{{{DSQ_NS}}}id"


class ExportError(Exception):
    """The file cannot be imported at all: unreadable, malformed, or not a known export."""


# --- Reading the file ---------------------------------------------------------------------


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it, for the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.bytes_read += n or 0
        return n

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data


@dataclass
class ExportFile:
    """An export on disk, opened as many times as there are passes; `.gz` is read as gzip."""

    path: str

    @property
    def size(self) -> int:
        return os.path.getsize(self.path)

    def open(self) -> tuple[BinaryIO, CountingReader]:
        """(stream to parse, counter of bytes read from disk)."""
        try:
            raw = open(self.path, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise ExportError(f"Cannot read {self.path}: {exc.strerror or exc}.") from exc
        counter = CountingReader(raw)
        if self.path.endswith(".gz"):
            return gzip.GzipFile(fileobj=counter, mode="rb"), counter  # type: ignore[return-value]
        return counter, counter  # type: ignore[return-value]


def _events(stream: BinaryIO, what: str) -> Iterator[tuple[str, object]]:
    """iterparse's events, with every way a file can be broken turned into an ExportError."""
    try:
        yield from iterparse(
            stream,
            events=("start-ns", "start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise ExportError(
            f"The file is not well-formed XML: {reason} at line {line}, column {column + 1}. "
            f"Fix the {what} (or export it again) and run the import again; what was imported "
            "before that point is recognised and not duplicated."
        ) from exc
    except DefusedXmlException as exc:
        raise ExportError(
            f"The file declares a DTD or XML entities ({exc.__class__.__name__}), which no "
            f"{what} does; it was refused rather than expanded."
        ) from exc
    except (OSError, EOFError) as exc:  # gzip damage, a disk error
        raise ExportError(f"Cannot read the file: {exc}.") from exc


def _text(elem: Element | None) -> str:
    if elem is None or elem.text is None:
        return ""
    return elem.text


# --- WordPress ----------------------------------------------------------------------------


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
    for event, elem in _events(stream, "export"):
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
                    f"This is not a WordPress export: its root element is <{_local(elem.tag)}>, "  # type: ignore[union-attr]
                    "not <rss>. Export with Tools → Export in the WordPress admin."
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
            yield WxrAuthor(**{key: _text(elem.find(wp + f"author_{key}")) for key in _AUTHOR})
        elif tag == names.category:
            yield WxrTerm(
                kind="category",
                term_id=_text(elem.find(wp + "term_id")),
                slug=_text(elem.find(wp + "category_nicename")),
                name=_text(elem.find(wp + "cat_name")),
                parent=_text(elem.find(wp + "category_parent")),
                description=_text(elem.find(wp + "category_description")),
            )
        elif tag == names.tag:
            yield WxrTerm(
                kind="tag",
                term_id=_text(elem.find(wp + "term_id")),
                slug=_text(elem.find(wp + "tag_slug")),
                name=_text(elem.find(wp + "tag_name")),
                description=_text(elem.find(wp + "tag_description")),
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


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
            item.terms.append((child.get("domain", ""), child.get("nicename", ""), _text(child)))
        elif tag == names.comment:
            comment = WxrComment()
            comment_fields = names.comment_fields
            for part in child:
                attr = comment_fields.get(part.tag)
                if attr:
                    setattr(comment, attr, part.text or "")
            item.comments.append(comment)
        elif tag == names.postmeta:
            key = _text(child.find(names.meta_key))
            if key:
                item.meta[key] = _text(child.find(names.meta_value))
        else:
            attr = fields.get(tag)
            if attr:
                setattr(item, attr, child.text or "")
    return item


# --- Disqus -------------------------------------------------------------------------------


@dataclass
class DisqusThread:
    id: str = ""
    identifier: str = ""
    forum: str = ""
    link: str = ""
    title: str = ""
    created_at: str = ""
    is_closed: bool = False
    is_deleted: bool = False


@dataclass
class DisqusPost:
    id: str = ""
    thread_id: str = ""
    parent_id: str = ""
    message: str = ""
    created_at: str = ""
    is_deleted: bool = False
    is_spam: bool = False
    author_name: str = ""
    author_email: str = ""
    author_username: str = ""
    author_anonymous: bool = False
    ip_address: str = ""


DisqusRecord = DisqusThread | DisqusPost


def read_disqus(
    stream: BinaryIO, *, on_record: Callable[[], None] | None = None
) -> Iterator[DisqusRecord]:
    """The threads and posts of a Disqus export in file order (categories are skipped)."""
    q = f"{{{DISQUS_NS}}}"
    root: Element | None = None
    depth = 0
    for event, elem in _events(stream, "export"):
        if event == "start-ns":
            continue
        if event == "start":
            depth += 1
            if depth == 1:
                root = elem  # type: ignore[assignment]
                if elem.tag != q + "disqus":  # type: ignore[union-attr]
                    raise ExportError(
                        "This is not a Disqus export: its root element is "
                        f'<{_local(elem.tag)}>, not <disqus xmlns="{DISQUS_NS}">. '  # type: ignore[union-attr]
                        "Request the export from the Disqus admin (Community → Export)."
                    )
            continue
        depth -= 1
        if depth != 1 or root is None:
            continue
        assert isinstance(elem, Element)
        if elem.tag == q + "thread":
            yield DisqusThread(
                id=elem.get(_DSQ_ID, ""),
                identifier=_text(elem.find(q + "id")).strip(),
                forum=_text(elem.find(q + "forum")).strip(),
                link=_text(elem.find(q + "link")).strip(),
                title=_text(elem.find(q + "title")),
                created_at=_text(elem.find(q + "createdAt")).strip(),
                is_closed=_flag(elem.find(q + "isClosed")),
                is_deleted=_flag(elem.find(q + "isDeleted")),
            )
        elif elem.tag == q + "post":
            author = elem.find(q + "author")
            thread = elem.find(q + "thread")
            parent = elem.find(q + "parent")
            yield DisqusPost(
                id=elem.get(_DSQ_ID, ""),
                thread_id=thread.get(_DSQ_ID, "") if thread is not None else "",
                parent_id=parent.get(_DSQ_ID, "") if parent is not None else "",
                message=_text(elem.find(q + "message")),
                created_at=_text(elem.find(q + "createdAt")).strip(),
                is_deleted=_flag(elem.find(q + "isDeleted")),
                is_spam=_flag(elem.find(q + "isSpam")),
                author_name=_text(author.find(q + "name")) if author is not None else "",
                author_email=_text(author.find(q + "email")) if author is not None else "",
                author_username=_text(author.find(q + "username")) if author is not None else "",
                author_anonymous=_flag(author.find(q + "isAnonymous"))
                if author is not None
                else False,
                ip_address=_text(elem.find(q + "ipAddress")).strip(),
            )
            if on_record:
                on_record()
        root.remove(elem)
        elem.clear()


def _flag(elem: Element | None) -> bool:
    return _text(elem).strip().lower() == "true"
