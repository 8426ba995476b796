"""A WordPress post body into Wagtail's rich text (its database HTML), keeping what the article
editor can show (paragraphs, h2/h3, bold, italic, links, quotes, lists, rules and images) and
dropping everything else: scripts, styles, iframes, forms, event handlers and unsafe link
schemes never reach the page. Shortcodes ([caption], [gallery], [embed], [video]) and
WordPress's automatic paragraphs are expanded first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from ..convert import BLOCK, DROP, HEADINGS, MEDIA, Node, file_name, parse_html, safe_url

_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
BR = "<br/>"
_CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.S | re.I)
_CAPTION_IMAGE = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.S | re.I)
_CAPTION_ATTR = re.compile(r"""\bcaption=(?:"([^"]*)"|'([^']*)')""", re.I)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_GALLERY_IDS = re.compile(r"""\b(?:ids|include)=["']?([\d,\s]+)""", re.I)
_MEDIA_SHORTCODE = re.compile(r"\[(video|audio)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.S | re.I)
_MEDIA_SRC = re.compile(r"""\b(?:src|mp4|m4v|webm|ogv|mp3|ogg|wav)=["']([^"']+)["']""", re.I)
_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.M)


def _link_paragraph(url: str) -> str:
    href = safe_url(url.strip())
    if not href:
        return ""
    return f'<p><a href="{escape(href)}">{escape(url.strip())}</a></p>'


def expand_shortcodes(html: str, *, autop: bool) -> str:
    """WordPress's own shortcodes as HTML: captions unwrapped around their image, galleries as
    their images, [embed] and media players as links. Other bracketed text stays as written."""

    def caption(match: re.Match) -> str:
        attrs, inner = match.groups()
        parts = _CAPTION_IMAGE.match(inner)
        image, text = parts.groups() if parts else ("", inner)
        if not text.strip():
            attr = _CAPTION_ATTR.search(attrs)
            text = (attr.group(1) or attr.group(2)) if attr else ""
        return f"<figure>{image}<figcaption>{text.strip()}</figcaption></figure>"

    def gallery(match: re.Match) -> str:
        ids = _GALLERY_IDS.search(match.group(1))
        if not ids:
            return ""
        numbers = [n for n in re.split(r"[,\s]+", ids.group(1)) if n.isdigit()]
        images = "<br>".join(f'<img data-wp-attachment="{n}">' for n in numbers)
        return f"<figure>{images}</figure>"

    def media(match: re.Match) -> str:
        src = _MEDIA_SRC.search(match.group(2))
        return _link_paragraph(src.group(1)) if src else ""

    if "[" in html:
        html = _CAPTION.sub(caption, html)
        html = _EMBED.sub(lambda m: _link_paragraph(m.group(1)), html)
        html = _GALLERY.sub(gallery, html)
        html = _MEDIA_SHORTCODE.sub(media, html)
    if autop and "http" in html:
        # A URL alone on its line is one WordPress would have embedded (oEmbed): a link here.
        html = _URL_LINE.sub(lambda m: _link_paragraph(m.group(1)), html)
    return html


@dataclass
class ImageRef:
    """An image the body shows: what the resolver was asked and what it answered."""

    src: str
    attachment_id: str


# (src, attachment id) → a Wagtail image id when the attachment was imported, else None; and the
# attachment's own URL when the body only named its id (a gallery).
ImageResolver = Callable[[str, str], tuple[int | None, str]]


def no_images(src: str, attachment_id: str) -> tuple[int | None, str]:
    return None, ""


_EMPTY_INLINE = re.compile(r"<(b|i)>(\s*)</\1>|<a [^>]*>(\s*)</a>")
_EDGE_BREAKS = re.compile(r"^(?:\s|<br/>)+|(?:\s|<br/>)+$")
_LEADING_SPACE = re.compile(r"^((?:<[^/>][^>]*>)+)(?:\s|<br/>)+")
_TRAILING_SPACE = re.compile(r"(?:\s|<br/>)+((?:</[^>]+>)+)$")
_SPACES = re.compile(r"[ \t\r\f\v\n]+")
_AUTOP_SPACES = re.compile(r"[ \t\r\f\v]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_TAGS = re.compile(r"<[^>]+>")


def _tidy(html: str) -> str:
    previous = None
    while previous != html:
        previous = html
        html = _EMPTY_INLINE.sub(r"\2\3", html)
    html = _EDGE_BREAKS.sub("", html)
    html = _LEADING_SPACE.sub(r"\1", _TRAILING_SPACE.sub(r"\1", html))
    return re.sub(r" {2,}", " ", html)


def _has_text(html: str) -> bool:
    return bool(_TAGS.sub("", html).strip())


class _RichText:
    """Walks the tree and writes Wagtail's rich text blocks."""

    def __init__(self, images: ImageResolver, *, autop: bool, in_list: bool = False) -> None:
        self.images = images
        self.autop = autop
        self.in_list = in_list
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.block_tag = "p"
        self.open: list[tuple[str, str]] = []  # inline tags open across block boundaries
        self.in_link = 0
        self.pre = 0

    # Blocks

    def flush(self) -> None:
        if self.in_list:
            self.inline.append(BR)
            return
        if self.inline:
            closers = "".join(close for _, close in reversed(self.open))
            html = _tidy("".join(self.inline) + closers)
            if _has_text(html):
                self.blocks.append(f"<{self.block_tag}>{html}</{self.block_tag}>")
        self.inline = [opener for opener, _ in self.open]

    def block(self, node: Node, tag: str | None) -> None:
        self.flush()
        saved = self.block_tag
        if tag and not self.in_list:
            self.block_tag = tag
        self.walk(node)
        self.flush()
        self.block_tag = saved

    def standalone(self, html: str) -> None:
        """A block of its own (a rule, an image): ends the paragraph around it."""
        if self.in_list:
            return
        self.flush()
        self.blocks.append(html)

    # Inline

    def text(self, data: str) -> None:
        if self.pre:
            self.inline.append(BR.join(escape(line, quote=False) for line in data.split("\n")))
        elif self.autop:
            for index, paragraph in enumerate(_PARAGRAPH_BREAK.split(data)):
                if index:
                    self.flush()
                lines = paragraph.split("\n")
                self.inline.append(
                    BR.join(escape(_AUTOP_SPACES.sub(" ", line), quote=False) for line in lines)
                )
        else:
            self.inline.append(escape(_SPACES.sub(" ", data), quote=False))

    def styled(self, node: Node, opener: str, closer: str) -> None:
        self.inline.append(opener)
        self.open.append((opener, closer))
        self.walk(node)
        self.open.pop()
        self.inline.append(closer)

    def image(self, node: Node) -> None:
        src = node.attrs.get("src", "")
        match = _WP_IMAGE_CLASS.search(node.attrs.get("class", ""))
        attachment_id = node.attrs.get("data-wp-attachment") or (match.group(1) if match else "")
        image_id, known_url = self.images(src, attachment_id)
        alt = node.attrs.get("alt", "").strip()
        if image_id and not self.in_list:
            self.standalone(
                f'<embed alt="{escape(alt)}" embedtype="image" format="fullwidth" id="{image_id}"/>'
            )
            return
        href = safe_url(src if src and not src.startswith("data:") else known_url)
        if not href:
            return
        label = escape(alt or file_name(href) or "image", quote=False)
        if self.in_link:
            self.inline.append(label)
        else:
            self.inline.append(f'<a href="{escape(href)}">{label}</a>')

    def media(self, node: Node) -> None:
        src = node.attrs.get("src") or node.attrs.get("data") or ""
        if not src:
            for child in node.children:
                if isinstance(child, Node) and child.tag == "source" and child.attrs.get("src"):
                    src = child.attrs["src"]
                    break
        href = safe_url(src)
        if not href or href.startswith(("/", "#", "?")):
            return
        link = f'<a href="{escape(href)}">{escape(href, quote=False)}</a>'
        if self.in_list or self.in_link:
            self.inline.append(escape(href, quote=False) if self.in_link else link)
        else:
            self.standalone(f"<p>{link}</p>")

    # The walk

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.text(child)
                continue
            tag = child.tag
            if tag in DROP:
                continue
            if tag in ("b", "strong"):
                self.styled(child, "<b>", "</b>")
            elif tag in ("i", "em", "cite"):
                self.styled(child, "<i>", "</i>")
            elif tag == "a":
                href = safe_url(child.attrs.get("href"))
                if href and not self.in_link:
                    self.in_link += 1
                    self.styled(child, f'<a href="{escape(href)}">', "</a>")
                    self.in_link -= 1
                else:
                    self.walk(child)
            elif tag == "br":
                self.inline.append(BR)
            elif tag == "img":
                self.image(child)
            elif tag == "hr":
                if self.in_list:
                    self.inline.append(BR)
                else:
                    self.standalone("<hr/>")
            elif tag in HEADINGS:
                self.block(child, HEADINGS[tag])
            elif tag == "blockquote":
                self.block(child, "blockquote")
            elif tag in ("ul", "ol"):
                if self.in_list:
                    continue  # nested lists are written by the list that contains them
                self.flush()
                html = list_html(child, self.images, autop=self.autop)
                if html:
                    self.blocks.append(html)
            elif tag == "pre":
                self.pre += 1
                self.block(child, None)
                self.pre -= 1
            elif tag in ("td", "th"):
                if _has_text("".join(self.inline)):
                    self.inline.append(" | ")
                self.walk(child)
            elif tag in MEDIA:
                self.media(child)
            elif tag in BLOCK or tag == "li":
                self.block(child, None)
            else:
                self.walk(child)  # span, font, u, code, table, tbody...: their content only


def list_html(node: Node, images: ImageResolver, *, autop: bool) -> str:
    """A list in Wagtail's format: <ul><li>text<ul>...</ul></li></ul>, items inline only."""
    items: list[str] = []
    pending: list[Node | str] = []  # stray content before the first <li> is an item of its own

    def item(children: list[Node | str]) -> None:
        writer = _RichText(images, autop=autop, in_list=True)
        nested = []
        for child in children:
            if isinstance(child, Node) and child.tag in ("ul", "ol"):
                nested.append(list_html(child, images, autop=autop))
        writer.walk(Node("li", children=children))
        closers = "".join(close for _, close in reversed(writer.open))
        content = _tidy("".join(writer.inline) + closers)
        sublists = "".join(n for n in nested if n)
        if _has_text(content) or sublists:
            items.append(f"<li>{content}{sublists}</li>")

    for child in node.children:
        if isinstance(child, Node) and child.tag == "li":
            if pending:
                item(pending)
                pending = []
            item(child.children)
        elif isinstance(child, Node) and child.tag in ("ul", "ol") and items:
            # A list directly inside a list belongs to the item before it.
            nested = list_html(child, images, autop=autop)
            if nested:
                items[-1] = items[-1][: -len("</li>")] + nested + "</li>"
        elif isinstance(child, Node) or child.strip():
            pending.append(child)
    if pending:
        item(pending)
    if not items:
        return ""
    tag = "ol" if node.tag == "ol" else "ul"
    return f"<{tag}>{''.join(items)}</{tag}>"


def rich_text(html: str, *, images: ImageResolver = no_images) -> str:
    """A WordPress post body as Wagtail rich text.

    Classic-editor content is stored without <p> tags (WordPress adds them when it shows the
    post: "wpautop"), so blank lines there make paragraphs and single newlines line breaks;
    block-editor content (marked by <!-- wp: comments) already has its tags.
    """
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    autop = "<!-- wp:" not in html
    html = expand_shortcodes(html, autop=autop)
    writer = _RichText(images, autop=autop)
    writer.walk(parse_html(html))
    writer.flush()
    return "".join(writer.blocks)


def image_refs(html: str) -> tuple[set[str], set[str]]:
    """The image URLs and attachment ids a body shows, to look their imports up at once."""
    srcs: set[str] = set()
    ids: set[str] = set()
    if "<img" not in html and "[gallery" not in html:
        return srcs, ids
    for tag in re.findall(r"<img\b[^>]*>", html, flags=re.I):
        src = re.search(r"""\bsrc\s*=\s*["']([^"']+)["']""", tag, flags=re.I)
        if src:
            srcs.add(src.group(1).strip())
        match = _WP_IMAGE_CLASS.search(tag)
        if match:
            ids.add(match.group(1))
    for gallery in _GALLERY.finditer(html):
        found = _GALLERY_IDS.search(gallery.group(1))
        if found:
            ids.update(n for n in re.split(r"[,\s]+", found.group(1)) if n.isdigit())
    return srcs, ids


def plain_text(html: str) -> str:
    """Text without markup, single-spaced (titles, standfirsts)."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    parts: list[str] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in DROP and child.tag not in MEDIA:
                if child.tag in BLOCK or child.tag == "br":
                    parts.append(" ")
                walk(child)

    walk(parse_html(html))
    return " ".join("".join(parts).split())
