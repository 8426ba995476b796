"""Comment markup, built in Python.

A discussion can show thousands of comments on one page. Through the template engine each
one costs a dozen includes, lookups and URL reversals; here it is a few string joins, about
twenty times faster, so a 2,000-comment page renders in well under the time budget. Every
value from a reader goes through `escape`, except `body_html`, which was sanitised by nh3
when it was stored. The templates call these functions through `comments_tags`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from paddock.accounts.display_names import DELETED_TEXT
from paddock.core.text import escape
from paddock.core.urls import current_script_prefix, reverse_one, reverse_plain, static_url

from .models import Comment
from .rules import edit_window_open
from .selectors import Token

_DELETED_NAME = escape(DELETED_TEXT)


class _Scope(NamedTuple):
    """While a thread renders: what every comment would otherwise read for itself (each read
    going through a thread-local), and each author's markup made so far, by what it is made of
    (a long discussion has a few dozen authors for hundreds of comments)."""

    script_prefix: str
    timezone: dt.tzinfo
    login_link: str  # escaped
    authors: dict


_rendering: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "paddock_comment_rendering", default=None
)


def url_for(name: str, pk: int | str) -> str:
    """reverse() for views taking one argument, at the cost of a string format."""
    rendering = _rendering.get()
    return reverse_one(name, pk, rendering.script_prefix if rendering else None)


def _localtime(moment: dt.datetime) -> dt.datetime:
    rendering = _rendering.get()
    return moment.astimezone(rendering.timezone) if rendering else timezone.localtime(moment)


@dataclass
class Viewer:
    """Who is looking, and what that allows on this page."""

    user_id: int | None = None
    can_comment: bool = False
    comments_open: bool = True
    my_votes: dict[int, int] = field(default_factory=dict)
    csrf_input: str = ""
    # The badge beside each author's name, by author id (selectors.author_badges).
    badges: dict[int, str] = field(default_factory=dict)
    # Where the "Feature" button posts (a URL name taking the comment's pk); "" hides it.
    feature_url_name: str = ""

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


def relative_time(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in (
        (86400 * 365, "year"),
        (86400 * 30, "month"),
        (86400 * 7, "week"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
    ):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"  # pragma: no cover - the loop always returns


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def absolute_time(moment: dt.datetime, local: dt.datetime | None = None) -> str:
    """Like "March 4, 2026 at 9:05 a.m. UTC" (strftime's %B and %Z, a few times faster)."""
    local = local or _localtime(moment)
    hour = local.hour % 12 or 12
    half = "a.m." if local.hour < 12 else "p.m."
    return (
        f"{MONTHS[local.month - 1]} {local.day}, {local.year} at {hour}:{local.minute:02d} "
        f"{half} {local.tzname() or ''}"
    )


def short_date(moment: dt.datetime, local: dt.datetime | None = None) -> str:
    local = local or _localtime(moment)
    return f"{MONTHS[local.month - 1][:3]} {local.day}, {local.year}"


_DELETED_AUTHOR = (
    '<span class="avatar avatar--empty" aria-hidden="true"></span>'
    '<span class="comment__author" itemprop="author" itemscope '
    'itemtype="https://schema.org/Person">'
    f'<span itemprop="name">{_DELETED_NAME}</span></span>'
)


def _author(comment: Comment, badges: dict[int, str] | None = None) -> tuple[str, str]:
    """The author's name and avatar markup, with their badge; "[deleted]" alone once the
    account is gone or the comment was deleted (no name, avatar or profile link)."""
    if comment.is_deleted:
        return _DELETED_AUTHOR, _DELETED_NAME
    if comment.author_id is None:
        guest = getattr(comment, "guest_name", None)
        if guest:  # a guest's comment imported from elsewhere
            name = escape(guest)
            return (
                '<span class="avatar avatar--empty" aria-hidden="true"></span>'
                '<span class="comment__author comment__author--guest" itemprop="author" '
                'itemscope itemtype="https://schema.org/Person">'
                f'<bdi itemprop="name">{name}</bdi></span>',
                name,
            )
        return _DELETED_AUTHOR, _DELETED_NAME
    if hasattr(comment, "author_display_name"):  # annotated by selectors for threads
        display_name, profile_pk = comment.author_display_name, comment.author_profile_pk
        avatar_file, seed = comment.author_avatar, comment.author_avatar_seed
    else:
        profile = comment.author.profile
        display_name, profile_pk = profile.display_name, profile.pk
        avatar_file, seed = profile.avatar.name, profile.avatar_seed
    badge = badges.get(comment.author_id) if badges else None
    rendering = _rendering.get()
    if rendering is None:
        return _author_html(display_name, profile_pk, avatar_file, seed, badge)
    made = rendering.authors
    key = (display_name, profile_pk, avatar_file, seed, badge)
    found = made.get(key)
    if found is None:
        found = made[key] = _author_html(display_name, profile_pk, avatar_file, seed, badge)
    return found


def _author_html(
    display_name: str, profile_pk: int, avatar_file: str, seed, badge: str | None
) -> tuple[str, str]:
    name = escape(display_name)
    # Same URLs as Profile.avatar_url and get_absolute_url, without a reverse() apiece.
    if avatar_file:
        avatar = default_storage.url(avatar_file)
    else:
        avatar = url_for("accounts:identicon", seed)
    html = (
        f'<img class="avatar" src="{escape(avatar)}" alt="" width="40" height="40" '
        f'loading="lazy"><span class="comment__author" itemprop="author" itemscope '
        f'itemtype="https://schema.org/Person"><a itemprop="url" '
        f'href="{url_for("accounts:profile", profile_pk)}"><bdi itemprop="name">{name}</bdi>'
        "</a></span>"
    )
    if badge:
        html += f'<span class="comment__badge comment__badge--{badge.lower()}">{badge}</span>'
    return html, name


def votes_html(comment: Comment, viewer: Viewer, error: str = "", *, permalink: str = "") -> str:
    """The score and the voting buttons (a "log in to vote" link for a reader not signed in);
    `permalink`: the comment's address, when the caller has it already."""
    pk = comment.pk
    score = f'<span class="votes__score" aria-label="Score">{comment.score}</span>'
    meta = (
        f'<meta itemprop="upvoteCount" content="{comment.upvotes}">'
        f'<meta itemprop="downvoteCount" content="{comment.downvotes}">'
    )
    if viewer.signed_in and comment.author_id != viewer.user_id and viewer.comments_open:
        mine = viewer.my_votes.get(pk, 0)
        url = url_for("comments:vote", pk)
        up_value, up_pressed = ("clear", "true") if mine == 1 else ("up", "false")
        down_value, down_pressed = ("clear", "true") if mine == -1 else ("down", "false")
        inner = (
            f'<form class="votes__form" method="post" action="{url}" hx-post="{url}" '
            f'hx-target="#votes-{pk}" hx-swap="outerHTML">{viewer.csrf_input}'
            f'<button class="votes__btn votes__btn--up" name="value" value="{up_value}" '
            f'aria-pressed="{up_pressed}" title="Vote up"><span aria-hidden="true">▲</span>'
            f'<span class="visually-hidden">Vote up</span></button>{score}'
            f'<button class="votes__btn votes__btn--down" name="value" value="{down_value}" '
            f'aria-pressed="{down_pressed}" title="Vote down"><span aria-hidden="true">▼</span>'
            f'<span class="visually-hidden">Vote down</span></button></form>'
        )
        if error:
            inner += f'<span class="votes__error" role="alert">{escape(error)}</span>'
    elif not viewer.signed_in:
        login = f"{_login_link()}?next={permalink or url_for('comments:permalink', pk)}"
        inner = (
            f'<a class="votes__btn votes__btn--up" href="{login}" title="Log in to vote" '
            f'rel="nofollow"><span aria-hidden="true">▲</span><span class="visually-hidden">'
            f"Log in to vote up</span></a>{score}"
            f'<a class="votes__btn votes__btn--down" href="{login}" title="Log in to vote" '
            f'rel="nofollow"><span aria-hidden="true">▼</span><span class="visually-hidden">'
            f"Log in to vote down</span></a>"
        )
    else:
        inner = score
    return f'<div class="votes" id="votes-{pk}">{meta}{inner}</div>'


def reverse_login() -> str:
    return reverse_plain(settings.LOGIN_URL)


def _login_link() -> str:
    """The login page's address, escaped for an attribute (once a thread, within one)."""
    rendering = _rendering.get()
    return rendering.login_link if rendering else escape(reverse_login())


@contextmanager
def _rendering_scope():
    """Within it, the URL prefix, the time zone and the login link are read once, and each
    author's markup made once (_rendering)."""
    reset = _rendering.set(
        _Scope(
            current_script_prefix(), timezone.get_current_timezone(), escape(reverse_login()), {}
        )
    )
    try:
        yield
    finally:
        _rendering.reset(reset)


def comment_box(
    comment: Comment,
    viewer: Viewer,
    *,
    in_reply_to: str = "",
    now: dt.datetime | None = None,
    copy: bool = False,
) -> str:
    """The <article> of one comment: author, time, body and the actions this viewer has.
    A `copy` (the featured comments above the thread) has ids of its own and links to the
    comment in its thread instead of offering votes and replies there."""
    pk = comment.pk
    now = now or timezone.now()
    author_html, _ = _author(comment, viewer.badges)
    permalink = url_for("comments:permalink", pk)
    local = _localtime(comment.created_at)
    held = comment.status != Comment.Status.PUBLISHED
    featured = comment.featured_at is not None and not comment.is_deleted and not held
    modifier = " comment__box--deleted" if comment.is_deleted else ""
    modifier += " comment__box--held" if held else ""
    modifier += " comment__box--featured" if featured else ""
    box_id = f"featured-{pk}" if copy else f"c-{pk}"
    parts = [
        f'<article id="{box_id}" class="comment__box{modifier}">'
        f'<header class="comment__meta">{author_html}'
    ]
    if in_reply_to:
        parts.append(
            f'<span class="comment__inreply">in reply to <bdi>{escape(in_reply_to)}</bdi></span>'
        )
    parts.append(
        f'<a class="comment__time" href="{permalink}" title="Permalink"><time '
        f'itemprop="dateCreated" datetime="{comment.created_at.isoformat()}" '
        f'title="{absolute_time(comment.created_at, local)}">'
        f"{relative_time(comment.created_at, now)}"
        f'<span class="comment__date"> · {short_date(comment.created_at, local)}</span></time></a>'
    )
    if comment.edited_at and not comment.is_deleted:
        who = "edited by a moderator" if comment.edited_by_moderator else "edited"
        parts.append(
            f' <span class="comment__edited" title="Edited {absolute_time(comment.edited_at)}">'
            f"{who}</span>"
        )
    if featured:
        parts.append(' <span class="comment__featured">Featured</span>')
    parts.append("</header>")
    if held:
        # Only the author is ever shown a comment that is not published.
        reason = comment.status_reason or "A moderator will look at it soon."
        parts.append(
            '<p class="comment__held" role="status"><strong>Only you can see this comment.'
            f"</strong> {escape(reason)}</p>"
        )
    parts.append(f'<div class="comment__body" itemprop="text" dir="auto">{comment.body_html}</div>')
    if copy:
        actions = [f'<a class="comment__action" href="{permalink}">Go to the comment</a>']
        if viewer.feature_url_name:
            actions.append(_feature_form(comment, viewer, featured))
        parts.append(f'<footer class="comment__actions">{"".join(actions)}</footer>')
    elif held and not comment.is_deleted:
        delete = url_for("comments:delete", pk)
        parts.append(
            f'<footer class="comment__actions"><a class="comment__action" href="{delete}">'
            "Delete</a></footer>"
        )
    elif not comment.is_deleted:
        actions = [votes_html(comment, viewer, permalink=permalink)]
        if viewer.comments_open:
            reply = url_for("comments:reply", pk)
            actions.append(
                f'<a class="comment__action" href="{reply}" hx-get="{reply}" '
                f'hx-target="#reply-slot-{pk}" rel="nofollow">Reply</a>'
            )
        actions.append(f'<a class="comment__action" href="{permalink}">Permalink</a>')
        if viewer.signed_in:
            if comment.author_id == viewer.user_id:
                if edit_window_open(comment):
                    edit = url_for("comments:edit", pk)
                    actions.append(
                        f'<a class="comment__action" href="{edit}" hx-get="{edit}" '
                        f'hx-target="#c-{pk}" hx-swap="outerHTML">Edit</a>'
                    )
                actions.append(
                    f'<a class="comment__action" href="{url_for("comments:delete", pk)}">Delete</a>'
                )
            else:
                report = url_for("comments:report", pk)
                actions.append(
                    f'<a class="comment__action" href="{report}" hx-get="{report}" '
                    f'hx-target="#reply-slot-{pk}" rel="nofollow">Report</a>'
                )
        if viewer.feature_url_name:
            actions.append(_feature_form(comment, viewer, featured))
        parts.append(f'<footer class="comment__actions">{"".join(actions)}</footer>')
    parts.append("</article>")
    return "".join(parts)


def _feature_form(comment: Comment, viewer: Viewer, featured: bool) -> str:
    """The editors' button that features the comment, or takes it down (a plain form post)."""
    url = url_for(viewer.feature_url_name, comment.pk)
    value, label = ("0", "Unfeature") if featured else ("1", "Feature")
    return (
        f'<form class="comment__feature" method="post" action="{url}">{viewer.csrf_input}'
        f'<input type="hidden" name="featured" value="{value}">'
        f'<button class="comment__action" type="submit">{label}</button></form>'
    )


def comment_open(
    comment: Comment,
    viewer: Viewer,
    *,
    depth: int,
    in_reply_to: str = "",
    now: dt.datetime | None = None,
) -> str:
    """A comment's <li> up to its (still open) list of replies."""
    pk = comment.pk
    return (
        f'<li id="comment-{pk}" class="comment comment--d{depth}" itemprop="comment" itemscope '
        f'itemtype="https://schema.org/Comment">'
        f"{comment_box(comment, viewer, in_reply_to=in_reply_to, now=now)}"
        f'<div class="reply-slot" id="reply-slot-{pk}"></div>'
        f'<ol class="replies" id="replies-{pk}">'
    )


def live_items(comments, viewer: Viewer) -> list[dict]:
    """Comments as the live updates of an open page carry them (selectors.live_comments):
    each one's <li> as a thread shows it at its depth, with where it goes (its parent)."""
    with _rendering_scope():
        now = timezone.now()
        deepest = settings.PADDOCK_COMMENT_MAX_DISPLAY_DEPTH
        items = []
        for comment in comments:
            depth = min(comment.depth, deepest)
            # As build_forest: a reply deeper than the limit says whom it answers.
            in_reply_to = comment.in_reply_to_name if comment.depth >= deepest else ""
            html = comment_open(comment, viewer, depth=depth, in_reply_to=in_reply_to, now=now)
            items.append(
                {
                    "id": comment.pk,
                    "parent": comment.parent_id,
                    "depth": depth,
                    "html": html + "</ol></li>",
                }
            )
        return items


def thread_html(tokens: list[Token], viewer: Viewer) -> SafeString:
    with _rendering_scope():
        return _thread_html(tokens, viewer)


def _thread_html(tokens: list[Token], viewer: Viewer) -> SafeString:
    now = timezone.now()
    out = []
    for token in tokens:
        if token.is_end:
            out.append("</ol></li>")
            continue
        out.append(
            comment_open(
                token.comment,
                viewer,
                depth=token.depth,
                in_reply_to=token.in_reply_to,
                now=now,
            )
        )
        if not token.has_children:
            out.append("</ol></li>")
    return mark_safe("".join(out))  # noqa: S308 - every reader value above is escaped


def _page_query(sort: str, number: int) -> str:
    """A page of the discussion in an order, as its links ask for it (escaped)."""
    return f"?csort={escape(sort)}&amp;cpage={number}"


def load_more_html(article_url: str, article_pk: int, thread_page) -> str:
    """The "Load more comments" button under a page of threads that has a next one: a link to
    that page, which htmx, when present, fetches in place."""
    if not thread_page.has_next:
        return ""
    query = _page_query(thread_page.sort, thread_page.number + 1)
    return (
        f'<p class="load-more" id="load-more"><a class="button" href="{escape(article_url)}'
        f'{query}#comments" hx-get="{escape(url_for("comments:threads", article_pk))}{query}" '
        'hx-target="#load-more" hx-swap="outerHTML">Load more comments</a></p>'
    )


def featured_html(comments, viewer: Viewer) -> str:
    """The featured comments above a discussion, each a box of its own (no replies)."""
    return "".join(
        f'<li class="featured__item">{comment_box(comment, viewer, copy=True)}</li>'
        for comment in comments
    )


def section_html(
    *,
    page,
    request,
    viewer: Viewer,
    comment_count: int,
    thread_page,
    featured: list,
    sorts: list[tuple[str, str]],
    page_numbers: list[int | None],
    follow_html: str = "",
) -> SafeString:
    """The discussion under an article (or a standard page that came with one): its heading
    and count, the featured comments, the orders it sorts in, a page of threads, and the
    ways to the other pages."""
    with _rendering_scope():
        url, title, sort = page.url, escape(page.title), escape(thread_page.sort)
        number = thread_page.number
        plural = "" if comment_count == 1 else "s"
        personal = " data-live-personal" if viewer.signed_in else ""
        parts = [
            '<section id="comments" class="comments" aria-labelledby="comments-heading" itemscope '
            'itemtype="https://schema.org/NewsArticle" '
            f'itemid="{escape(request.scheme)}://{escape(request.get_host())}{escape(url)}" '
            f'data-live="{escape(url_for("comments:live", page.pk))}"{personal}>',
            f'<meta itemprop="headline" content="{title}">',
            f'<meta itemprop="commentCount" content="{escape(comment_count)}">',
            '<h2 id="comments-heading" class="comments__title"><span id="comment-count">'
            f"{escape(comment_count)}</span> Comment{plural} on “{title}”</h2>",
        ]
        if follow_html:
            parts.append(follow_html)
        if featured:
            parts.append(
                '<section class="featured" aria-labelledby="featured-heading">\n'
                '<h3 id="featured-heading" class="featured__title">Featured comment'
                f"{'' if len(featured) == 1 else 's'}</h3>\n"
                f'<ol class="featured__list">{featured_html(featured, viewer)}</ol>\n</section>'
            )
        if comment_count > 1 or featured:
            current = ' aria-current="true"'
            links = "\n".join(
                f'<a href="?csort={escape(key)}#comments"'
                f"{current if thread_page.sort == key else ''}>{escape(label)}</a>"
                for key, label in sorts
            )
            parts.append(
                f'<nav class="comments__sort" aria-label="Sort comments">\n<span>Sort by:</span>\n'
                f"{links}\n</nav>"
            )
        if number > 1:
            parts.append(
                f'<p class="comments__page" id="comments-page">Page {number} of '
                f"{thread_page.page_count} of the discussion. "
                f'<a href="?csort={sort}#comments">Back to the first page</a></p>'
            )
        elif thread_page.sort == "featured" and not thread_page.tokens:
            parts.append('<p class="comments__empty">No comment is featured yet.</p>')
        parts.append(
            f'<ol id="comment-list" class="comment-list" data-sort="{sort}" data-page="{number}">\n'
            f"{_thread_html(thread_page.tokens, viewer)}\n</ol>"
        )
        parts.append(load_more_html(url, page.pk, thread_page))
        if thread_page.page_count > 1:
            items = []
            if number > 1:
                items.append(
                    f'<li><a href="{_page_query(thread_page.sort, number - 1)}#comments" '
                    'rel="prev">Previous</a></li>'
                )
            for shown in page_numbers:
                if shown is None:
                    items.append('<li><span aria-hidden="true">…</span></li>')
                elif shown == number:
                    items.append(f'<li><span aria-current="page">{shown}</span></li>')
                else:
                    link = _page_query(thread_page.sort, shown)
                    items.append(f'<li><a href="{link}#comments">{shown}</a></li>')
            if thread_page.has_next:
                items.append(
                    f'<li><a href="{_page_query(thread_page.sort, number + 1)}#comments" '
                    'rel="next">Next</a></li>'
                )
            parts.append(
                '<nav class="comments__pages" aria-label="Pages of comments">\n<ul>\n'
                + "\n".join(items)
                + "\n</ul>\n</nav>"
            )
        parts.append(
            f'<script src="{escape(static_url("js/discussion.js"))}" defer></script>\n</section>'
        )
        return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def respond_html(
    page_url: str, *, comments_open: bool, signed_in: bool, can_comment: bool, form_html: str = ""
) -> SafeString:
    """The "Leave a Reply" section under the discussion: closed, a link to sign in, a word to
    verify one's address first, or the comment form (`form_html`, its own template's, given
    by the caller for a reader who may comment)."""
    if not comments_open:
        inner = '<p class="notice">Comments are closed on this article.</p>'
    elif not signed_in:
        inner = (
            f'<p class="must-log-in">You must be <a href="{_login_link()}?next='
            f'{escape(quote(page_url, safe="/"))}%23respond">logged in</a> to post a comment.</p>'
        )
    elif not can_comment:
        inner = (
            '<p class="notice">Please verify your email address before commenting. '
            f'<a href="{escape(reverse_plain("account_email"))}">Resend the verification email'
            "</a></p>"
        )
    else:
        inner = form_html
    return mark_safe(  # noqa: S308 - every value is escaped; the form is its template's
        '<section id="respond" class="respond" aria-labelledby="respond-heading">\n'
        f'<h2 id="respond-heading">Leave a Reply</h2>\n{inner}\n</section>'
    )


def recent_html(items) -> SafeString:
    """The sidebar's Recent Comments: each one's author and excerpt, linked to it (escaped)."""
    if items:
        shown = "\n".join(
            f'<li><a href="{escape(item.url)}"><bdi class="recent-comments__name">'
            f'{escape(item.name)}</bdi>: <span dir="auto">{escape(item.excerpt)}</span></a></li>'
            for item in items
        )
        inner = f'<ul class="recent-comments">\n{shown}\n</ul>'
    else:
        inner = '<p class="widget__empty">No comments yet.</p>'
    return mark_safe(  # noqa: S308 - every value is escaped
        '<section class="widget" aria-labelledby="recent-comments-heading">\n'
        '<h2 id="recent-comments-heading" class="widget__title">Recent Comments</h2>\n'
        f"{inner}\n</section>"
    )
