"""The demo's reader discussion, read from ``data/discussion.json`` (see `content` for the
shapes): what readers wrote and what they reported. `threads` turns it into threaded comments,
votes and reports, combining the pools with a random generator seeded by `SEED`, so every run
produces the same discussion."""

from __future__ import annotations

from .content import read, tuples

_discussion = read("discussion")

SEED: int = _discussion["seed"]
REFERENCE_THREAD: list[tuple[int, int, str]] = tuples(_discussion["reference_thread"])
# Articles left without comments, as some quieter stories are.
QUIET: set[str] = set(_discussion["quiet"])
# The article whose comment section grew into a long, argumentative discussion.
BIG_SLUG: str = _discussion["big_slug"]
BIG_COUNT: int = _discussion["big_count"]
THREADS: dict[str, list[tuple[int, str]]] = {
    slug: tuples(thread) for slug, thread in _discussion["threads"].items()
}
REPORTS: list[tuple[str, int, str, str]] = tuples(_discussion["reports"])
SECTION_THEMES: dict[str, str] = _discussion["section_themes"]
TAG_THEMES: dict[str, str] = _discussion["tag_themes"]
THEME_THREADS: dict[str, list[tuple[str, list[str]]]] = {
    theme: [(text, replies) for text, replies in threads]
    for theme, threads in _discussion["theme_threads"].items()
}
GENERIC_COMMENTS: list[str] = _discussion["generic_comments"]
GENERIC_REPLIES: list[str] = _discussion["generic_replies"]
TAILS: list[str] = _discussion["tails"]
BIG_TOPICS: dict[str, dict[str, list[str]]] = _discussion["big_topics"]
BIG_OPENERS: list[str] = _discussion["big_openers"]
BIG_AGREE: list[str] = _discussion["big_agree"]
BIG_DISAGREE: list[str] = _discussion["big_disagree"]
BIG_HEATED: list[str] = _discussion["big_heated"]
BIG_SETTLE: list[str] = _discussion["big_settle"]
BIG_CLOSERS: list[str] = _discussion["big_closers"]
