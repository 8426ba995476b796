"""Comment bodies: a safe Markdown subset rendered to HTML, then sanitised with nh3.

Readers get paragraphs, line breaks, emphasis, links, quotes and code; a bare http(s) address
becomes a link, and "@" followed by the display name of a reader in the discussion becomes a
mention: a link to their profile with the class "mention" (the caller says which names may be
mentioned, see `render`). Raw HTML is never interpreted (it shows as text), and whatever the
renderer emits is cleaned again by nh3, so a bug in one layer is not enough to inject markup.

Only the mention rule writes the class "mention" and a link to a path of this site (a
profile's): a reader's own links keep only absolute http(s) and mailto addresses, so a mention
cannot be forged by typing HTML or Markdown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from paddock.core.text import truncate_chars

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_CLASSES = {"a": {"mention"}}
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

# --- Mentions ---------------------------------------------------------------------------------
# "@" starts a mention only after the start of a line, a blank or punctuation other than these
# (not in "reader@example.com", nor in a path or another mention).
_NOT_BEFORE_MENTION = frozenset("@._-/+")
# A profile's path, the only relative link a comment may hold (written by the mention rule).
MENTION_PATH = re.compile(r"/readers/[1-9][0-9]{0,17}/")
_MENTION_LINK = re.compile(r'<a href="/readers/([1-9][0-9]{0,17})/" class="mention"')
NAME_MIN, NAME_MAX = 3, 30  # accounts.display_names' limits
MAX_MENTIONS = 20  # "@"s looked at in one comment


def _mention_may_start(text: str, at: int) -> bool:
    if at == 0:
        return True
    before = text[at - 1]
    return not (before.isalnum() or before in _NOT_BEFORE_MENTION)


def _name_may_end(text: str, end: int) -> bool:
    return end == len(text) or not (text[end].isalnum() or text[end] == "_")


def mention_candidates(text: str) -> set[str]:
    """Every name, lowercased, that an "@" in `text` could start (what the caller looks up)."""
    found: set[str] = set()
    at, seen = text.find("@"), 0
    while at >= 0 and seen < MAX_MENTIONS:
        if _mention_may_start(text, at):
            seen += 1
            start = at + 1
            stop = min(len(text), start + NAME_MAX)
            newline = text.find("\n", start, stop)
            stop = newline if newline >= 0 else stop
            for end in range(start + NAME_MIN, stop + 1):
                if _name_may_end(text, end) and not text[end - 1].isspace():
                    found.add(text[start:end].lower())
        at = text.find("@", at + 1)
    return found


def _longest_name(text: str, start: int, mentions: Mapping[str, str]) -> str | None:
    for end in range(min(len(text), start + NAME_MAX), start + NAME_MIN - 1, -1):
        if _name_may_end(text, end) and text[start:end].lower() in mentions:
            return text[start:end]
    return None


def _link_mentions(state: StateCore) -> None:
    """A core rule: "@Name" becomes a link to the profile `state.env["mentions"]` gives for the
    name (lowercased), the longest name that matches winning ("@Anna Berg" over "@Anna"). Text
    inside links and code is left alone. Every link a reader wrote to a relative address loses
    it: only this rule writes one."""
    mentions: Mapping[str, str] = state.env.get("mentions") or {}
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            if token.type == "link_open" and token.markup != "mention":
                href = str(token.attrs.get("href", ""))
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
                    token.attrs.pop("href", None)
        if not mentions or "@" not in block.content:
            continue
        children: list[Token] = []
        in_link, seen = 0, 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            text, position, at = token.content, 0, token.content.find("@")
            while at >= 0 and seen < MAX_MENTIONS:
                if not _mention_may_start(text, at):
                    at = text.find("@", at + 1)
                    continue
                seen += 1
                name = _longest_name(text, at + 1, mentions)
                if name is None:
                    at = text.find("@", at + 1)
                    continue
                end = at + 1 + len(name)
                if at > position:
                    children.append(_text(text[position:at], token.level))
                link_open = Token("link_open", "a", 1, level=token.level, markup="mention")
                link_open.attrs = {"href": mentions[name.lower()], "class": "mention"}
                children.append(link_open)
                children.append(_text(text[at:end], token.level + 1))
                children.append(Token("link_close", "a", -1, level=token.level, markup="mention"))
                position = end
                at = text.find("@", end)
            if position == 0:
                children.append(token)
            elif position < len(text):
                children.append(_text(text[position:], token.level))
        block.children = children


_md.core.ruler.push("paddock_mentions", _link_mentions)


def _relative_url(url: str) -> str | None:
    """nh3's answer for a relative address: kept only when it is a profile's path (a mention);
    the mention rule already removed every other."""
    return url if MENTION_PATH.fullmatch(url) else None


def mentioned_profile_ids(html: str) -> list[int]:
    """The profiles a stored comment mentions, in order, each once (read from its HTML, where
    only the mention rule writes the class "mention")."""
    return list(dict.fromkeys(int(pk) for pk in _MENTION_LINK.findall(html)))


_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"}
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(raw: str) -> str:
    """Normalise what a reader typed: unify line ends, drop control characters and lone
    surrogates, keep every other character (right-to-left text, emoji, combining marks)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch not in _CONTROL and unicodedata.category(ch) != "Cs")
    return _BLANK_RUNS.sub("\n\n", text).strip()


def render(text: str, mentions: Mapping[str, str] | None = None) -> str:
    """The HTML of a comment; `mentions` maps the display names (lowercased) that "@" may
    mention here to their profiles' paths (see `mention_candidates`)."""
    html = _md.render(text, {"mentions": mentions or {}})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel=LINK_REL,
        url_schemes=URL_SCHEMES,
        # Relative and protocol-relative links ("//elsewhere.example") could pass for ours:
        # only a mention's link to a profile is kept.
        url_relative=_relative_url,
    ).strip()


def plain(html: str) -> str:
    """The text of rendered HTML, for excerpts: no markup, no entities, single spaces."""
    import html as htmllib

    return " ".join(htmllib.unescape(nh3.clean(html, tags=set())).split())


def excerpt(text: str, length: int = 100) -> str:
    """About `length` characters cut on a word boundary, with an ellipsis when cut."""
    return truncate_chars(text, length, truncate="…")
