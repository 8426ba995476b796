"""The demo's reader discussion, written through the comment services: readers comment on most
live articles as a reader would (`comment_create`, `report_create`), one article has a very
long discussion written in bulk (`comments_bulk_create`), and the votes go in with their dates
(`votes_bulk_create`, which keeps the tallies). Everything is dated after what it answers.

The text comes from `discussion` (data/discussion.json), combined by random generators seeded
from it, so every run writes the same discussion.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from paddock.comments import markup
from paddock.comments.models import Comment, Vote
from paddock.comments.services import (
    comment_create,
    comments_bulk_create,
    comments_bulk_update,
    comments_open,
    report_create,
    reports_date,
    votes_bulk_create,
)
from paddock.newsroom.models import ArticlePage

from . import content, discussion

if TYPE_CHECKING:
    from .loader import DemoReport, Log

# How many readers vote on a comment: most get a handful, a few draw a crowd.
_VOTES_ORDINARY = (0, 0, 0, 1, 1, 1, 2, 2, 3, 5)
_VOTES_BIG_TOP = (0, 1, 2, 3, 4, 5, 7, 9, 12, 16, 22, 30)
_VOTES_BIG_REPLY = (0, 0, 1, 1, 2, 3, 4, 6, 9)
# The share of up votes a comment gets: readers like most comments, and argue over some.
_UP_SHARES = (0.95, 0.85, 0.75, 0.6, 0.4)
_SIDES = ("for", "against")
_OTHER_SIDE = {"for": "against", "against": "for"}


@dataclass(eq=False)
class _Plan:
    """A comment to write: by whom, what, under which comment and when."""

    body: str
    author: AbstractBaseUser
    at: datetime
    parent: _Plan | None = None
    # False: nobody votes on it (the reference page's comments); "down": readers vote it down.
    votes: bool | str = True
    # The long discussion's comments take a side on a topic, and replies take them up.
    topic: str = ""
    side: str = ""
    heated: bool = False
    comment: Comment | None = None
    depth: int = field(init=False)
    root: _Plan = field(init=False)

    def __post_init__(self) -> None:
        self.depth = 0 if self.parent is None else self.parent.depth + 1
        self.root = self if self.parent is None else self.parent.root


def discuss(
    articles: dict[str, ArticlePage],
    readers: list[AbstractBaseUser],
    *,
    report: DemoReport,
    log: Log,
) -> None:
    """The readers' comments on most live articles, their votes and a few reports.

    Ordinary discussions go through the comment services, as a reader's would; the one long
    discussion is written in bulk (a few queries instead of thousands) with every field the
    services would fill. Comments and reports are then dated after what they answer, and the
    votes are written with their dates, all at once.
    """
    now = timezone.now()
    # Fresh from the database: publishing went through revisions, not these instances.
    live = ArticlePage.objects.published().filter(pk__in=[a.pk for a in articles.values()])
    articles = {article.slug: article for article in live}
    rng = _rng("discussion")
    # Some readers comment far more than others.
    weights = [rng.choice((1, 1, 1, 2, 2, 3, 5)) for _ in readers]
    usage: Counter[str] = Counter()
    plans_by_slug: dict[str, list[_Plan]] = {}

    for spec in content.ARTICLES:
        slug = spec["slug"]
        article = articles.get(slug)
        if article is None or slug in discussion.QUIET or slug == discussion.BIG_SLUG:
            continue
        if not comments_open(article):
            log(f"  comments: closed on {slug}")
            continue
        article_rng = _rng(slug)
        if slug == content.REFERENCE_SLUG:
            plans = _plan_reference(article, readers)
        else:
            plans = _plan_ordinary(
                spec, article, readers=readers, weights=weights, rng=article_rng, usage=usage
            )
        _settle_times(plans, article, now)
        for plan in plans:
            plan.comment = comment_create(
                user=plan.author,
                article_id=article.pk,
                body=plan.body,
                parent_id=plan.parent.comment.pk if plan.parent else None,
                # The demo's discussions are weeks and months old: nobody is emailed, and
                # moderators saw them long ago.
                notify=False,
                screen=False,
            )
        plans_by_slug[slug] = plans
        log(f"  comments: {len(plans):3} on {slug}")

    ordinary = [plan for plans in plans_by_slug.values() for plan in plans]
    for plan in ordinary:
        plan.comment.created_at = plan.at
    comments_bulk_update(comments=[plan.comment for plan in ordinary], fields=["created_at"])
    votes = [vote for plan in ordinary for vote in _ordinary_votes(plan, readers, rng)]

    big = articles[discussion.BIG_SLUG]
    big_rng = _rng(discussion.BIG_SLUG)
    big_plans = _plan_big(big, readers=readers, weights=weights, rng=big_rng)
    _settle_times(big_plans, big, now)
    _write_in_bulk(big, big_plans)
    votes += _big_votes(big_plans, readers, big_rng)
    log(f"  comments: {len(big_plans):3} on {discussion.BIG_SLUG}")

    _date_votes(votes, rng, now)
    votes_bulk_create(votes=votes)
    report.reports = _reports(plans_by_slug, readers, rng, now)
    report.comments = len(ordinary) + len(big_plans)
    report.votes = len(votes)
    report.busiest_slug = discussion.BIG_SLUG
    report.busiest_count = Comment.objects.visible().filter(article=big).count()


def _rng(name: str) -> random.Random:
    """A generator of its own for each part of the discussion, so that adding comments to
    one article does not reshuffle every other."""
    return random.Random(f"{discussion.SEED}:{name}")  # noqa: S311 - demo data, not security


def _settle_times(plans: list[_Plan], article: ArticlePage, now: datetime) -> None:
    """Keep every comment after its article's publication and never in the future.

    Plans are in posting order with rising times, and clamping keeps that order, so a reply
    still comes after the comment it answers.
    """
    for plan in plans:
        plan.at = max(article.published_at, min(plan.at, now))


def _pick_author(
    rng: random.Random,
    readers: list[AbstractBaseUser],
    weights: list[int],
    parent: _Plan | None,
    earlier: list[_Plan],
) -> AbstractBaseUser:
    """A reader to write the next comment: not the parent's author, often a new voice, and
    sometimes the grandparent's author answering back."""
    grandparent = parent.parent if parent is not None else None
    if (
        grandparent is not None
        and grandparent.author.pk != parent.author.pk
        and rng.random() < 0.35
    ):
        return grandparent.author
    answered = {parent.author.pk} if parent is not None else set()
    excluded = answered | {plan.author.pk for plan in earlier} if rng.random() < 0.8 else answered
    choices = [(r, w) for r, w in zip(readers, weights, strict=True) if r.pk not in excluded]
    if not choices:
        choices = [(r, w) for r, w in zip(readers, weights, strict=True) if r.pk not in answered]
    people, odds = zip(*choices, strict=True)
    return rng.choices(people, weights=odds)[0]


def _plan_reference(article: ArticlePage, readers: list[AbstractBaseUser]) -> list[_Plan]:
    """The reference page's four comments, posted in the first hours after the article."""
    plans: list[_Plan] = []
    at = article.published_at
    for (depth, reader, body), minutes in zip(
        discussion.REFERENCE_THREAD, (95, 160, 47, 212), strict=True
    ):
        at += timedelta(minutes=minutes)
        parent = _last_at_depth(plans, depth - 1)
        plans.append(_Plan(body, readers[reader - 1], at, parent, votes=False))
    return plans


def _last_at_depth(plans: list[_Plan], depth: int) -> _Plan | None:
    """The comment a scripted entry at `depth + 1` answers: the latest one at `depth`."""
    if depth < 0:
        return None
    return next(plan for plan in reversed(plans) if plan.depth == depth)


def _plan_ordinary(
    spec: dict,
    article: ArticlePage,
    *,
    readers: list[AbstractBaseUser],
    weights: list[int],
    rng: random.Random,
    usage: Counter[str],
) -> list[_Plan]:
    """Between 2 and 12 comments: the article's own discussion, then threads from the pools of
    its themes (with the replies written for them), and short replies here and there."""
    slug = spec["slug"]
    thread = discussion.THREADS.get(slug, [])
    reported = [index for s, index, *_ in discussion.REPORTS if s == slug]
    total = rng.randint(max(2, *(i + 1 for i in reported), 0), 12)
    themes = dict.fromkeys(
        [discussion.SECTION_THEMES[spec["section"]]]
        + [discussion.TAG_THEMES[t] for t in spec["tags"] if t in discussion.TAG_THEMES]
    )
    starters = {text: replies for t in themes for text, replies in discussion.THEME_THREADS[t]}
    starters |= {text: [] for text in discussion.GENERIC_COMMENTS}
    spam = {i for s, i, reason, _ in discussion.REPORTS if s == slug and reason == "spam"}

    plans: list[_Plan] = []
    used: set[str] = set()
    # Replies written for a pool comment already posted, waiting for their turn.
    waiting: list[tuple[_Plan, str]] = []
    at = article.published_at + timedelta(minutes=rng.randint(20, 240))
    for index in range(total):
        replies: list[str] = []
        if index < len(thread):
            depth, body = thread[index]
            parent = _last_at_depth(plans, depth - 1)
        elif waiting and rng.random() < 0.6:
            parent, body = waiting.pop(0)
        elif plans and rng.random() < 0.3:
            # Later comments draw more replies; threads stop a few levels down.
            open_ = [p for p in plans if p.depth < 4]
            parent = rng.choices(open_, weights=range(1, len(open_) + 1))[0]
            body, _ = _pick_text(discussion.GENERIC_REPLIES, rng, usage, used)
        else:
            parent = None
            body, reused = _pick_text(list(starters), rng, usage, used)
            replies = starters[body]
            if reused and rng.random() < 0.6:
                body = f"{body} {rng.choice(discussion.TAILS)}"
        author = _pick_author(rng, readers, weights, parent, plans)
        votes = "down" if index in spam else True
        plan = _Plan(body, author, at, parent, votes=votes)
        plans.append(plan)
        waiting += [(plan, reply) for reply in replies if rng.random() < 0.7]
        at += timedelta(minutes=4 + rng.expovariate(1 / 300))
    return plans


def _pick_text(
    pool: list[str], rng: random.Random, usage: Counter[str], used: set[str]
) -> tuple[str, bool]:
    """One of the least used texts of the pool not yet on this article, and whether another
    article already has it."""
    fresh = [text for text in pool if text not in used] or pool
    fewest = min(usage[text] for text in fresh)
    text = rng.choice([t for t in fresh if usage[t] == fewest])
    usage[text] += 1
    used.add(text)
    return text, fewest > 0


def _ordinary_votes(plan: _Plan, readers: list[AbstractBaseUser], rng: random.Random) -> list[Vote]:
    if not plan.votes:
        return []
    others = [r for r in readers if r.pk != plan.author.pk]
    up_share = 0.1 if plan.votes == "down" else rng.choice(_UP_SHARES)
    return [
        Vote(comment=plan.comment, user=voter, value=1 if rng.random() < up_share else -1)
        for voter in rng.sample(others, rng.choice(_VOTES_ORDINARY))
    ]


# The long discussion ----------------------------------------------------------------------


def _plan_big(
    article: ArticlePage,
    *,
    readers: list[AbstractBaseUser],
    weights: list[int],
    rng: random.Random,
) -> list[_Plan]:
    """A long argument: many threads, many replies and a few back-and-forths between two
    readers that run six to eight replies deep, all in the days after publication."""
    topics = list(discussion.BIG_TOPICS)
    bodies: set[str] = set()
    start = article.published_at
    tops: list[_Plan] = []
    count = discussion.BIG_COUNT
    for _ in range(count // 4):
        topic, side = rng.choice(topics), rng.choice(_SIDES)
        at = start + timedelta(minutes=10 + rng.expovariate(1 / (36 * 60)))
        author = _pick_author(rng, readers, weights, None, [])
        body = _unique(bodies, lambda t=topic, s=side: _big_top(rng, t, s))
        tops.append(_Plan(body, author, at, topic=topic, side=side))
    tops.sort(key=lambda plan: plan.at)
    plans = list(tops)

    # Two readers who will not let it go.
    for root in rng.sample(tops, 10):
        rival = _pick_author(rng, readers, weights, root, [])
        parent = root
        length = rng.randint(6, 8)
        for step in range(length):
            author = rival if step % 2 == 0 else root.author
            if step == length - 1 and rng.random() < 0.4:
                tone = "settle"
            else:
                tone = "heated" if step >= 2 and rng.random() < 0.6 else "disagree"
            parent = _big_reply(rng, parent, author, tone, bodies)
            plans.append(parent)

    depth_weights = {0: 4.0, 1: 2.0, 2: 1.2, 3: 0.8, 4: 0.5, 5: 0.3}
    while len(plans) < count:
        open_ = [p for p in plans if p.depth in depth_weights and p.topic]
        parent = rng.choices(open_, weights=[depth_weights[p.depth] for p in open_])[0]
        author = _pick_author(rng, readers, weights, parent, [])
        roll = rng.random()
        tone = "agree" if roll < 0.4 else "heated" if roll < 0.55 else "disagree"
        plans.append(_big_reply(rng, parent, author, tone, bodies))
    plans.sort(key=lambda plan: plan.at)
    return plans


def _unique(bodies: set[str], make: Callable[[], str]) -> str:
    body = make()
    for _ in range(20):
        if body not in bodies:
            break
        body = make()
    bodies.add(body)
    return body


def _big_top(rng: random.Random, topic: str, side: str) -> str:
    sentences = discussion.BIG_TOPICS[topic][side]
    first = rng.sample(sentences, min(len(sentences), rng.choice((1, 2, 2, 3))))
    if rng.random() < 0.3:
        first.insert(0, rng.choice(discussion.BIG_OPENERS))
    paragraphs = [" ".join(first)]
    if rng.random() < 0.3:
        other = rng.choice([t for t in discussion.BIG_TOPICS if t != topic])
        paragraphs.append(rng.choice(discussion.BIG_TOPICS[other][side]))
    if rng.random() < 0.2:
        paragraphs[-1] += " " + rng.choice(discussion.BIG_CLOSERS)
    return "\n\n".join(paragraphs)


def _big_reply(
    rng: random.Random, parent: _Plan, author: AbstractBaseUser, tone: str, bodies: set[str]
) -> _Plan:
    """A reply that agrees with its parent, argues with it (politely or not) or, at the end
    of a long argument, lets it go."""
    side = parent.side if tone == "agree" else _OTHER_SIDE[parent.side]
    topic = parent.topic if rng.random() < 0.75 else rng.choice(list(discussion.BIG_TOPICS))

    def make() -> str:
        if tone == "settle":
            return rng.choice(discussion.BIG_SETTLE)
        opener = rng.choice(
            {
                "agree": discussion.BIG_AGREE,
                "disagree": discussion.BIG_DISAGREE,
                "heated": discussion.BIG_HEATED,
            }[tone]
        )
        candidates = [s for s in discussion.BIG_TOPICS[topic][side] if s not in parent.body]
        said = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2))))
        body = " ".join([opener, *said])
        if tone != "agree" and rng.random() < 0.2:
            body = f"> {_first_sentence(parent.body)}\n\n{body}"
        if rng.random() < 0.1:
            body += " " + rng.choice(discussion.BIG_CLOSERS)
        return body

    body = make() if tone == "settle" else _unique(bodies, make)
    at = parent.at + timedelta(minutes=3 + rng.expovariate(1 / 180))
    return _Plan(body, author, at, parent, topic=topic, side=side, heated=tone == "heated")


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)", re.DOTALL)


def _first_sentence(body: str) -> str:
    """The first sentence of a comment's own words (quoted lines skipped), for quoting it."""
    paragraphs = [p for p in body.split("\n\n") if not p.startswith(">")]
    text = paragraphs[0] if paragraphs else body
    match = _SENTENCE.match(text)
    return (match.group(1) if match else text).strip()


def _write_in_bulk(article: ArticlePage, plans: list[_Plan]) -> None:
    """Write the long discussion with the comments' bulk insert, filling every field
    `comment_create` would."""
    for plan in plans:  # in time order, so ids rise with the dates within each level
        text = markup.clean_text(plan.body)
        html = markup.render(text)
        plan.comment = Comment(
            article=article,
            parent=plan.parent.comment if plan.parent else None,
            depth=plan.depth,
            author=plan.author,
            body=text,
            body_html=html,
            body_text=markup.plain(html),
            created_at=plan.at,
        )
    comments_bulk_create(comments=[plan.comment for plan in plans])


def _big_votes(plans: list[_Plan], readers: list[AbstractBaseUser], rng: random.Random):
    """Many readers vote on the long discussion, heated comments splitting them."""
    votes = []
    for plan in plans:
        others = [r for r in readers if r.pk != plan.author.pk]
        choices = _VOTES_BIG_TOP if plan.parent is None else _VOTES_BIG_REPLY
        up_share = rng.choice((0.3, 0.45, 0.55)) if plan.heated else rng.choice(_UP_SHARES)
        for voter in rng.sample(others, rng.choice(choices)):
            value = 1 if rng.random() < up_share else -1
            votes.append(Vote(comment=plan.comment, user=voter, value=value))
    return votes


def _date_votes(votes: list[Vote], rng: random.Random, now: datetime) -> None:
    """Votes arrive in the days after the comment they are on, never in the future."""
    for vote in votes:
        posted = vote.comment.created_at
        after = timedelta(minutes=rng.uniform(2, 3 * 24 * 60))
        vote.created_at = max(posted, min(posted + after, now))


def _reports(
    plans_by_slug: dict[str, list[_Plan]],
    readers: list[AbstractBaseUser],
    rng: random.Random,
    now: datetime,
) -> int:
    """A few reports waiting in the moderation queue, filed by readers, one per reason."""
    dates = {}
    for slug, index, reason, details in discussion.REPORTS:
        plans = plans_by_slug.get(slug)
        if not plans or index >= len(plans):
            continue
        plan = plans[index]
        reporter = rng.choice([r for r in readers if r.pk != plan.author.pk])
        filed = report_create(
            user=reporter, comment_id=plan.comment.pk, reason=reason, details=details
        )
        at = min(plan.at + timedelta(minutes=rng.uniform(30, 600)), now)
        dates[filed.pk] = max(plan.at, at)
    reports_date(dates=dates)
    return len(dates)
