"""Reading discussions: an article's threads page by page, the permalink's page, recent comments.

An article page costs the same handful of queries whatever its number of comments: the visible
count, one page of top-level comments, every reply under them in one query (through `root`),
and the reader's own votes on those. The tree is assembled in Python.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import attrgetter

from django.conf import settings
from django.db import router
from django.db.models import F, Func, IntegerField, Q, Subquery
from django.db.models.functions import Lower

from paddock.accounts.display_names import DELETED_TEXT
from paddock.accounts.models import Profile
from paddock.core import chrome as core_chrome
from paddock.core import fragments
from paddock.core.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS
from paddock.core.shapes import QueryShape, Statement, read_ahead, together
from paddock.newsroom.selectors import article_writers

from . import markup
from .models import Comment, Report, Vote

SORTS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "best": ("-wilson", "-score", "created_at", "pk"),
    # Not an order of every thread but a tab: only the featured ones, latest chosen first.
    "featured": ("-featured_at", "-pk"),
}
SORT_LABELS = {"oldest": "Oldest", "newest": "Newest", "best": "Best", "featured": "Featured"}
DEFAULT_SORT = "oldest"
RECENT_COUNT = 8
# The latest comments a page left open is sent each time it asks what is new (live_comments).
LIVE_COUNT = 30
FEATURED_COUNT = 3
# The badge beside a comment, by who wrote it; one each, the most specific first.
BADGE_AUTHOR, BADGE_MODERATOR, BADGE_STAFF = "Author", "Moderator", "Staff"
STAFF_ROLES = (CONTRIBUTORS, EDITORS, ADMINISTRATORS)
# The site chrome's part with every account that carries a newsroom badge (comments/chrome.py).
STAFF = "comments.staff"
# Comments imported from WordPress or Disqus by guests have no account, only a name that the
# importer keeps beside the comment (paddock.importers.ImportedCommentAuthor).
GUEST_NAME = F("imported_author__name")


@dataclass
class Node:
    comment: Comment | ThreadComment
    children: list[Node] = field(default_factory=list)
    in_reply_to: str = ""


@dataclass
class Token:
    """One step of the flattened tree: a comment to open, or the end of a reply list."""

    comment: Comment | ThreadComment | None = None
    depth: int = 0
    has_children: bool = False
    in_reply_to: str = ""

    @property
    def is_end(self) -> bool:
        return self.comment is None


@dataclass
class ThreadPage:
    tokens: list[Token]
    number: int
    has_next: bool
    sort: str
    # Visible comments on the whole article; None when the page showed none to count from.
    visible_total: int | None = None
    # How many pages of threads this order has (at least one).
    page_count: int = 1
    # Badges by author id, for the authors on this article's discussion (author_badges).
    badges: dict[int, str] = field(default_factory=dict)


def author_name(comment: Comment) -> str:
    if comment.is_deleted:
        return DELETED_TEXT
    if comment.author_id is None:
        # A guest's comment imported from another platform keeps its name; otherwise the
        # account is gone.
        return getattr(comment, "guest_name", None) or DELETED_TEXT
    name = getattr(comment, "author_display_name", None)
    return name if name is not None else comment.author.profile.display_name


def _base(viewer=None):
    """Comments as threads show them (to this viewer), each carrying its author's public face
    as plain attributes: one model instance per comment instead of three."""
    return (
        Comment.objects.in_threads(viewer)
        .annotate(
            author_display_name=F("author_profile__display_name"),
            author_profile_pk=F("author_profile__pk"),
            author_avatar=F("author_profile__avatar"),
            author_avatar_seed=F("author_profile__avatar_seed"),
            guest_name=GUEST_NAME,
        )
        .defer("body", "body_text", "ip_address")
    )


def visible_count(article) -> int:
    return Comment.objects.visible().filter(article=article).count()


def parse_sort(value: str | None) -> str:
    return value if value in SORTS else DEFAULT_SORT


def thread_page(
    article, *, sort: str = DEFAULT_SORT, number: int = 1, viewer=None
) -> ThreadPage | None:
    """Page `number` of the article's top-level threads with all their replies, or None when
    the page does not exist (beyond the last one). A signed-in viewer also sees their own
    comments that wait for a moderator.

    One query: the page's top-level comments and every reply under them (through `root`,
    which a top-level comment holds itself), with the article's counts beside each row."""
    statement = _thread_statement(article.pk, sort, number, viewer)
    return _thread_page(article, sort, number, _execute(statement))


def discussion(
    article, *, sort: str = DEFAULT_SORT, number: int = 1, viewer=None
) -> tuple[ThreadPage | None, list[Comment]]:
    """thread_page() and featured_comments(), in one round trip when the featured comments
    are read too (they are kept until the discussion changes; with nothing kept, every
    render reads both)."""
    statement = _thread_statement(article.pk, sort, number, viewer)
    read: dict[str, list] = {}

    def featured_with_threads() -> list[Comment]:
        read["threads"], featured = together(statement, _featured(article.pk, FEATURED_COUNT))
        return featured

    featured = fragments.memo(*_featured_memo(article, FEATURED_COUNT), featured_with_threads)
    rows = read["threads"] if "threads" in read else _execute(statement)
    return _thread_page(article, sort, number, rows), featured


def _thread_page(article, sort: str, number: int, rows: list) -> ThreadPage | None:
    per_page = settings.PADDOCK_COMMENTS_PER_PAGE
    offset = (number - 1) * per_page
    if not rows and number > 1:
        return None
    comments = [ThreadComment._make(row[:-2]) for row in rows]
    visible_total, root_total = rows[0][-2:] if rows else (None, 0)
    roots = [c for c in comments if c.depth == 0]
    _sort_roots(roots, sort)
    replies = [c for c in comments if c.depth > 0]  # oldest first, as the query sorts them
    return ThreadPage(
        tokens=flatten(build_forest(roots, replies)),
        number=number,
        has_next=offset + per_page < root_total,
        sort=sort,
        visible_total=visible_total,
        page_count=max(1, -(-root_total // per_page)),
        badges=author_badges(article),
    )


def featured_comments(article, limit: int = FEATURED_COUNT) -> list[Comment]:
    """The comments editors chose to show above the discussion, latest chosen first (one
    query, kept until the discussion changes: featuring, editing, hiding or renaming all say
    so through `discussion_changed`; each carries its author's public face as _base gives
    it)."""
    return fragments.memo(
        *_featured_memo(article, limit), lambda: together(_featured(article.pk, limit))[0]
    )


def _featured_memo(article, limit: int) -> tuple[str, list[str]]:
    return f"featured:{article.pk}:{limit}", [f"article:{article.pk}"]


def _featured(article_id: int, limit: int) -> Statement:
    return _FEATURED.bind(article=article_id, variant=limit)


def read_discussion_ahead(article_id: int, *, sort: str, number: int, viewer=None) -> None:
    """With nothing kept, send what `discussion` will read for this page of the article's
    threads (its statements, and the featured comments') with the next statements the
    request sends (core.shapes.read_ahead): the site chrome's, when the article's id is known
    before the page is routed to (newsroom.memos)."""
    if fragments.enabled():
        return
    read_ahead(
        _thread_statement(article_id, sort, number, viewer),
        _featured(article_id, FEATURED_COUNT),
    )


def live_comments(article, *, viewer=None, ids=None, limit: int = LIVE_COUNT) -> list[Comment]:
    """The article's latest comments as threads show them, oldest first (one query): without
    `viewer`, what every reader sees (published, not shadowed, not deleted); with one, the
    comments `ids` as that reader sees them (their own held ones too). Each carries its
    author's public face (_base) and `in_reply_to_name`, its parent's author as a thread
    names them."""
    comments = _base(viewer).filter(article=article, is_deleted=False)
    if ids is not None:
        comments = comments.filter(pk__in=ids)
    rows = list(
        comments.annotate(
            parent_author_id=F("parent__author_id"),
            parent_is_deleted=F("parent__is_deleted"),
            parent_display_name=F("parent__author_profile__display_name"),
            parent_guest_name=F("parent__imported_author__name"),
        ).order_by("-created_at", "-pk")[:limit]
    )
    rows.reverse()
    for comment in rows:
        if comment.parent_is_deleted or comment.parent_id is None:
            name = DELETED_TEXT
        elif comment.parent_author_id is None:
            name = comment.parent_guest_name or DELETED_TEXT
        else:
            name = comment.parent_display_name
        comment.in_reply_to_name = name
    return rows


_FEATURED = QueryShape(
    Comment,
    lambda article, variant: (
        _base()
        .filter(article_id=article, featured_at__isnull=False)
        .filter(status=Comment.Status.PUBLISHED, is_deleted=False)
        .order_by("-featured_at", "-pk")[:variant]
    ),
    article=int,
)


def author_badges(article, author_ids=None) -> dict[int, str]:
    """The badge each author carries on this article's discussion: "Author" for its own
    writers, "Moderator", then "Staff" for the newsroom; only those of `author_ids` when
    given, else every account that carries one there.

    No query of its own: the writers are the article's published bylines (read with the rest
    of its details, newsroom.selectors.article_writers), the newsroom's roles a part of the site
    chrome (comments/chrome.py, kept until the site changes: publishing an article, joining or
    leaving a staff group and a change to an account's staff flags all say so)."""
    writers = article_writers(article)
    staff = core_chrome.get(STAFF).badges
    if author_ids is None:
        return {**staff, **dict.fromkeys(writers, BADGE_AUTHOR)}
    found = {}
    for pk in author_ids:
        badge = BADGE_AUTHOR if pk in writers else staff.get(pk)
        if badge:
            found[pk] = badge
    return found


# What a thread shows of each comment, in the order the query selects it.
THREAD_COLUMNS = (
    "pk",
    "article_id",
    "parent_id",
    "root_id",
    "depth",
    "author_id",
    "body_html",
    "status",
    "is_deleted",
    "created_at",
    "edited_at",
    "upvotes",
    "downvotes",
    "score",
    "wilson",
    "status_reason",
    "edited_by_moderator",
    "featured_at",
    "author_display_name",
    "author_profile_pk",
    "author_avatar",
    "author_avatar_seed",
    "guest_name",
)


class ThreadComment(namedtuple("ThreadRow", THREAD_COLUMNS)):
    """A comment as threads show it: the row's values as attributes (a page can hold hundreds;
    a model instance apiece costs more than rendering them)."""

    __slots__ = ()
    Status = Comment.Status

    def __repr__(self) -> str:
        return f"<ThreadComment {self.pk} on {self.article_id}>"


def _sort_roots(roots: list[ThreadComment], sort: str) -> None:
    """Put one page of top-level comments in the order SORTS gives the query: a stable sort per
    field, the last first."""
    for field_name in reversed(SORTS[sort]):
        roots.sort(key=attrgetter(field_name.lstrip("-")), reverse=field_name.startswith("-"))


def _count(queryset) -> Subquery:
    """COUNT(*) of a queryset as a scalar subquery (one row, whatever it matches): no column
    of the rows counted is read, so PostgreSQL counts from an index that holds the ones
    filtered on (comment_thread)."""
    counted = (
        queryset.order_by()
        .annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


# The query for a page of threads has a handful of shapes (sort, page, signed in or not): the
# ORM writes each once per process, with stand-in ids that every call replaces with its own.
# Writing it costs more than running it on a short discussion.
_ARTICLE, _VIEWER = -918_273_645, -918_273_646


class _StandInViewer:
    pk = _VIEWER
    is_authenticated = True


@dataclass(frozen=True)
class _Prepared:
    sql: str
    params: tuple
    # (column, converters, expression) for the values the database driver does not give as
    # Python wants them (SQLite's dates and booleans).
    converters: tuple


@lru_cache(maxsize=256)
def _page_query(alias: str, sort: str, offset: int, per_page: int, signed_in: bool) -> _Prepared:
    viewer = _StandInViewer() if signed_in else None
    in_threads = Comment.objects.in_threads(viewer).filter(article_id=_ARTICLE)
    if sort == "featured":
        in_threads = in_threads.filter(featured_at__isnull=False)
    page_roots = in_threads.filter(depth=0).order_by(*SORTS[sort]).values("pk")
    # By their roots alone: a reply is on its root's article, and PostgreSQL then reads the
    # page's threads through the root index instead of every comment on the article.
    queryset = (
        _base(viewer)
        .filter(root_id__in=page_roots[offset : offset + per_page])
        .annotate(
            visible_total=_count(Comment.objects.visible().filter(article_id=_ARTICLE)),
            root_total=_count(in_threads.filter(depth=0)),
        )
        .order_by("created_at", "pk")
        .values_list(*THREAD_COLUMNS, "visible_total", "root_total")
    )
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    selected = [column[0] for column in compiler.select[: compiler.col_count]]
    # The two counts last are integers from every database: their converters (int() of an
    # int) would copy every row of a long discussion to run them.
    converters = tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(selected).items()
        if position < len(THREAD_COLUMNS)
    )
    return _Prepared(sql, tuple(params), converters)


def _thread_statement(article_id: int, sort: str, number: int, viewer) -> Statement:
    """The query for page `number` of the article's threads, as `viewer` sees them."""
    per_page = settings.PADDOCK_COMMENTS_PER_PAGE
    signed_in = viewer is not None and viewer.is_authenticated
    alias = router.db_for_read(Comment)
    prepared = _page_query(alias, sort, (number - 1) * per_page, per_page, signed_in)
    ids = {_ARTICLE: article_id, _VIEWER: getattr(viewer, "pk", None)}
    bound = [ids.get(p, p) if type(p) is int else p for p in prepared.params]
    # Planned once a connection: left to choose, PostgreSQL plans it afresh for each article
    # with a few comments (core.shapes.execute_together).
    return Statement(alias, prepared.sql, bound, partial(_converted, prepared), generic=True)


def _execute(statement: Statement) -> list:
    return together(statement)[0]


def _converted(prepared: _Prepared, rows: list[tuple], connection) -> list:
    if not prepared.converters:
        return rows
    # As SQLCompiler.apply_converters does, with this thread's connection (the compiler kept
    # in _page_query holds the connection of the thread that wrote the query).
    converted = []
    for row in rows:
        row = list(row)
        for position, functions, expression in prepared.converters:
            value = row[position]
            for convert in functions:
                value = convert(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted


def build_forest(roots: list[Comment], replies: list[Comment]) -> list[Node]:
    """Nest replies under their parents. Replies deeper than the display limit hang under their
    ancestor at the limit, marked "in reply to" whom; deleted comments nobody answered vanish."""
    max_depth = settings.PADDOCK_COMMENT_MAX_DISPLAY_DEPTH - 1
    nodes: dict[int, Node] = {c.pk: Node(c) for c in roots}
    by_pk: dict[int, Comment] = {c.pk: c for c in roots}
    for reply in replies:  # chronological, so a parent always comes before its replies
        by_pk[reply.pk] = reply
        parent_node = nodes.get(reply.parent_id)
        if parent_node is None:
            continue  # its parent is hidden, and so is the rest of that branch
        node = Node(reply)
        nodes[reply.pk] = node
        if reply.depth > max_depth:
            anchor = parent_node
            while anchor.comment.depth > max_depth:
                anchor = nodes[anchor.comment.parent_id]
            node.in_reply_to = author_name(by_pk[reply.parent_id])
            anchor.children.append(node)
        else:
            parent_node.children.append(node)
    forest = [nodes[r.pk] for r in roots]
    return [n for n in forest if _prune(n)]


def _prune(node: Node) -> bool:
    """Drop deleted leaves (bottom-up); True when the node is still worth showing."""
    node.children = [child for child in node.children if _prune(child)]
    return bool(node.children) or not node.comment.is_deleted


def flatten(forest: list[Node]) -> list[Token]:
    """The forest as a flat list, so the template renders nesting with one loop."""
    tokens: list[Token] = []
    for node in forest:
        _flatten_into(tokens, node, 0)
    return tokens


def _flatten_into(tokens: list[Token], node: Node, depth: int) -> None:
    # Not a function nested in flatten(): calling itself, it would hold itself in a cycle, and
    # the tokens with it, until the garbage collector came by (core.memory).
    tokens.append(Token(node.comment, depth, bool(node.children), node.in_reply_to))
    if node.children:
        for child in node.children:
            _flatten_into(tokens, child, depth + 1)
        tokens.append(Token())


def user_votes(user, comment_ids=None, *, article=None) -> dict[int, int]:
    """The reader's votes, by comment id: on the given comments, or on a whole article (one
    query whatever the page shows)."""
    if not user.is_authenticated:
        return {}
    votes = Vote.objects.filter(user=user)
    if article is not None:
        votes = votes.filter(comment__article=article)
    else:
        if not comment_ids:
            return {}
        votes = votes.filter(comment_id__in=comment_ids)
    return dict(votes.values_list("comment_id", "value"))


def participants(article_id: int):
    """The profiles of the readers in a discussion: those with a comment everyone sees on it.
    Only they can be mentioned there, and suggested when a reader types "@"."""
    authors = Comment.objects.visible().filter(article_id=article_id, author__isnull=False)
    return Profile.objects.filter(user_id__in=authors.values("author_id"), user__is_active=True)


def mention_targets(article_id: int, text: str) -> dict[str, str]:
    """What `markup.render` may link as mentions in `text` on this article: the names an "@"
    in it could start that belong to a participant (lowercased), with their profiles' paths.
    One query when the text has an "@", none otherwise."""
    candidates = markup.mention_candidates(text)
    if not candidates:
        return {}
    found = (
        participants(article_id)
        .alias(name=Lower("display_name"))
        .filter(name__in=sorted(candidates))
        .only("pk", "display_name")
    )
    return {profile.display_name.lower(): profile.get_absolute_url() for profile in found}


def mention_suggestions(article_id: int, prefix: str, *, exclude_user=None, limit: int = 8):
    """Display names of the discussion's readers starting with `prefix` (or with a word of it),
    for the "@" suggestions: names only, never an address."""
    found = participants(article_id)
    prefix = prefix.strip()[: markup.NAME_MAX]
    if prefix:
        found = found.filter(
            Q(display_name__istartswith=prefix) | Q(display_name__icontains=" " + prefix)
        )
    if exclude_user is not None:
        found = found.exclude(user_id=exclude_user.pk)
    return list(
        found.order_by(Lower("display_name")).values_list("display_name", flat=True)[:limit]
    )


def permalink_page(comment: Comment) -> int:
    """Which page (in the default order) holds the thread of this comment."""
    root = comment if comment.root_id in (None, comment.pk) else comment.root
    earlier = (
        Comment.objects.in_threads()
        .filter(article_id=comment.article_id, depth=0)
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk))
        .count()
    )
    return earlier // settings.PADDOCK_COMMENTS_PER_PAGE + 1


def recent_comments(limit: int = RECENT_COUNT) -> list[Comment]:
    """The latest visible comments site-wide, on articles readers can see."""
    return list(
        Comment.objects.visible()
        .on_live_articles()
        .select_related("author__profile")
        .annotate(guest_name=GUEST_NAME)
        .order_by("-created_at", "-pk")[:limit]
    )


# --- A reader's own data ------------------------------------------------------------------


def _renamed(rows, names: dict[str, str]):
    for row in rows:
        yield {names.get(key, key): value for key, value in row.items()}


def personal_data(user, emails: list[str]) -> dict:
    """What the discussion holds about a reader, for their download (accounts' personal-data
    hook): their comments as they wrote them and what became of them, their votes and the
    reports they filed. One query a section, read as it is written."""
    comments = (
        Comment.objects.filter(author=user)
        .order_by("created_at", "pk")
        .values(
            "id",
            "article_id",
            "article__title",
            "parent_id",
            "body",
            "status",
            "status_reason",
            "is_deleted",
            "created_at",
            "edited_at",
            "upvotes",
            "downvotes",
            "ip_address",
        )
        .iterator(chunk_size=500)
    )
    votes = (
        Vote.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values("comment_id", "value", "created_at")
        .iterator(chunk_size=500)
    )
    reports = (
        Report.objects.filter(reporter=user)
        .order_by("created_at", "pk")
        .values("comment_id", "reason", "details", "created_at", "resolved_at")
        .iterator(chunk_size=500)
    )
    return {
        "comments": _renamed(comments, {"article__title": "article_title"}),
        "comment_votes": votes,
        "comment_reports": reports,
    }
