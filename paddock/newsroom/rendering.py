"""Article cards, bylines and the masthead, built in Python.

Every list (home, sections, tags, makes, models, authors, months, search) is a dozen cards,
each with a byline. Through the template engine, a card and its byline were two templates, a
dozen lookups and three page URLs apiece: most of a list page's rendering when nothing is kept
(the first render after a publish). Here each is a few string joins. Every value goes through
`escape`, but a search result's excerpt, which marks the words found (<mark>) and escapes the
rest (search.excerpt).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from paddock.core.text import escape
from paddock.core.urls import reverse_plain

from .selectors import card_rendition


def published_time(value, shown: str = "F j, Y") -> SafeString:
    """<time datetime="…">Month day, year</time> (or the date filter's `shown` format) for a
    date in the current time zone, as Django's date filter writes them, made once a process for
    each date, zone, language and format: the filter takes about 30 µs for the two, and a list
    shows a dozen bylines, an article four related ones."""
    local = template_localtime(value)
    # Its time zone in the key too: datetimes at the same instant are equal, and hash alike.
    return _published_time(local, getattr(local, "tzinfo", None), get_language(), shown)


@lru_cache(maxsize=4096)
def _published_time(local, zone, language: str | None, shown: str) -> SafeString:
    return mark_safe(  # noqa: S308 - the date filter's output, escaped
        f'<time datetime="{escape(date_filter(local, "c"))}">'
        f"{escape(date_filter(local, shown))}</time>"
    )


def byline(authors: Iterable, date) -> SafeString:
    """The byline, "By A, B and C on <date>", each name a link to the writer's page."""
    links = [
        f'<a href="{escape(author.get_absolute_url())}" rel="author">'
        f"{escape(author.display_name)}</a>"
        for author in authors
    ]
    names = f"{', '.join(links[:-1])} and {links[-1]}" if len(links) > 1 else "".join(links)
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<p class="byline">By {names} on {published_time(date)}</p>'
    )


def article_card(article, request=None, *, excerpt: str = "") -> SafeString:
    """An article's card in a list: its lead image, section, title, standfirst, the search
    excerpt when there is one, and its byline. Page URLs as `{% pageurl %}` gives them for
    this request (relative on the request's own site), which is why a kept card is kept per
    host."""
    url = escape(article.get_url(request))
    parts = ['<article class="card">']
    if article.lead_image_id:
        image = card_rendition(article)
        source, width, height = (
            (image.url, image.width, image.height) if image is not None else ("", "", "")
        )
        parts.append(
            f'<a class="card__image" href="{url}" tabindex="-1" aria-hidden="true"><img '
            f'src="{escape(source)}" width="{width}" height="{height}" alt="" loading="lazy"></a>'
        )
    parts.append('<div class="card__body">')
    section = article.section
    if section:
        parts.append(
            f'<p class="card__section"><a href="{escape(section.get_url(request))}">'
            f"{escape(section.title)}</a></p>"
        )
    parts.append(f'<h2 class="card__title"><a href="{url}">{escape(article.title)}</a></h2>')
    if article.standfirst:
        parts.append(f'<p class="card__standfirst">{escape(article.standfirst)}</p>')
    if excerpt:
        parts.append(f'<p class="card__excerpt">{conditional_escape(excerpt)}</p>')
    parts.append(byline(article.author_profiles, article.published_at))
    parts.append("</div></article>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def _people(people, kind: str, *, linked: bool) -> str:
    """One list of the masthead: `kind` ("contributors", "moderators") names its heading, its
    anchor, its page (newsroom:<kind>) and what it says when empty."""
    items = []
    for person in people:
        name = escape(person.display_name)
        if linked:
            name = f'<a href="{escape(person.get_absolute_url())}">{name}</a>'
        country = person.country_name
        where = f' <span class="country">({escape(country)})</span>' if country else ""
        items.append(f"<li>{name}{where}</li>")
    listed = "\n".join(items) or f"<li>No {kind} yet.</li>"
    anchor, url = f"{kind}-heading", escape(reverse_plain(f"newsroom:{kind}"))
    return (
        f'<section class="widget" aria-labelledby="{anchor}">\n'
        f'<h2 id="{anchor}" class="widget__title"><a href="{url}">{kind.capitalize()}</a></h2>\n'
        f'<ul class="people-list">\n{listed}\n</ul>\n</section>'
    )


def masthead(contributors, moderators) -> SafeString:
    """The sidebar's masthead: the writers (each a link to their page) and the moderators,
    with their countries."""
    return mark_safe(  # noqa: S308 - every value is escaped in _people
        f"{_people(contributors, 'contributors', linked=True)}\n"
        f"{_people(moderators, 'moderators', linked=False)}"
    )
