"""How a new comment is judged: a chain of scorers, each giving signals with a weight and a
reason, combined into one spam score between 0 and 1, plus the rules that hold or reject a
comment whatever its score (pre-moderation, too many links, banned terms).

Signals combine as independent evidence (1 - Π(1 - wᵢ)): one strong signal is enough, several
weak ones add up, and the score never passes 1. The decision compares the score with the
policy's thresholds: publish, hold for review, or reject as spam.

The classifier's probability becomes a signal through thresholds chosen on held-out data by
`manage.py train_spam_model` (`thresholds_choose`, recorded with the model): the weight
reaches the policy's hold score exactly at the model's hold threshold, which is higher for an
established reader than for a new one, and rises towards the spam score above it (to file a
comment as spam, other evidence must add to it). A model that learned from few examples, or
that is unsure, never holds a comment on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.core.text import normalise_for_matching

from . import classifier
from .models import BannedTerm, ModerationPolicy
from .spam_model import SpamModel, logit

logger = logging.getLogger(__name__)

# A mention of a reader of the discussion (comments.markup) is no link out of the site.
LINK_RE = re.compile(r'<a\s(?![^>]*\bclass="mention")', re.IGNORECASE)
URL_RE = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    weight: float
    reason: str


# An established reader: an account this old, with this many published comments and none
# rejected or filed as spam. The classifier needs stronger evidence to hold their comments.
ESTABLISHED_AFTER_DAYS = 14
ESTABLISHED_AFTER_COMMENTS = 3


@dataclass(frozen=True)
class ReaderHistory:
    """What the scorers know of a comment's author."""

    joined: dt.datetime | None = None
    published: int = 0
    removed: int = 0  # comments rejected or filed as spam
    last_ten_minutes: int = 0
    last_week: tuple[str, ...] = ()  # texts posted in the last seven days, newest first

    @property
    def established(self) -> bool:
        return (
            self.joined is not None
            and timezone.now() - self.joined >= dt.timedelta(days=ESTABLISHED_AFTER_DAYS)
            and self.published >= ESTABLISHED_AFTER_COMMENTS
            and self.removed == 0
        )

    @classmethod
    def of(cls, user) -> ReaderHistory:
        """The history of a reader, from the database (two queries)."""
        joined = getattr(user, "date_joined", None)
        if getattr(user, "pk", None) is None:
            return cls(joined=joined)
        Status = Comment.Status
        now = timezone.now()
        own = Comment.objects.filter(author_id=user.pk)
        counts = own.aggregate(
            published=Count("pk", filter=Q(status=Status.PUBLISHED)),
            removed=Count("pk", filter=Q(status__in=[Status.REJECTED, Status.SPAM])),
            recent=Count("pk", filter=Q(created_at__gte=now - dt.timedelta(minutes=10))),
        )
        week = own.filter(created_at__gte=now - dt.timedelta(days=7)).order_by("-created_at")
        return cls(
            joined=joined,
            published=counts["published"],
            removed=counts["removed"],
            last_ten_minutes=counts["recent"],
            last_week=tuple(week.values_list("body_text", flat=True)[:200]),
        )

    @classmethod
    def established_reader(cls) -> ReaderHistory:
        """A reader of a year's standing with a good record, on a site where they have not
        posted this week (what `evaluate_spam` judges as)."""
        return cls(joined=timezone.now() - dt.timedelta(days=365), published=40)

    @classmethod
    def new_account(cls) -> ReaderHistory:
        """A reader who signed up an hour ago and has not posted yet."""
        return cls(joined=timezone.now() - dt.timedelta(hours=1))


@dataclass
class Candidate:
    """What the scorers see of a comment about to be stored."""

    user: object
    text: str  # plain text, as readers see it
    html: str  # sanitised HTML
    article_id: int
    ip_address: str | None = None
    permalink: str = ""
    user_agent: str = ""
    referrer: str = ""
    # The author's history; read from the database when the comment is judged, unless given.
    history: ReaderHistory | None = None

    @property
    def links(self) -> int:
        return max(len(LINK_RE.findall(self.html)), len(URL_RE.findall(self.text)))


@dataclass
class Verdict:
    status: str  # a Comment.Status value
    score: float
    flags: list[str] = field(default_factory=list)
    reason: str = ""  # told to the author when held or rejected


class Scorer(Protocol):
    name: str

    def signals(self, candidate: Candidate, policy: ModerationPolicy) -> list[Signal]: ...


def combine(signals: list[Signal]) -> float:
    keep = 1.0
    for signal in signals:
        keep *= 1.0 - min(max(signal.weight, 0.0), 1.0)
    return round(1.0 - keep, 4)


class Heuristics:
    """Cheap checks on the text and the reader's recent activity."""

    name = "heuristics"

    def signals(self, candidate: Candidate, policy: ModerationPolicy) -> list[Signal]:

        found = []
        links = candidate.links
        if links:
            found.append(Signal(min(0.15 * links, 0.6), f"{links} link{'s' if links > 1 else ''}"))
        letters = [c for c in candidate.text if c.isalpha()]
        if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
            found.append(Signal(0.2, "mostly capitals"))
        words = re.findall(r"\w+", candidate.text.lower())
        if len(words) >= 12 and len(set(words)) / len(words) < 0.3:
            found.append(Signal(0.35, "the same words over and over"))
        if re.search(r"(.)\1{9,}", candidate.text):
            found.append(Signal(0.2, "a character repeated many times"))
        history = candidate.history or ReaderHistory.of(candidate.user)
        if history.joined and timezone.now() - history.joined < dt.timedelta(days=1):
            found.append(Signal(0.1, "account less than a day old"))
        if history.last_ten_minutes >= policy.velocity_limit:
            found.append(Signal(0.45, f"{history.last_ten_minutes} comments in ten minutes"))
        normalised = normalise_for_matching(candidate.text)
        if len(normalised) >= 20 and any(
            normalise_for_matching(text) == normalised for text in history.last_week
        ):
            found.append(Signal(0.5, "the same text posted before"))
        return found


class AkismetScorer:
    """Akismet's verdict, when an API key is configured."""

    name = "akismet"

    def signals(self, candidate: Candidate, policy: ModerationPolicy) -> list[Signal]:
        from . import akismet  # akismet builds on this module's Candidate

        if not akismet.configured():
            return []
        verdict = akismet.check(candidate)
        if verdict is None:
            return []
        if verdict == "discard":
            return [Signal(0.99, "Akismet: blatant spam")]
        if verdict == "spam":
            return [Signal(0.85, "Akismet: spam")]
        return []


class ClassifierScorer:
    """The probability of spam from the learned classifier: the model shipped with Paddock,
    adapted to this site's own decisions once there are enough of them (classifier.py)."""

    name = "classifier"

    def signals(self, candidate: Candidate, policy: ModerationPolicy) -> list[Signal]:
        model = classifier.current()
        if model is None or not candidate.text.strip():
            return []
        probability = model.probability(candidate.text)
        history = candidate.history or ReaderHistory.of(candidate.user)
        weight = classifier_weight(probability, model, policy, established=history.established)
        if weight < 0.05:
            return []
        return [Signal(weight, f"learned classifier: {math.floor(probability * 100)}% spam")]


# The classifier is unsure below 3:1 odds of spam: no threshold it holds at is lower. Its
# weight is the most it can be at CERTAIN.
SURE = 0.75
CERTAIN = 0.9999


def classifier_weight(
    probability: float, model: SpamModel, policy: ModerationPolicy, *, established: bool
) -> float:
    """The weight of the classifier's signal: none at even odds or below, rising with the
    log-odds to the policy's hold score exactly at the model's hold threshold for this reader,
    then on to halfway between the hold and spam scores at CERTAIN. Humble: a model that
    learned from fewer than PADDOCK_CLASSIFIER_CONFIDENT_EXAMPLES of each kind stays below the
    hold score, and the classifier alone only ever holds, never files as spam: that takes
    other evidence too."""
    return _weight(
        probability,
        hold_at=model.thresholds.get("hold_established" if established else "hold_new", 0.99),
        policy=policy,
        confident=model.examples >= settings.PADDOCK_CLASSIFIER_CONFIDENT_EXAMPLES,
    )


def _weight(
    probability: float, *, hold_at: float, policy: ModerationPolicy, confident: bool
) -> float:
    hold_at = max(hold_at, SURE)
    # Alone, the classifier holds at most: a moderator decides, and their decision teaches it.
    most = (policy.hold_score + policy.reject_score) / 2
    odds, odds_hold = logit(probability), logit(hold_at)
    if odds <= 0:
        weight = 0.0  # even odds or better for the comment: no evidence of spam
    elif odds < odds_hold:
        weight = policy.hold_score * odds / odds_hold
    else:
        rise = min(1.0, (odds - odds_hold) / max(logit(CERTAIN) - odds_hold, 1e-6))
        weight = policy.hold_score + (most - policy.hold_score) * rise
    if not confident:
        weight = min(weight, 0.8 * policy.hold_score)
    return min(weight, most)


# What the classifier may cost readers, on held-out comments: the share of legitimate ones
# held, for established readers and for new accounts.
HELD_ESTABLISHED = 0.01
HELD_NEW = 0.05


def thresholds_choose(
    probabilities: Sequence[float], texts: Sequence[str], labels: Sequence[int], policy
) -> dict[str, float]:
    """The classifier's hold thresholds, chosen on held-out comments (probabilities from a
    model that did not see them): for each kind of reader, the lowest probability at which the
    whole rule (the text's heuristics and the classifier's weight, under `policy`) holds no
    more of the legitimate comments than the targets above. Never below SURE."""
    ham = [i for i, label in enumerate(labels) if label == 0]
    profiles = {
        "established": ReaderHistory.established_reader(),
        "new": ReaderHistory.new_account(),
    }
    heuristics = Heuristics()
    keep: dict[str, list[float]] = {}
    ruled: list[bool] = []
    for i in ham:
        html = markup.render(texts[i])
        candidate = Candidate(user=None, text=texts[i], html=html, article_id=0)
        ruled.append(candidate.links > policy.max_links)
        for name, history in profiles.items():
            found = heuristics.signals(replace(candidate, history=history), policy)
            keep.setdefault(name, []).append(1 - combine(found))

    def held(profile: str, hold_at: float) -> float:
        caught = 0
        for n, i in enumerate(ham):
            weight = _weight(probabilities[i], hold_at=hold_at, policy=policy, confident=True)
            score = 1 - keep[profile][n] * (1 - weight)
            caught += score >= policy.hold_score or ruled[n]
        return caught / max(len(ham), 1)

    def lowest(profile: str, target: float) -> float:
        # The share held falls as the threshold rises: bisect on the log-odds.
        low, high = logit(SURE), logit(CERTAIN)
        if held(profile, SURE) <= target:
            return SURE
        if held(profile, CERTAIN) > target:
            return CERTAIN
        for _ in range(40):
            middle = (low + high) / 2
            at = float(1 / (1 + np.exp(-middle)))
            low, high = (low, middle) if held(profile, at) <= target else (middle, high)
        return round(float(1 / (1 + np.exp(-high))), 6)

    return {
        "hold_established": lowest("established", HELD_ESTABLISHED),
        "hold_new": lowest("new", HELD_NEW),
    }


SCORERS: list[Scorer] = [Heuristics(), AkismetScorer(), ClassifierScorer()]


def banned_terms(text: str) -> list[BannedTerm]:
    normalised = normalise_for_matching(text)
    if not normalised:
        return []
    return [term for term in BannedTerm.objects.all() if term.normalised in normalised]


def judge(candidate: Candidate, policy: ModerationPolicy) -> Verdict:
    """Score a comment and decide what happens to it."""
    if candidate.history is None:
        candidate = replace(candidate, history=ReaderHistory.of(candidate.user))
    signals: list[Signal] = []
    for scorer in SCORERS:
        try:
            signals.extend(scorer.signals(candidate, policy))
        except Exception:
            # A scorer that fails (a network error, a corrupt model) must not stop a comment.
            logger.exception("Scorer %s failed; going on without it", scorer.name)
    score = combine(signals)
    flags = [s.reason for s in signals]
    Status = Comment.Status

    terms = banned_terms(candidate.text)
    rejecting = [t for t in terms if t.action == BannedTerm.Action.REJECT]
    if rejecting:
        flags.append(f"banned term: {rejecting[0].phrase}")
        return Verdict(Status.REJECTED, score, flags, "It contains words this site does not allow.")
    if score >= policy.reject_score:
        return Verdict(Status.SPAM, score, flags, "It looks like spam.")
    hold_reasons = []
    if terms:
        flags.append(f"banned term: {terms[0].phrase}")
        hold_reasons.append("it contains words a moderator needs to check")
    if candidate.links > policy.max_links:
        flags.append(f"more than {policy.max_links} links")
        hold_reasons.append(f"it has more than {policy.max_links} links")
    # A reader stays new until a moderator has let enough of their comments through.
    if policy.premoderate_first and candidate.history.published < policy.premoderate_first:
        flags.append("new reader")
        hold_reasons.append("a moderator reads a new reader's first comments")
    if score >= policy.hold_score:
        hold_reasons.append("it looks like it may be spam")
    if hold_reasons:
        reason = "Held for review: " + "; ".join(hold_reasons) + "."
        return Verdict(Status.PENDING, score, flags, reason)
    return Verdict(Status.PUBLISHED, score, flags)
