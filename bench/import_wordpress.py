"""How fast `import_wordpress` is, and whether its memory stays flat as the export grows.

Generates a WordPress export (streamed to a temporary file, never held in memory) of --posts
posts and --comments comments, threaded, in every state, in three categories with tags, then
imports it into a throwaway SQLite database in a temporary data folder and prints posts/s,
comments/s, the total time, the peak RSS of the import process and its RSS after 10%, 50% and
100% of the posts: a streaming import's RSS stays flat from the first tenth to the end.

It then does the same with an export a quarter of the size (unless --no-compare), each import in
a fresh process and a fresh database, so that the two peaks compare like with like.

By default it imports 1,000 posts and 20,000 comments (about a minute, what `make bench` runs);
--full imports the issue's size, 10,000 posts and 200,000 comments (about ten minutes).

Run: .venv/bin/python bench/import_wordpress.py [--full | --posts N --comments N] [--no-compare]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CATEGORIES = [("news", "News"), ("reviews", "Reviews"), ("electric", "Electric")]
TAGS = [("ev", "EV"), ("recall", "Recall"), ("suv", "SUV"), ("hatchback", "Hatchback")]
STATES = ["1"] * 16 + ["0", "spam", "trash"]
PARAGRAPH = (
    "The {n} model arrives with a revised suspension, a larger battery and a price that "
    "undercuts its rivals by a clear margin. Dealers expect the first cars in spring, and the "
    '<a href="https://maker.example/press/{n}">press release</a> promises <b>more range</b>.'
)


def generate(path: Path, *, posts: int, comments: int, seed: int = 1) -> int:
    """Write the export to `path`, one post at a time; returns its size in bytes."""
    from paddock.importers.tests.builders import WXR_TAIL, Author, Comment, Post, item_xml, wxr_head

    rng = random.Random(seed)
    authors = [
        Author(i, f"writer{i}", f"writer{i}@oldsite.example", f"Writer {i}") for i in range(1, 6)
    ]
    per_post, extra = divmod(comments, posts)
    comment_id = 1
    with path.open("w", encoding="utf-8") as out:
        out.write(wxr_head(authors=authors, categories=CATEGORIES, tags=TAGS))
        for number in range(1, posts + 1):
            count = per_post + (1 if number <= extra else 0)
            thread: list[Comment] = []
            for i in range(count):
                parent = rng.choice(thread).id if thread and rng.random() < 0.6 else 0
                thread.append(
                    Comment(
                        comment_id,
                        f"Comment {i} on post {number}: I drove one last week and the "
                        f"<i>steering</i> is sharper than before.\n\nWould buy again.",
                        author=f"Reader {rng.randint(1, 5000)}",
                        email=f"reader{rng.randint(1, 5000)}@example.net",
                        date=f"2015-{1 + number % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}:00",
                        approved=rng.choice(STATES),
                        parent=parent,
                    )
                )
                comment_id += 1
            body = "\n\n".join(PARAGRAPH.format(n=number + k) for k in range(6))
            post = Post(
                number,
                title=f"Post {number}: the new model tested",
                slug=f"post-{number}",
                content=f"{body}\n\n<h2>Verdict</h2>\nBuy one.\n<ul><li>Fast</li></ul>",
                creator=f"writer{1 + number % 5}",
                date=f"2015-{1 + number % 12:02d}-{1 + number % 28:02d} 09:00:00",
                categories=[rng.choice(CATEGORIES)],
                tags=rng.sample(TAGS, 2),
                comments=thread,
            )
            out.write(item_xml(post))
        out.write(WXR_TAIL)
    return path.stat().st_size


def _rss_mb() -> float:
    """The process's resident memory now (not its peak), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _sample_rss(posts: int) -> list[tuple[int, float]]:
    """Record the RSS after each tenth of the posts (wrapping the pipeline's post step)."""
    from paddock.importers.wordpress import pipeline

    samples: list[tuple[int, float]] = []
    marks = {max(1, posts * tenth // 10): tenth * 10 for tenth in range(1, 11)}
    done = 0
    post_import = pipeline.post_import

    def counted(**kwargs):
        nonlocal done
        post_import(**kwargs)
        done += 1
        if done in marks:
            samples.append((marks[done], _rss_mb()))

    pipeline.post_import = counted
    return samples


def child(export: str, posts: int) -> None:
    """Import `export` into a fresh database and print the figures as JSON (own process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PADDOCK_DATA_DIR", tempfile.mkdtemp(prefix="paddock-bench-"))
    os.environ.setdefault("PADDOCK_TESTING", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", verbosity=0)
    from paddock.comments.models import Comment
    from paddock.newsroom.models import ArticlePage

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    samples = _sample_rss(posts)
    out = StringIO()
    started = time.monotonic()
    try:
        call_command("import_wordpress", export, "--no-download", stdout=out, verbosity=1)
    except CommandError as exc:
        if exc.returncode != 1:
            raise
    elapsed = time.monotonic() - started
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "posts": ArticlePage.objects.count(),
                "comments": Comment.objects.count(),
                "rss_before_mb": rss_before / 1024,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_mb_at_percent": samples,
                "report": out.getvalue().splitlines()[:12],
            }
        )
    )


def run(posts: int, comments: int, workdir: Path) -> dict:
    export = workdir / f"export-{posts}-{comments}.xml"
    started = time.monotonic()
    size = generate(export, posts=posts, comments=comments)
    print(f"Generated {export.name}: {size / 1e6:,.1f} MB in {time.monotonic() - started:.1f} s")
    env = dict(os.environ, PADDOCK_DATA_DIR=str(workdir / f"data-{posts}"))
    env.pop("DATABASE_URL", None)  # a throwaway SQLite database in the data folder
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(export), "--posts", str(posts)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        raise SystemExit(f"The import of {export.name} failed.")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["mb"] = size / 1e6
    s = figures["seconds"]
    print(
        f"  {figures['posts']:,} posts, {figures['comments']:,} comments in {s:,.1f} s: "
        f"{figures['posts'] / s:,.1f} posts/s, {figures['comments'] / s:,.0f} comments/s, "
        f"{figures['mb'] / s:,.2f} MB/s; peak RSS {figures['peak_rss_mb']:,.0f} MB "
        f"(before the import: {figures['rss_before_mb']:,.0f} MB)"
    )
    rss = ", ".join(f"{pct}%: {mb:,.0f} MB" for pct, mb in figures["rss_mb_at_percent"])
    print(f"  RSS after each tenth of the posts: {rss}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument(
        "--full", action="store_true", help="10,000 posts and 200,000 comments (~10 minutes)."
    )
    parser.add_argument("--no-compare", action="store_true", help="Skip the quarter-size run.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.posts)
        return
    if args.full:
        args.posts, args.comments = 10_000, 200_000
    with tempfile.TemporaryDirectory(prefix="paddock-import-bench-") as tmp:
        workdir = Path(tmp)
        full = run(args.posts, args.comments, workdir)
        if not args.no_compare:
            quarter = run(max(1, args.posts // 4), args.comments // 4, workdir)
            grew = full["peak_rss_mb"] - quarter["peak_rss_mb"]
            print(
                f"Peak RSS: {full['peak_rss_mb']:,.0f} MB for {full['mb']:,.0f} MB of export, "
                f"{quarter['peak_rss_mb']:,.0f} MB for {quarter['mb']:,.0f} MB "
                f"(difference {grew:+,.0f} MB for {full['mb'] - quarter['mb']:,.0f} MB more file)."
            )


if __name__ == "__main__":
    main()
