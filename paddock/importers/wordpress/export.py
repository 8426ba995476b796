"""Paddock's site as a WordPress export (WXR 1.2), which WordPress's own importer (Tools →
Import → WordPress) and Paddock's `import_wordpress` both read.

Contributors become authors, sections categories, tags tags; every live article becomes a post
(in its section's category, with its tags, its first byline author as its author and its cited
sources as "source" custom fields) and every live standard page a page (with its parent and
its place among its siblings); each carries its published comments, threaded. WordPress has
one author per post: the other bylines are not exported.

The file is written as it is read from the database, a chunk of pages at a time, so that the
export of a large site never holds more than a chunk in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from paddock.comments.models import Comment
from paddock.newsroom.models import ArticlePage, ArticleTag, Contributor, SectionPage
from paddock.pages.models import StandardPage

from ..models import ImportedCommentAuthor

WXR_VERSION = "1.2"
WP = f"http://wordpress.org/export/{WXR_VERSION}/"
CHUNK = 200
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class ExportCounts:
    authors: int = 0
    categories: int = 0
    tags: int = 0
    posts: int = 0
    pages: int = 0
    comments: int = 0


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value if value is not None else ""))


def _esc(value: object) -> str:
    return escape(_text(value))


def _cdata(value: object) -> str:
    return "<![CDATA[" + _text(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _dates(moment: dt.datetime | None) -> tuple[str, str]:
    """WordPress's local and GMT dates ("2012-04-05 10:00:00")."""
    if moment is None:
        return "0000-00-00 00:00:00", "0000-00-00 00:00:00"
    local = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    return local, moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def export_total() -> int:
    """How many posts and pages an export writes (for the progress line)."""
    return ArticlePage.objects.live().count() + StandardPage.objects.live().count()


def wordpress_export(out: TextIO, *, on_item: Callable[[], None] | None = None) -> ExportCounts:
    """Write the site's WXR to `out`; `on_item` is called after each post or page."""
    counts = ExportCounts()
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    base = (site.root_url if site else settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    title = (site.site_name if site and site.site_name else "") or settings.WAGTAIL_SITE_NAME
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- A WordPress eXtended RSS file written by Paddock's export_wordpress. -->\n"
        '<rss version="2.0"\n'
        f'\txmlns:excerpt="{WP}excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        f'\txmlns:wp="{WP}"\n>\n'
        "<channel>\n"
        f"\t<title>{_esc(title)}</title>\n"
        f"\t<link>{_esc(base)}</link>\n"
        "\t<description></description>\n"
        f"\t<pubDate>{http_date()}</pubDate>\n"
        f"\t<language>{_esc(settings.LANGUAGE_CODE)}</language>\n"
        f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{_esc(base)}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{_esc(base)}</wp:base_blog_url>\n"
    )
    logins = _authors(out, counts)
    sections = _categories(out, counts)
    # WordPress's importer keeps categories and tags in one map of term ids: tags come after.
    _tags(out, counts, first_id=max(_section_ids(sections), default=0) + 1)
    out.write("\t<generator>Paddock</generator>\n")
    for article in _live_articles():
        section = sections.get(article.path[: -Page.steplen])
        _item(out, article, kind="post", logins=logins, counts=counts, section=section)
        if on_item:
            on_item()
    for page, parent_id, order in _live_pages():
        _item(
            out, page, kind="page", logins=logins, counts=counts, parent_id=parent_id, order=order
        )
        if on_item:
            on_item()
    out.write("</channel>\n</rss>\n")
    return counts


def _login(contributor: Contributor) -> str:
    return contributor.slug or f"contributor-{contributor.pk}"


@dataclass
class Logins:
    """Each contributor's login and WordPress user id (its own id), by contributor and by
    account."""

    by_contributor: dict[int, tuple[str, int]]
    by_user: dict[int, tuple[str, int]]


def _authors(out: TextIO, counts: ExportCounts) -> Logins:
    """Every contributor as an author."""
    logins = Logins({}, {})
    for contributor in Contributor.objects.select_related("user").order_by("pk").iterator():
        login = _login(contributor)
        first, _, last = contributor.display_name.partition(" ")
        email = contributor.user.email if contributor.user else ""
        out.write(
            "\t<wp:author>"
            f"<wp:author_id>{contributor.pk}</wp:author_id>"
            f"<wp:author_login>{_cdata(login)}</wp:author_login>"
            f"<wp:author_email>{_cdata(email)}</wp:author_email>"
            f"<wp:author_display_name>{_cdata(contributor.display_name)}</wp:author_display_name>"
            f"<wp:author_first_name>{_cdata(first)}</wp:author_first_name>"
            f"<wp:author_last_name>{_cdata(last)}</wp:author_last_name>"
            "</wp:author>\n"
        )
        logins.by_contributor[contributor.pk] = (login, contributor.pk)
        if contributor.user_id:
            logins.by_user[contributor.user_id] = (login, contributor.pk)
        counts.authors += 1
    return logins


def _categories(out: TextIO, counts: ExportCounts) -> dict[str, tuple[str, str, int]]:
    """Every section as a category; returns section path → (slug, name, term id)."""
    sections: dict[str, tuple[str, str, int]] = {}
    for section in SectionPage.objects.order_by("path").only("pk", "path", "slug", "title"):
        out.write(
            f"\t<wp:category><wp:term_id>{section.pk}</wp:term_id>"
            f"<wp:category_nicename>{_cdata(section.slug)}</wp:category_nicename>"
            "<wp:category_parent></wp:category_parent>"
            f"<wp:cat_name>{_cdata(section.title)}</wp:cat_name></wp:category>\n"
        )
        sections[section.path] = (section.slug, section.title, section.pk)
        counts.categories += 1
    return sections


def _section_ids(sections: dict[str, tuple[str, str, int]]) -> list[int]:
    return [term_id for _, _, term_id in sections.values()]


def _tags(out: TextIO, counts: ExportCounts, *, first_id: int) -> None:
    tags = ArticleTag.objects.values_list("tag_id", "tag__slug", "tag__name").distinct()
    for term_id, (_, slug, name) in enumerate(tags.order_by("tag_id"), start=first_id):
        out.write(
            f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id>"
            f"<wp:tag_slug>{_cdata(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
        )
        counts.tags += 1


def _live_articles() -> Iterator[ArticlePage]:
    return (
        ArticlePage.objects.live()
        .order_by("path")
        .prefetch_related(
            Prefetch("authors", to_attr="byline"), "sources", "tags", _comments_prefetch()
        )
        .iterator(chunk_size=CHUNK)
    )


def _live_pages() -> Iterator[tuple[StandardPage, int, int]]:
    """Live standard pages in tree order, each with its parent page's id (0 under the home
    page) and its place among its siblings."""
    pages = (
        StandardPage.objects.live()
        .order_by("path")
        .prefetch_related(_comments_prefetch())
        .iterator(chunk_size=CHUNK)
    )
    standard_paths: dict[str, int] = {}
    places: dict[str, int] = {}
    for page in pages:
        parent_path = page.path[: -Page.steplen]
        places[parent_path] = places.get(parent_path, -1) + 1
        standard_paths[page.path] = page.pk
        yield page, standard_paths.get(parent_path, 0), places[parent_path]


def _comments_prefetch() -> Prefetch:
    return Prefetch(
        "comments",
        queryset=Comment.objects.select_related("author__profile", "imported_author").order_by(
            "created_at", "pk"
        ),
        to_attr="discussion",
    )


def _item(
    out: TextIO,
    page: Page,
    *,
    kind: str,
    logins: Logins,
    counts: ExportCounts,
    section: tuple[str, str, int] | None = None,
    parent_id: int = 0,
    order: int = 0,
) -> None:
    is_post = kind == "post"
    url = page.get_full_url() or ""
    moment = (page.published_at if is_post else None) or page.first_published_at
    local, gmt = _dates(moment)
    modified_local, modified_gmt = _dates(page.last_published_at or moment)
    if is_post:
        byline = [a.contributor_id for a in page.byline]
        creator = logins.by_contributor.get(byline[0], ("", 0))[0] if byline else ""
        excerpt = page.standfirst
        terms = []
        if section:
            terms.append(("category", section[0], section[1]))
        tags = sorted(page.tags.all(), key=lambda tag: tag.name.lower())
        terms += [("post_tag", tag.slug, tag.name) for tag in tags]
        sources = [
            f"{s.name} — {s.url}" + (" [sub]" if s.subscription_required else "")
            for s in page.sources.all()
        ]
        closed = page.comments_closed
    else:
        creator = logins.by_user.get(page.owner_id, ("", 0))[0] if page.owner_id else ""
        excerpt = page.introduction
        terms, sources, closed = [], [], True
    out.write(
        "\t<item>\n"
        f"\t\t<title>{_esc(page.title)}</title>\n"
        f"\t\t<link>{_esc(url)}</link>\n"
        f"\t\t<pubDate>{http_date(moment.timestamp()) if moment else ''}</pubDate>\n"
        f"\t\t<dc:creator>{_cdata(creator)}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{_esc(url)}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{_cdata(expand_db_html(page.body or ''))}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>\n"
        f"\t\t<wp:post_id>{page.pk}</wp:post_id>\n"
        f"\t\t<wp:post_date>{_cdata(local)}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{_cdata(gmt)}</wp:post_date_gmt>\n"
        f"\t\t<wp:post_modified>{_cdata(modified_local)}</wp:post_modified>\n"
        f"\t\t<wp:post_modified_gmt>{_cdata(modified_gmt)}</wp:post_modified_gmt>\n"
        f"\t\t<wp:comment_status>{'closed' if closed else 'open'}</wp:comment_status>\n"
        "\t\t<wp:ping_status>closed</wp:ping_status>\n"
        f"\t\t<wp:post_name>{_cdata(page.slug)}</wp:post_name>\n"
        "\t\t<wp:status>publish</wp:status>\n"
        f"\t\t<wp:post_parent>{parent_id}</wp:post_parent>\n"
        f"\t\t<wp:menu_order>{order}</wp:menu_order>\n"
        f"\t\t<wp:post_type>{kind}</wp:post_type>\n"
        "\t\t<wp:post_password></wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
    )
    for domain, slug, name in terms:
        out.write(
            f"\t\t<category domain={quoteattr(domain)} nicename={quoteattr(_text(slug))}>"
            f"{_cdata(name)}</category>\n"
        )
    for source in sources:
        out.write(
            "\t\t<wp:postmeta><wp:meta_key><![CDATA[source]]></wp:meta_key>"
            f"<wp:meta_value>{_cdata(source)}</wp:meta_value></wp:postmeta>\n"
        )
    counts.comments += _comments(out, page.discussion, logins)
    out.write("\t</item>\n")
    if is_post:
        counts.posts += 1
    else:
        counts.pages += 1


def _comments(out: TextIO, comments: Iterable[Comment], logins: Logins) -> int:
    """The published comments, each under its nearest published ancestor (a reply to a
    comment that was deleted or rejected hangs where that comment hung)."""
    comments = list(comments)
    parents = {c.pk: c.parent_id for c in comments}
    shown = {c.pk for c in comments if c.is_visible}
    written = 0
    for comment in comments:
        if comment.pk not in shown:
            continue
        parent = comment.parent_id
        while parent is not None and parent not in shown:
            parent = parents.get(parent)
        name, email, url = _comment_author(comment)
        local, gmt = _dates(comment.created_at)
        user_id = logins.by_user.get(comment.author_id, ("", 0))[1] if comment.author_id else 0
        out.write(
            "\t\t<wp:comment>"
            f"<wp:comment_id>{comment.pk}</wp:comment_id>"
            f"<wp:comment_author>{_cdata(name)}</wp:comment_author>"
            f"<wp:comment_author_email>{_cdata(email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>{_esc(url)}</wp:comment_author_url>"
            f"<wp:comment_author_IP>{_esc(comment.ip_address or '')}</wp:comment_author_IP>"
            f"<wp:comment_date>{_cdata(local)}</wp:comment_date>"
            f"<wp:comment_date_gmt>{_cdata(gmt)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{_cdata(comment.body_html)}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved>"
            "<wp:comment_type>comment</wp:comment_type>"
            f"<wp:comment_parent>{parent or 0}</wp:comment_parent>"
            f"<wp:comment_user_id>{user_id}</wp:comment_user_id>"
            "</wp:comment>\n"
        )
        written += 1
    return written


def _comment_author(comment: Comment) -> tuple[str, str, str]:
    if comment.author_id is not None:
        return comment.author.profile.display_name, comment.author.email, ""
    try:
        guest = comment.imported_author
    except ImportedCommentAuthor.DoesNotExist:
        return "", "", ""
    return guest.name, guest.email, guest.url
