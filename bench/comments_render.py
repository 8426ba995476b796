"""How long the article page takes to render server-side with 2,000 comments.

Builds a throwaway site (SQLite in a temporary data folder unless DATABASE_URL is set), an
article with 2,000 comments in two shapes, and renders the page through Django's test client
(no network, no cache, templates not instrumented): median and 95th percentile in ms, and SQL
queries per render.

- "realistic": 40% of comments top-level, the rest replies at random depths; page 1 shows the
  first 50 threads (the paginated default) with all their replies.
- "worst case": the 2,000 comments in 50 threads, so page 1 renders every one of them.

Run: make bench, or .venv/bin/python bench/comments_render.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PADDOCK_DATA_DIR", tempfile.mkdtemp(prefix="paddock-bench-"))
os.environ.setdefault("PADDOCK_TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from paddock.comments import markup  # noqa: E402
from paddock.comments.models import Comment  # noqa: E402
from paddock.newsroom.tests.factories import make_article, make_section  # noqa: E402

COMMENTS = 2_000
RUNS = 15


def build(article, users, *, top_share: float, max_roots: int | None, seed: int) -> None:
    rng = random.Random(seed)
    made: list[Comment] = []
    roots: list[Comment] = []
    for i in range(COMMENTS):
        full = max_roots is not None and len(roots) >= max_roots
        parent = None
        if made and (full or rng.random() > top_share):
            parent = rng.choice(made)
        body = (
            f"Comment {i}: the plant question is about **training** and suppliers, "
            f"not geography. See [the report](https://example.com/r/{i}). " * rng.randint(1, 3)
        )
        html = markup.render(body)
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            author=rng.choice(users),
            body=body,
            body_html=html,
            body_text=markup.plain(html),
            upvotes=rng.randint(0, 9),
            downvotes=rng.randint(0, 3),
        )
        comment.root_id = parent.root_id if parent else comment.pk
        Comment.objects.filter(pk=comment.pk).update(root_id=comment.root_id)
        made.append(comment)
        if parent is None:
            roots.append(comment)


def measure(client: Client, url: str) -> tuple[float, float, int, int]:
    client.get(url)  # warm up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    shown = response.content.decode().count('itemtype="https://schema.org/Comment"')
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    return statistics.median(times), p95, len(ctx.captured_queries), shown


def main() -> None:
    call_command("migrate", verbosity=0)
    users = []
    for n in range(40):
        user = get_user_model().objects.create_user(
            username=f"bench{n}", email=f"bench{n}@example.com", password=None
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        users.append(user)
    section = make_section("Bench")
    shapes = {
        "realistic (40% top-level, page 1 of 50 threads)": {"top_share": 0.4, "max_roots": None},
        "worst case (2,000 comments in 50 threads)": {"top_share": 0.3, "max_roots": 50},
    }
    client = Client()
    print(f"database: {connection.vendor}; {COMMENTS:,} comments per article; {RUNS} renders")
    print(f"{'shape':52} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'shown':>6}")
    for i, (name, shape) in enumerate(shapes.items()):
        article = make_article(section, title=f"Bench article {i}")
        build(article, users, seed=i, **shape)
        median, p95, queries, shown = measure(client, article.url)
        print(f"{name:52} {median:10.1f} {p95:8.1f} {queries:8d} {shown:6d}")


if __name__ == "__main__":
    main()
