"""Grow a Paddock site in PostgreSQL to the size of a large newsroom, in a minute or two.

Starts from a database holding the demo site (`manage.py load_demo`) and adds, with COPY:

- --articles articles, spread over the demo's sections and dated over the years before the
  demo's own articles (an archive behind the front page). Each is a copy of one of the demo's
  live articles, written as Wagtail writes a published page: a wagtailcore_page row in its
  section's subtree (treebeard's materialised path, depth, numchild; url_path), the
  newsroom_articlepage row, a live revision that both the page's live_revision and
  latest_revision point to, and the article's authors, sources, tags, makes and models;
- --readers readers with what signing up gives them (profile, verified primary email address,
  the Readers group), each already signed in: a session and a CSRF secret per reader go to
  --sessions-out, for the comment-posting benchmark;
- the moderation policy's first-comments rule from PADDOCK_PREMODERATE_FIRST;
- --comments comments on those articles, threaded (parent, root, depth as `comment_create`
  sets them), with the tallies votes would have left, a few held, spam or deleted, bodies
  taken from the demo's discussions (their rendered HTML and plain text kept together).

Not written: search index entries, page history and the individual votes behind the tallies
(derived data that the pages benchmarked do not read).

Run by bench/http_load.py; alone: DATABASE_URL=postgres://… .venv/bin/python bench/http/sitegen.py
  --articles 100000 --comments 1000000 --readers 3000 --sessions-out /tmp/readers.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import string
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Copying a million comments takes longer than a request may (DB_STATEMENT_TIMEOUT_MS, 15 s):
# no statement timeout for this bulk load, as for a long `migrate` (docs/operations.md).
os.environ["DB_STATEMENT_TIMEOUT_MS"] = "0"

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node alphabet
CSRF_CHARS = string.ascii_letters + string.digits
# Comment threads: the share of top-level comments, and how deep replies go.
TOP_SHARE = 0.4
MAX_DEPTH = 6
# Out of 1,000 comments: held for review, filed as spam, deleted by their author.
PENDING, SPAM, DELETED = 10, 10, 10


def _step(number: int, steplen: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    if len(digits) > steplen:
        raise ValueError(f"A section cannot hold more than {len(ALPHABET) ** steplen} pages.")
    return digits.rjust(steplen, "0")


def _reserve_ids(cursor, table: str, count: int) -> int:
    """The first of `count` consecutive ids nobody else will be given (the bench owns the
    database, so moving the sequence on is enough)."""
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 - a model's table
    first = cursor.fetchone()[0]
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1]
    )
    return first


def _rows(cursor, sql: str, params=()) -> tuple[list[str], list[tuple]]:
    cursor.execute(sql, params)
    return [col.name for col in cursor.description], cursor.fetchall()


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _readers(count: int, *, now: dt.datetime) -> list[dict]:
    """Signed-up, verified readers in the Readers group, each with a session and a CSRF
    secret; returns what a client needs to act as each one."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from paddock.accounts.models import Profile
    from paddock.core.roles import READERS

    User = get_user_model()  # noqa: N806
    password = make_password(None)  # they never sign in with a password
    joined = now - dt.timedelta(days=90)
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-reader-{n}",
                email=f"bench-reader-{n}@example.com",
                password=password,
                date_joined=joined,
            )
            for n in range(1, count + 1)
        ],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [
            Profile(user=user, display_name=f"Bench reader {n}", avatar_seed=f"{n:016x}")
            for n, user in enumerate(users, start=1)
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=2000,
    )
    readers_group = Group.objects.get(name=READERS)
    Membership = User.groups.through  # noqa: N806
    Membership.objects.bulk_create(
        [Membership(user_id=u.pk, group_id=readers_group.pk) for u in users], batch_size=2000
    )
    store = SessionStore()
    clients, sessions = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=now + dt.timedelta(days=14),
            )
        )
        csrf = "".join(secrets.choice(CSRF_CHARS) for _ in range(32))
        clients.append({"user_id": user.pk, "session": key, "csrf": csrf})
    Session.objects.bulk_create(sessions, batch_size=2000)
    return clients


def _policy() -> None:
    """The moderation policy's first-comments rule as PADDOCK_PREMODERATE_FIRST says (the
    benchmark sets 0: its readers' comments go straight out, as a trusted reader's do)."""
    from django.conf import settings

    from paddock.moderation.actions import PolicyEditAction
    from paddock.moderation.models import ModerationPolicy

    policy = ModerationPolicy.load()
    policy.premoderate_first = settings.PADDOCK_PREMODERATE_FIRST
    # Through moderation's action, as the admin's edit goes: validated, and in the audit log.
    PolicyEditAction(policy).execute()


def _articles(cursor, count: int, *, rng: random.Random) -> list[tuple[int, dt.datetime]]:
    """Copies of the demo's live articles; returns (page id, published_at) of each."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, Revision

    from paddock.newsroom.models import (
        ArticleAuthor,
        ArticlePage,
        ArticleSource,
        ArticleTag,
        SectionPage,
    )

    templates = list(ArticlePage.objects.published().exclude(live_revision=None).order_by("path"))
    if not templates:
        raise SystemExit("No published article to copy: load the demo site first (load_demo).")
    steplen = Page.steplen
    sections = {s.path: s for s in SectionPage.objects.all()}
    newest_child: dict[str, int] = {}
    for path in sections:
        last = Page.objects.filter(path__startswith=path, depth=len(path) // steplen + 1)
        last = last.order_by("-path").values_list("path", flat=True).first()
        newest_child[path] = int(last[-steplen:], 36) if last else 0

    page_cols, page_rows = _rows(
        cursor, "SELECT * FROM wagtailcore_page WHERE id = ANY(%s)", [[t.pk for t in templates]]
    )
    page_by_id = {row[page_cols.index("id")]: row for row in page_rows}
    own_cols, own_rows = _rows(
        cursor,
        f"SELECT * FROM {ArticlePage._meta.db_table} WHERE page_ptr_id = ANY(%s)",  # noqa: S608
        [[t.pk for t in templates]],
    )
    own_by_id = {row[own_cols.index("page_ptr_id")]: row for row in own_rows}
    rev_cols, rev_rows = _rows(
        cursor,
        f"SELECT * FROM {Revision._meta.db_table} WHERE id = ANY(%s)",  # noqa: S608
        [[t.live_revision_id for t in templates]],
    )
    rev_by_id = {row[rev_cols.index("id")]: row for row in rev_rows}
    # The rows hanging off each article: (table, column naming the article, rows by article).
    children = []
    related = [
        (ArticleAuthor, "article"),
        (ArticleSource, "article"),
        (ArticleTag, "content_object"),
        (ArticlePage.makes.through, "articlepage"),
        (ArticlePage.vehicle_models.through, "articlepage"),
    ]
    for model, field in related:
        column = model._meta.get_field(field).column
        cols, rows = _rows(
            cursor,
            f"SELECT * FROM {model._meta.db_table} WHERE {column} = ANY(%s)",  # noqa: S608
            [[t.pk for t in templates]],
        )
        by_article = defaultdict(list)
        for row in rows:
            by_article[row[cols.index(column)]].append(row)
        children.append((model._meta.db_table, cols, column, by_article))

    first_page = _reserve_ids(cursor, Page._meta.db_table, count)
    first_rev = _reserve_ids(cursor, Revision._meta.db_table, count)
    article_type = ContentType.objects.get_for_model(ArticlePage).pk
    # The archive ends where the demo's articles begin and reaches back about ten years.
    oldest_demo = min(t.published_at for t in templates)
    span = dt.timedelta(days=3650).total_seconds()
    pages, owns, revisions = [], [], []
    child_rows: dict[str, list] = defaultdict(list)
    made: list[tuple[int, dt.datetime]] = []
    added: dict[str, int] = defaultdict(int)
    for n in range(count):
        template = templates[n % len(templates)]
        page_id, rev_id = first_page + n, first_rev + n
        section_path = template.path[:-steplen]
        newest_child[section_path] += 1
        added[section_path] += 1
        path = section_path + _step(newest_child[section_path], steplen)
        published = oldest_demo - dt.timedelta(seconds=span * (n + 1) / count)
        published = published.replace(microsecond=0)
        updated = published + dt.timedelta(minutes=rng.randint(5, 600))
        slug = f"{template.slug}-{n + 1}"
        url_path = f"{sections[section_path].url_path}{slug}/"
        row = dict(zip(page_cols, page_by_id[template.pk], strict=True))
        row.update(
            id=page_id,
            path=path,
            numchild=0,
            slug=slug,
            url_path=url_path,
            translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            first_published_at=published,
            last_published_at=updated,
            latest_revision_created_at=updated,
            live_revision_id=rev_id,
            latest_revision_id=rev_id,
            content_type_id=article_type,
        )
        pages.append([row[c] for c in page_cols])
        own = dict(zip(own_cols, own_by_id[template.pk], strict=True))
        own.update(page_ptr_id=page_id, published_at=published)
        owns.append([own[c] for c in own_cols])
        rev = dict(zip(rev_cols, rev_by_id[template.live_revision_id], strict=True))
        content = rev["content"]
        content = json.loads(content) if isinstance(content, str) else dict(content)
        content.update(
            pk=page_id,
            path=path,
            slug=slug,
            url_path=url_path,
            translation_key=str(row["translation_key"]),
            first_published_at=published.isoformat(),
            last_published_at=updated.isoformat(),
            latest_revision_created_at=updated.isoformat(),
            published_at=published.isoformat(),
            live_revision=rev_id,
            latest_revision=rev_id,
        )
        for key, value in content.items():
            # Child objects (authors, sources) as a never-saved revision would hold them.
            if isinstance(value, list) and value and isinstance(value[0], dict):
                content[key] = [{**item, "pk": None, "article": page_id} for item in value]
        rev.update(id=rev_id, object_id=str(page_id), created_at=updated, content=content)
        revisions.append([json.dumps(rev[c]) if c == "content" else rev[c] for c in rev_cols])
        for table, cols, column, by_article in children:
            for child in by_article.get(template.pk, []):
                values = dict(zip(cols, child, strict=True))
                values[column] = page_id
                child_rows[table].append([values[c] for c in cols if c != "id"])
        made.append((page_id, published))

    _copy(cursor, Page._meta.db_table, page_cols, pages)
    _copy(cursor, ArticlePage._meta.db_table, own_cols, owns)
    _copy(cursor, Revision._meta.db_table, rev_cols, revisions)
    for table, cols, _column, _rows_by_article in children:
        _copy(cursor, table, [c for c in cols if c != "id"], child_rows[table])
    for path in added:
        SectionPage.objects.filter(path=path).update(numchild=newest_child[path])
    return made


def _comment_bodies(limit: int = 500) -> list[tuple[str, str, str]]:
    from paddock.comments.models import Comment

    bodies = list(
        Comment.objects.filter(status=Comment.Status.PUBLISHED)
        .order_by("pk")
        .values_list("body", "body_html", "body_text")[:limit]
    )
    if not bodies:
        raise SystemExit("No comment to copy bodies from: load the demo site first (load_demo).")
    return bodies


def _comments(
    cursor,
    count: int,
    *,
    articles: list[tuple[int, dt.datetime]],
    authors: list[int],
    now: dt.datetime,
    rng: random.Random,
) -> int:
    """Threaded comments, about count / len(articles) per article (more on some, none on
    others), written with COPY in one pass."""
    from paddock.comments.models import Comment, wilson_lower_bound

    bodies = _comment_bodies()
    fields = [f for f in Comment._meta.concrete_fields if f.name != "id"]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ["id"] + [f.column for f in fields]
    attnames = ["id"] + [f.attname for f in fields]
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    # Sizes drawn so that they add up to `count`: a long tail of busy articles.
    weights = [rng.paretovariate(1.5) for _ in articles]
    total = sum(weights)
    sizes = [int(count * w / total) for w in weights]
    for i in rng.sample(range(len(articles)), count - sum(sizes)):
        sizes[i] += 1
    next_id = _reserve_ids(cursor, Comment._meta.db_table, count)
    Status = Comment.Status  # noqa: N806

    def rows():
        nonlocal next_id
        for (article_id, published), size in zip(articles, sizes, strict=True):
            thread: list[tuple[int, int, int]] = []  # (id, root id, depth)
            at = published
            for _ in range(size):
                at += dt.timedelta(seconds=rng.randint(30, 3 * 3600))
                comment_id, next_id = next_id, next_id + 1
                if thread and rng.random() > TOP_SHARE:
                    parent_id, root_id, parent_depth = rng.choice(thread)
                    depth = min(parent_depth + 1, MAX_DEPTH)
                else:
                    parent_id, root_id, depth = None, comment_id, 0
                thread.append((comment_id, root_id, depth))
                body, html, text = rng.choice(bodies)
                ups, downs = rng.choice((0, 0, 1, 2, 3, 5, 8)), rng.choice((0, 0, 0, 1, 2))
                roll = rng.randrange(1000)
                status = (
                    Status.PENDING
                    if roll < PENDING
                    else Status.SPAM
                    if roll < PENDING + SPAM
                    else Status.PUBLISHED
                )
                values = dict(defaults)
                values.update(
                    id=comment_id,
                    article_id=article_id,
                    parent_id=parent_id,
                    root_id=root_id,
                    depth=depth,
                    author_id=rng.choice(authors),
                    body=body,
                    body_html=html,
                    body_text=text,
                    status=status,
                    is_deleted=PENDING + SPAM <= roll < PENDING + SPAM + DELETED,
                    created_at=min(at, now),
                    upvotes=ups,
                    downvotes=downs,
                    score=ups - downs,
                    wilson=wilson_lower_bound(ups, downs),
                )
                for name in json_fields:
                    values[name] = json.dumps(values[name])
                yield [values[name] for name in attnames]

    return _copy(cursor, Comment._meta.db_table, columns, rows())


def generate(*, articles: int, comments: int, readers: int, seed: int = 8) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        raise SystemExit("sitegen writes with PostgreSQL's COPY: set DATABASE_URL to postgres://…")
    rng = random.Random(seed)
    now = timezone.now()
    timings = {}
    with transaction.atomic():
        cursor = connection.connection.cursor()
        _policy()
        started = time.monotonic()
        clients = _readers(readers, now=now)
        timings["readers"] = time.monotonic() - started

        started = time.monotonic()
        made = _articles(cursor, articles, rng=rng)
        timings["articles"] = time.monotonic() - started

        started = time.monotonic()
        demo_readers = list(
            get_user_model().objects.filter(username__startswith="reader-").values_list("pk")
        )
        authors = [c["user_id"] for c in clients] + [pk for (pk,) in demo_readers]
        written = _comments(cursor, comments, articles=made, authors=authors, now=now, rng=rng)
        timings["comments"] = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as plain:
        # As a site at rest is, once autovacuum has been by after a bulk load: its statistics
        # and, on PostgreSQL, the visibility map that lets index-only scans skip the rows.
        plain.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    timings["analyze"] = time.monotonic() - started
    # The article readers post to in the benchmark: the newest of the archive.
    return {
        "articles": len(made),
        "comments": written,
        "readers": clients,
        "post_article_id": made[0][0] if made else None,
        "seconds": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--sessions-out", type=Path, required=True, help="JSON file for what was made"
    )
    args = parser.parse_args()
    result = generate(
        articles=args.articles, comments=args.comments, readers=args.readers, seed=args.seed
    )
    args.sessions_out.write_text(json.dumps(result))
    seconds = result["seconds"]
    print(
        f"added {result['articles']:,} articles, {result['comments']:,} comments and "
        f"{len(result['readers']):,} signed-in readers in {sum(seconds.values()):.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items())
        + ")"
    )


if __name__ == "__main__":
    main()
