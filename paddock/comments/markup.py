"""Comment bodies: a safe Markdown subset rendered to HTML, then sanitised with nh3.

Readers get paragraphs, line breaks, emphasis, links, quotes and code; a bare http(s) address
becomes a link. Raw HTML is never
interpreted (it shows as text), and whatever the renderer emits is cleaned again by nh3, so a
bug in one layer is not enough to inject markup.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https", "mailto"}

_md = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    .disable(["heading", "lheading", "image", "hr", "html_block", "html_inline", "list"])
    .disable(["table", "strikethrough"], ignoreInvalid=True)
)
# A bare address: http(s)://, then anything but blanks, quotes and angle brackets. What
# usually ends a sentence rather than an address is given back (see _trim_url).
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


def _trim_url(url: str) -> str:
    """ "(see https://x.example/a)." links https://x.example/a; "https://x.example/a_(b)" keeps
    its balanced parenthesis."""
    while url:
        if url[-1] in _TRAILING or url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _link_bare_urls(state: StateCore) -> None:
    """A core rule: turn bare addresses in text into links, leaving links, code and escaped
    text alone. nh3 later checks the scheme again and adds the rel attribute."""
    for block in state.tokens:
        if block.type != "inline" or not block.children or "://" not in block.content:
            continue
        children: list[Token] = []
        in_link = 0
        for index, token in enumerate(block.children):
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or "://" not in token.content:
                children.append(token)
                continue
            text, position = token.content, 0
            for match in _BARE_URL.finditer(text):
                url = _trim_url(match.group())
                if not url.partition("://")[2]:
                    continue
                if (
                    match.start() == 0
                    and index
                    and block.children[index - 1].type == "text_special"
                ):
                    continue  # "http\://…": the reader escaped it on purpose
                href = state.md.normalizeLink(url)
                if not state.md.validateLink(href):
                    continue
                if match.start() > position:
                    children.append(_text(text[position : match.start()], token.level))
                link_open = Token("link_open", "a", 1, level=token.level, markup="linkify")
                link_open.attrs = {"href": href}
                children.append(link_open)
                children.append(_text(state.md.normalizeLinkText(url), token.level + 1))
                children.append(Token("link_close", "a", -1, level=token.level, markup="linkify"))
                position = match.start() + len(url)
            if position == 0:
                children.append(token)
            elif position < len(text):
                children.append(_text(text[position:], token.level))
        block.children = children


def _text(content: str, level: int) -> Token:
    token = Token("text", "", 0, level=level)
    token.content = content
    return token


_md.core.ruler.after("linkify", "paddock_bare_urls", _link_bare_urls)
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
