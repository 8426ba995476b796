"""Page numbers from the query string (`?page=`, `?cpage=`, `?p=`), read the same way by every list.

A page number is one to six ASCII digits, from 1 to MAX_PAGE_NUMBER. Anything else (letters,
"0", "-1", "1e5", "1.0", Arabic or full-width digits, a blank value, a thousand digits) is not a
page: `page_number` returns None and the caller decides what the reader sees. Public lists
answer 404 (`page_or_404`), so a crawler learns the address does not exist; staff and portal
lists, which nobody links from outside, show the nearest page with Django's `Paginator.get_page`.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString, mark_safe

# A page number beyond this is nonsense whatever the site's size; refusing it early keeps a
# hostile number from reaching the database as an enormous OFFSET.
MAX_PAGE_NUMBER = 100_000
_MAX_DIGITS = len(str(MAX_PAGE_NUMBER))


def parse_page_number(value: str | None) -> int | None:
    """The page number in `value`; 1 when there is none (None); None when it is not a page."""
    if value is None:
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > _MAX_DIGITS:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_PAGE_NUMBER else None


def page_number(request: HttpRequest, name: str = "page") -> int | None:
    """The page number the query string asks for under `name`: 1 when it asks for none, None
    when what it asks for is not a page number."""
    return parse_page_number(request.GET.get(name))


def page_or_404(paginator: Paginator, number: int | None) -> Page:
    """Page `number` of `paginator`; a 404 when `number` is not a page number or is past the end."""
    if number is None:
        raise Http404("That page number is not valid.")
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404("That page does not exist.") from error


class OpenPage(Sequence):
    """A page of a list that is not counted: read one item past the page, which says whether
    an older page follows. What Django's Page answers about its neighbours, without a
    paginator (no count of the list, so no number of pages)."""

    def __init__(self, object_list: list, number: int, more: bool) -> None:
        self.object_list = object_list
        self.number = number
        self._more = more

    def __repr__(self) -> str:
        return f"<Page {self.number}>"

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def links(page: Page | OpenPage, query: str = "") -> SafeString:
    """A public list's links to its newer and older pages and where it stands ("Page 2 of
    9", or "Page 2" for a list that is not counted); nothing for a list of one page. `query`:
    a search's words, kept in the links."""
    if not page.has_other_pages():
        return mark_safe("")
    search = f"q={quote(str(query), safe='/')}&amp;" if query else ""
    newer = (
        f'<a rel="prev" href="?{search}page={page.previous_page_number()}">&larr; Newer</a>'
        if page.has_previous()
        else ""
    )
    older = (
        f'<a rel="next" href="?{search}page={page.next_page_number()}">Older &rarr;</a>'
        if page.has_next()
        else ""
    )
    paginator = getattr(page, "paginator", None)
    where = f"Page {page.number}" + (f" of {paginator.num_pages}" if paginator else "")
    return mark_safe(  # noqa: S308 - numbers, and the words quoted for a URL
        f'\n<nav class="pagination" aria-label="Pages">\n  {newer}\n'
        f"  <span>{where}</span>\n  {older}\n</nav>\n"
    )
