"""A page kept around its holes: what an anonymous reader is shown of a page, less the parts
that change more often than the rest (an article's discussion, the sidebar's recent comments),
kept by each process and filled in again at each request.

A page cache entry (pagecache.py) is stale as soon as anything it shows changes: a new comment
makes the article's whole page render again, story, byline, related articles, menus, footer
and all, though only the discussion changed. A shell is that page with its holes left open,
kept under the versions of the tags of everything but the holes ("site"), so a comment costs
the next reader the discussion alone.

Templates mark the holes (`{% hole %}…{% endhole %}`, core/templatetags/paddock.py). A view
that serves a page able to have a shell renders it once within `recording()`: each hole's
markup comes out as a marker of this process, and `keep` cuts the page at the markers, keeps
the pieces with the holes' nodes and the template, and puts the markup back. The next request
for the same address asks `get`; a current shell is filled by rendering each hole's nodes in a
context made as the template engine makes it (the context processors on `context`, which the
view gives the values the holes read) and joined: no other part of the page is rendered.

Only pages any anonymous reader could be given are kept (`pagecache.shareable`, and a
response that set no cookie and used no CSRF token, built from no part served stale), never a
preview, and only while kept parts are on (`fragments.enabled`): with nothing kept, every
request renders the whole page. Each process keeps the shells it made, least recently used
first out (SHELL_MAX_ENTRIES, SHELL_MAX_BYTES), each at most PADDOCK_PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import NodeList
from django.template.context import make_context

from . import fragments, pagecache
from .lru import SizedLRU

SHELL_MAX_ENTRIES = 1000
SHELL_MAX_BYTES = 48 * 1024 * 1024
# This process's markers: a template cannot write one without knowing it.
_MARK = f"<!--hole:{secrets.token_hex(16)}:"


@dataclass
class _Recording:
    nodelists: list[NodeList] = field(default_factory=list)
    markup: list[str] = field(default_factory=list)
    template: object = None

    def add(self, nodelist: NodeList, html: str, template) -> str:
        self.nodelists.append(nodelist)
        self.markup.append(html)
        if self.template is None:
            self.template = template
        return f"{_MARK}{len(self.markup) - 1}-->"


_recording: ContextVar[_Recording | None] = ContextVar("paddock_shell_recording", default=None)


def hole(nodelist: NodeList, html: str, context) -> str:
    """What a hole writes into the page: its markup, or a marker while a shell is recorded."""
    recording = _recording.get()
    if recording is None:
        return html
    return recording.add(nodelist, html, context.template)


@contextmanager
def unrecorded() -> Iterator[None]:
    """Render without marking holes: inside a part kept on its own ({% fragment %}), whose
    copy would otherwise keep a marker."""
    token = _recording.set(None)
    try:
        yield
    finally:
        _recording.reset(token)


@contextmanager
def recording(request: HttpRequest) -> Iterator[_Recording | None]:
    """Render the page within this to be able to `keep` it; None when this request's page
    may not have a shell (the page renders as usual)."""
    if not _eligible(request):
        yield None
        return
    found = _Recording()
    token = _recording.set(found)
    try:
        yield found
    finally:
        _recording.reset(token)


def _eligible(request: HttpRequest) -> bool:
    return (
        fragments.enabled()
        and not getattr(request, "is_preview", False)
        and pagecache.shareable(request)
    )


@dataclass(frozen=True)
class _Shell:
    stamp: str
    expires: float
    pieces: tuple[bytes, ...]  # one more than the holes
    nodelists: tuple[NodeList, ...]
    template: object
    size: int


# This process's shells.
_kept: SizedLRU[_Shell] = SizedLRU(lambda shell: shell.size)


def clear() -> None:
    """Forget this process's shells (tests)."""
    _kept.clear()


def _stamp(tags: tuple[str, ...]) -> str | None:
    try:
        return "-".join(str(v) for v in pagecache.request_versions(tags).values())
    except Exception:  # noqa: BLE001 - the cache is down: the page renders whole
        return None


def key_for(request: HttpRequest, name: str) -> str:
    """The shell of `name` (e.g. an article's id) at the address the request asks for: scheme,
    host, path and query, as the page cache names pages."""
    return f"{name}:{pagecache.page_key(request.META)}"


def get(request: HttpRequest, key: str, tags: tuple[str, ...]) -> _Shell | None:
    """The current shell kept under `key`, if this request may have one."""
    if not _eligible(request):
        return None
    shell = _kept.get(key)
    if shell is None or shell.expires < time.time():
        return None
    if _stamp(tags) != shell.stamp:
        return None
    return shell


def fill(shell: _Shell, request: HttpRequest, context: dict) -> HttpResponse:
    """The page: the shell's pieces with each hole rendered again in `context`, made as the
    template engine makes a page's context (its context processors run on it)."""
    made = make_context(context, request)
    template = shell.template
    out = [shell.pieces[0]]
    try:
        with made.render_context.push_state(template), made.bind_template(template):
            for nodelist, piece in zip(shell.nodelists, shell.pieces[1:], strict=True):
                out.append(str(nodelist.render(made)).encode())
                out.append(piece)
    finally:
        made.dicts.clear()  # its layers point back at it: freed now, not by the collector
    return HttpResponse(b"".join(out))


def keep(
    recorded: _Recording | None,
    request: HttpRequest,
    response: HttpResponse,
    key: str,
    tags: tuple[str, ...],
) -> HttpResponse:
    """Keep the shell of the page just rendered within `recording()` (rendered already), when
    it may be kept, and give the response its holes' markup back in every case."""
    if recorded is None or not recorded.markup:
        return response
    content = response.content
    pieces: list[bytes] = []
    rest = content
    whole = True
    for index in range(len(recorded.markup)):
        marker = f"{_MARK}{index}-->".encode()
        before, found, after = rest.partition(marker)
        if not found or marker in after:
            whole = False
            break
        pieces.append(before)
        rest = after
    pieces.append(rest)
    if not whole:  # a hole's markers not each once where expected: never kept
        for index, html in enumerate(recorded.markup):
            content = content.replace(f"{_MARK}{index}-->".encode(), html.encode())
        response.content = content
        return response
    response.content = (
        b"".join(
            piece + html.encode() for piece, html in zip(pieces, recorded.markup, strict=False)
        )
        + pieces[-1]
    )
    stamp = _stamp(tags)
    if stamp is not None and pagecache.storable(request, response) and not pagecache.served_stale():
        _kept.put(
            key,
            _Shell(
                stamp=stamp,
                expires=time.time() + settings.PADDOCK_PAGE_CACHE_SECONDS,
                pieces=tuple(pieces),
                nodelists=tuple(recorded.nodelists),
                template=recorded.template,
                size=sum(len(piece) for piece in pieces),
            ),
            max_entries=SHELL_MAX_ENTRIES,
            max_bytes=SHELL_MAX_BYTES,
        )
    return response
