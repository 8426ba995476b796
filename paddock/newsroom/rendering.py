"""Article cards, bylines, the masthead, and an article's story and head, built in Python.

Every list (home, sections, tags, makes, models, authors, months, search) is a dozen cards,
each with a byline. Through the template engine, a card and its byline were two templates, a
dozen lookups and three page URLs apiece: most of a list page's rendering when nothing is kept
(the first render after a publish). Here each is a few string joins. Every value goes through
`escape`, but a search result's excerpt, which marks the words found (<mark>) and escapes the
rest (search.excerpt), and an article's body, which Wagtail's rich text filter writes.

The article page's story and head (the meta tags in its <head>) are kept parts of the page:
built here, the first render of an article after a publish (when nothing is kept) spends a few
string joins on them instead of a hundred template lookups and filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, is_naive, template_localtime
from django.utils.translation import get_language
from wagtail.rich_text import expand_db_html

from paddock.core import fragments
from paddock.core.countries import country_name
from paddock.core.templatetags.paddock import jsonld
from paddock.core.text import escape, truncate_chars
from paddock.core.urls import request_absolute, reverse_plain, reverse_slug, reverse_slugs

from .selectors import card_rendition


def clock() -> tuple:
    """The current time zone and language, what a date is shown in: read once for a list of
    cards rather than twice a byline (each a lookup in Django's per-request state)."""
    return get_current_timezone(), get_language()


def published_time(value, shown: str = "F j, Y", *, now: tuple | None = None) -> SafeString:
    """<time datetime="…">Month day, year</time> (or the date filter's `shown` format) for a
    date in the current time zone, as Django's date filter writes them, made once a process for
    each date, zone, language and format: the filter takes about 30 µs for the two, and a list
    shows a dozen bylines, an article four related ones. `now`: what `clock()` gives, when
    the caller shows many dates."""
    if now is None:
        local, language = template_localtime(value), get_language()
    else:
        zone, language = now
        # As template_localtime converts: aware datetimes, unless marked to be left alone.
        convert = (
            isinstance(value, datetime)
            and settings.USE_TZ
            and not is_naive(value)
            and getattr(value, "convert_to_local_time", True)
        )
        local = value.astimezone(zone) if convert else value
    # Its time zone in the key too: datetimes at the same instant are equal, and hash alike.
    return _published_time(local, getattr(local, "tzinfo", None), language, shown)


@lru_cache(maxsize=4096)
def _published_time(local, zone, language: str | None, shown: str) -> SafeString:
    return mark_safe(  # noqa: S308 - the date filter's output, escaped
        f'<time datetime="{escape(date_filter(local, "c"))}">'
        f"{escape(date_filter(local, shown))}</time>"
    )


def byline(authors: Iterable, date, *, now: tuple | None = None) -> SafeString:
    """The byline, "By A, B and C on <date>", each name a link to the writer's page. `now`:
    as for published_time."""
    links = [
        f'<a href="{escape(author.get_absolute_url())}" rel="author">'
        f"{escape(author.display_name)}</a>"
        for author in authors
    ]
    names = f"{', '.join(links[:-1])} and {links[-1]}" if len(links) > 1 else "".join(links)
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<p class="byline">By {names} on {published_time(date, now=now)}</p>'
    )


def article_card(
    article, request=None, *, excerpt: str = "", now: tuple | None = None
) -> SafeString:
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
    parts.append(byline(article.author_profiles, article.published_at, now=now))
    parts.append("</div></article>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def article_cards(articles: Iterable, request=None) -> SafeString:
    """A list's cards, each kept until the site changes (the "site" tag), per host since its
    URLs are this request's: the same on every list that shows the article. A preview keeps
    none; with nothing kept, each is made here."""
    keep = fragments.enabled() and not getattr(request, "is_preview", False)
    host = request.get_host() if keep and request is not None else ""
    now = clock()
    cards = [
        fragments.memo(
            f"fragment:article-card:{article.pk}:{host}",
            ("site",),
            lambda article=article: article_card(article, request, now=now),
            stale_ok=True,
        )
        if keep
        else article_card(article, request, now=now)
        for article in articles
    ]
    return mark_safe("\n".join(cards))  # noqa: S308 - each card escapes what it shows


def _people(people, kind: str, *, linked: bool) -> str:
    """One list of the masthead: `kind` ("contributors", "moderators") names its heading, its
    anchor, its page (newsroom:<kind>) and what it says when empty."""
    items, language = [], get_language()
    for person in people:
        name = escape(person.display_name)
        if linked:
            name = f'<a href="{escape(person.get_absolute_url())}">{name}</a>'
        country = country_name(person.country_code, language)
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


def article_story(page, request, details: dict) -> SafeString:
    """The article itself: section, byline, headline, standfirst, lead image, body, sources
    (“[sub]” for those behind a subscription) and what it is about (vehicles and tags).
    `details` are the article page's (selectors.article_detail_context)."""
    section = page.section
    lead = details["lead_rendition"]
    parts = [
        '<article class="story" aria-labelledby="story-title">\n<header class="story__header">'
    ]
    if section:
        parts.append(
            f'<p class="story__section"><a href="{escape(section.get_url(request))}">'
            f"{escape(section.title)}</a></p>"
        )
    parts.append(byline(details["authors"], page.published_at or page.latest_revision_created_at))
    parts.append(f'<h1 id="story-title" class="story__title">{escape(page.title)}</h1>')
    if page.standfirst:
        parts.append(f'<p class="story__standfirst">{escape(page.standfirst)}</p>')
    parts.append("</header>")
    if lead:
        parts.append(
            f'<figure class="story__lead">\n<img src="{escape(lead.url)}" '
            f'width="{escape(lead.width)}" height="{escape(lead.height)}" '
            f'alt="{escape(lead.alt)}">'
        )
        if page.lead_image_caption:
            parts.append(f"<figcaption>{escape(page.lead_image_caption)}</figcaption>")
        parts.append("</figure>")
    parts.append(f'<div class="story__body rich-text">{rich_text(page.body)}</div>')
    sources = details["sources"]
    if sources:
        parts.append(
            '<section class="story__sources" aria-labelledby="sources-heading">\n'
            f'<h2 id="sources-heading">Source{"" if len(sources) == 1 else "s"}</h2>\n<ul>'
        )
        for source in sources:
            sub = (
                ' <abbr class="sub" title="Subscription required">[sub]</abbr>'
                if source.subscription_required
                else ""
            )
            parts.append(
                f'<li><a href="{escape(source.url)}" rel="noopener">{escape(source.name)}</a>'
                f"{sub}</li>"
            )
        parts.append("</ul>\n</section>")
    tags, makes, models = details["tags"], details["makes"], details["vehicle_models"]
    if tags or makes or models:
        parts.append('<footer class="story__meta">')
        if makes or models:
            chips = [
                f'<a class="chip" href="{escape(make.get_absolute_url())}">{escape(make.name)}</a> '
                for make in makes
            ] + [
                f'<a class="chip" href="{escape(_model_url(model))}">{escape(model)}</a> '
                for model in models
            ]
            parts.append(f'<p><span class="meta-label">Vehicles:</span> {"".join(chips)}</p>')
        if tags:
            chips = [
                f'<a class="chip" href="{escape(reverse_slug("newsroom:tag", "slug", tag.slug))}" '
                f'rel="tag">{escape(tag.name)}</a> '
                for tag in tags
            ]
            parts.append(f'<p><span class="meta-label">Tags:</span> {"".join(chips)}</p>')
        parts.append("</footer>")
    parts.append("</article>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def rich_text(html: str | None) -> SafeString:
    """What Wagtail's `|richtext` filter gives for a rich text field: its page and document
    links and its images written out (expand_db_html), without the template the filter then
    renders around them (`{{ html|safe }}`: a template lookup and a context for nothing, a
    fifth of the story's making)."""
    return mark_safe(expand_db_html(html) if html else "")  # noqa: S308 - Wagtail's HTML


def _model_url(model) -> str:
    return reverse_slugs("newsroom:vehicle_model", make_slug=model.make.slug, slug=model.slug)


def article_head(page, request, details: dict, site_name: str) -> SafeString:
    """The article's meta tags for link previews (Open Graph, Twitter) and its structured data
    (JSON-LD), in the page's <head>."""
    lead = details["lead_rendition"]
    title = escape(page.seo_title or page.title)
    summary = page.search_description or page.standfirst
    section = page.section
    image = escape(request_absolute(request, lead.url)) if lead else ""
    parts = [
        f'<meta property="og:site_name" content="{escape(site_name)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{escape(truncate_chars(summary, 300))}">',
        f'<meta property="og:url" content="{escape(request_absolute(request, page.url))}">',
    ]
    if lead:
        parts.append(f'<meta property="og:image" content="{image}">')
    if page.published_at:
        parts.append(
            '<meta property="article:published_time" '
            # What the date filter's "c" writes: the ISO 8601 form, in the current time zone.
            f'content="{escape(template_localtime(page.published_at).isoformat())}">'
        )
    if section:
        parts.append(f'<meta property="article:section" content="{escape(section.title)}">')
    parts += [f'<meta property="article:tag" content="{escape(t.name)}">' for t in details["tags"]]
    parts += [
        f'<meta name="twitter:card" content="{"summary_large_image" if lead else "summary"}">',
        f'<meta name="twitter:title" content="{title}">',
        f'<meta name="twitter:description" content="{escape(truncate_chars(summary, 200))}">',
    ]
    if lead:
        parts.append(f'<meta name="twitter:image" content="{image}">')
    data = details["structured_data"]
    parts.append(
        f'<script type="application/ld+json">{jsonld(data() if callable(data) else data)}</script>'
    )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def related_list(articles, request) -> SafeString:
    """The related articles under a story: each a link with its date, nothing when none."""
    if not articles:
        return mark_safe("")
    items = "\n".join(
        f'<li><a href="{escape(article.get_url(request))}">{escape(article.title)}</a> '
        f"{published_time(article.published_at, 'M j, Y')}</li>"
        for article in articles
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        '<section class="related" aria-labelledby="related-heading">\n'
        '<h2 id="related-heading">Related articles</h2>\n'
        f'<ul class="related__list">\n{items}\n</ul>\n</section>'
    )


def site_nav(sections, page, request) -> SafeString:
    """The section menu in the header, the section of the page shown marked as current."""
    here = getattr(page, "url_path", None) if page else None  # a view's own "page" has none
    items = "\n".join(
        f'<li><a href="{escape(section.get_url(request))}"'
        f"{_CURRENT if here and section.url_path in here else ''}>"
        f"{escape(section.title)}</a></li>"
        for section in sections
    )
    return mark_safe(f"<ul>\n{items}\n</ul>")  # noqa: S308 - every value is escaped


_CURRENT = ' aria-current="page"'
