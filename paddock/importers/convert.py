"""Source HTML into Paddock's formats, the part both imports share.

`comment_markdown` turns WordPress or Disqus comment HTML into the Markdown subset reader
comments are written in, so that imported comments are rendered and sanitised like any other.
It, and WordPress's `rich_text` (importers/wordpress/convert.py), go through a small tree built
with the standard library's HTML parser, which tolerates the unclosed and misnested tags that
years of hand-edited posts contain; `safe_url` keeps the link schemes a page may carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

# Wagtail's editor for article bodies offers h2 and h3 only (newsroom.models.BODY_FEATURES):
# an h4 would be dropped at the first save in the admin, so lower headings become h3.
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}

# Dropped with everything inside them.
DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "svg",
    "math",
    "form",
    "select",
    "textarea",
    "button",
    "input",
    "option",
    "canvas",
    "map",
    "applet",
    "frameset",
    "frame",
    "param",
}

# Embedded players become a link to what they played.
MEDIA = {"iframe", "video", "audio", "embed", "object"}

BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "center",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "caption",
    "tr",
    "fieldset",
    "legend",
    "body",
    "html",
}

# Opening one of these closes an open element of the same kind first (HTML's implied ends).
_IMPLIED_END = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}}

_IMPLIED_END.update({tag: {"td", "th"} for tag in ("td", "th")})

_CLOSES_P = BLOCK | {"ul", "ol", "blockquote", "pre", "table", "hr", *HEADINGS}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P:
            self._close_implied({"p"}, stop={"li", "td", "th", "blockquote", "div"})
        if tag in _IMPLIED_END:
            stop = {"ul", "ol", "table", "dl", "tbody", "thead", "tfoot"}
            self._close_implied(_IMPLIED_END[tag], stop=stop)
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        # An end tag with nothing to close is ignored, as browsers do.

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_implied(self, tags: set[str], *, stop: set[str]) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[index].tag
            if tag in tags:
                del self.stack[index:]
                return
            if tag in stop:
                return


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")


def safe_url(value: str | None) -> str | None:
    """The URL if it is safe to link to (http(s), mailto, tel, or a path on this site)."""
    if not value:
        return None
    url = _UNSAFE_URL_CHARS.sub("", value.strip().replace(" ", "%20"))
    if not url or len(url) > 2000:
        return None
    if url.startswith("//"):
        url = "https:" + url
    if url.startswith(("/", "#", "?")):
        return url
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in LINK_SCHEMES else None


def file_name(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


_MD_SPECIAL = re.compile(r"([\\`*_\[\]&])")
_MD_LINE_START = re.compile(r"^([ \t]*)([>#])", re.M)


def _md_escape(text: str) -> str:
    return _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))


def comment_markdown(html: str) -> str:
    """Comment HTML (the few tags WordPress and Disqus allow) as the Markdown subset Paddock's
    comments are written in: bold, italic, links, quotes, code, paragraphs and line breaks."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in html and "&" not in html:
        return re.sub(r"\n{3,}", "\n\n", _md_escape(html)).strip()
    return re.sub(r"\n{3,}", "\n\n", _md(parse_html(html))).strip()


def _md(node: Node) -> str:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            out.append(_md_escape(child))
            continue
        tag = child.tag
        if tag in DROP:
            continue
        if tag in MEDIA:
            href = safe_url(child.attrs.get("src") or child.attrs.get("data"))
            if href:
                out.append(f"<{href}>")
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag == "img":
            href = safe_url(child.attrs.get("src"))
            if href:
                out.append(f"[{_md_escape(child.attrs.get('alt') or 'image')}]({_md_href(href)})")
            continue
        inner = _md(child)
        if tag in ("b", "strong") and inner.strip():
            out.append(f"**{inner.strip()}**")
        elif tag in ("i", "em", "cite") and inner.strip():
            out.append(f"*{inner.strip()}*")
        elif tag == "code" and inner.strip():
            out.append("`" + inner.replace("`", "").replace("\\", "") + "`")
        elif tag == "a":
            href = safe_url(child.attrs.get("href"))
            if href and inner.strip():
                out.append(f"[{inner.strip()}]({_md_href(href)})")
            else:
                out.append(inner)
        elif tag == "blockquote":
            quoted = "\n".join("> " + line for line in inner.strip().split("\n"))
            out.append(f"\n\n{quoted}\n\n")
        elif tag == "li":
            out.append(f"\n• {inner.strip()}")
        elif tag in BLOCK or tag in HEADINGS or tag in ("ul", "ol", "pre", "table"):
            out.append(f"\n\n{inner.strip()}\n\n")
        else:
            out.append(inner)
    return "".join(out)


def _md_href(href: str) -> str:
    return href.replace("(", "%28").replace(")", "%29")
