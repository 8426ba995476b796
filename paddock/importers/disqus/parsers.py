"""The streaming reader of Disqus XML exports: threads and posts, one at a time, in file order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element

from ..parsers import ExportError, local_name, text_of, xml_events

DISQUS_NS = "http://disqus.com"
DSQ_NS = "http://disqus.com/disqus-internals"
_DSQ_ID = f"{{{DSQ_NS}}}id"


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
    for event, elem in xml_events(stream, "export"):
        if event == "start-ns":
            continue
        if event == "start":
            depth += 1
            if depth == 1:
                root = elem  # type: ignore[assignment]
                if elem.tag != q + "disqus":  # type: ignore[union-attr]
                    raise ExportError(
                        "This is not a Disqus export: its root element is "
                        f'<{local_name(elem.tag)}>, not <disqus xmlns="{DISQUS_NS}">. '  # type: ignore[union-attr]
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
                identifier=text_of(elem.find(q + "id")).strip(),
                forum=text_of(elem.find(q + "forum")).strip(),
                link=text_of(elem.find(q + "link")).strip(),
                title=text_of(elem.find(q + "title")),
                created_at=text_of(elem.find(q + "createdAt")).strip(),
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
                message=text_of(elem.find(q + "message")),
                created_at=text_of(elem.find(q + "createdAt")).strip(),
                is_deleted=_flag(elem.find(q + "isDeleted")),
                is_spam=_flag(elem.find(q + "isSpam")),
                author_name=text_of(author.find(q + "name")) if author is not None else "",
                author_email=text_of(author.find(q + "email")) if author is not None else "",
                author_username=text_of(author.find(q + "username")) if author is not None else "",
                author_anonymous=_flag(author.find(q + "isAnonymous"))
                if author is not None
                else False,
                ip_address=text_of(elem.find(q + "ipAddress")).strip(),
            )
            if on_record:
                on_record()
        root.remove(elem)
        elem.clear()


def _flag(elem: Element | None) -> bool:
    return text_of(elem).strip().lower() == "true"
