"""Comment bodies: a safe Markdown subset rendered to HTML, then sanitised with nh3.

Readers get paragraphs, line breaks, emphasis, links, quotes and code. Raw HTML is never
interpreted (it shows as text), and whatever the renderer emits is cleaned again by nh3, so a
bug in one layer is not enough to inject markup.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from django.utils.text import Truncator
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https", "mailto"}

_md = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    .disable(["heading", "lheading", "image", "hr", "html_block", "html_inline", "list"])
    .disable(["table", "strikethrough"], ignoreInvalid=True)
)
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"}
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(raw: str) -> str:
    """Normalise what a reader typed: unify line ends, drop control characters and lone
    surrogates, keep every other character (right-to-left text, emoji, combining marks)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch not in _CONTROL and unicodedata.category(ch) != "Cs")
    return _BLANK_RUNS.sub("\n\n", text).strip()


def render(text: str) -> str:
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes=URL_SCHEMES,
        # Relative and protocol-relative links ("//elsewhere.example") could pass for ours.
        url_relative="deny",
    ).strip()


def plain(html: str) -> str:
    """The text of rendered HTML, for excerpts: no markup, no entities, single spaces."""
    import html as htmllib

    return " ".join(htmllib.unescape(nh3.clean(html, tags=set())).split())


def excerpt(text: str, length: int = 100) -> str:
    """About `length` characters cut on a word boundary, with an ellipsis when cut."""
    return Truncator(text).chars(length, truncate="…", html=False)
