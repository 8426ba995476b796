"""How a new comment is judged: a chain of scorers, each giving signals with a weight and a
reason, combined into one spam score between 0 and 1, plus the rules that hold or reject a
comment whatever its score (pre-moderation, too many links, banned terms).

Signals combine as independent evidence (1 - Π(1 - wᵢ)): one strong signal is enough, several
weak ones add up, and the score never passes 1. The decision compares the score with the
policy's thresholds: publish, hold for review, or reject as spam.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from paddock.comments.models import Comment
from paddock.core.text import normalise_for_matching

from . import classifier
from .models import BannedTerm, ModerationPolicy

logger = logging.getLogger(__name__)

LINK_RE = re.compile(r"<a\s", re.IGNORECASE)
URL_RE = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    weight: float
    reason: str


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
        user = candidate.user
        joined = getattr(user, "date_joined", None)
        if joined and timezone.now() - joined < dt.timedelta(days=1):
            found.append(Signal(0.1, "account less than a day old"))
        recent = Comment.objects.filter(
            author_id=user.pk, created_at__gte=timezone.now() - dt.timedelta(minutes=10)
        )
        count = recent.count()
        if count >= policy.velocity_limit:
            found.append(Signal(0.45, f"{count} comments in ten minutes"))
        normalised = normalise_for_matching(candidate.text)
        if normalised and len(normalised) >= 20:
            since = timezone.now() - dt.timedelta(days=7)
            earlier = Comment.objects.filter(author_id=user.pk, created_at__gte=since)
            if any(
                normalise_for_matching(text) == normalised
                for text in earlier.values_list("body_text", flat=True)[:200]
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
    """The probability of spam from the classifier learned on this site's own decisions."""

    name = "classifier"

    def signals(self, candidate: Candidate, policy: ModerationPolicy) -> list[Signal]:

        probability = classifier.spam_probability(candidate.text)
        if probability is None or probability < 0.5:
            return []
        # Scaled so that the classifier alone can hold a comment but rarely reject one.
        weight = (probability - 0.5) * 2 * settings.PADDOCK_CLASSIFIER_WEIGHT
        return [Signal(weight, f"learned classifier: {math.floor(probability * 100)}% spam")]


SCORERS: list[Scorer] = [Heuristics(), AkismetScorer(), ClassifierScorer()]


def banned_terms(text: str) -> list[BannedTerm]:
    normalised = normalise_for_matching(text)
    if not normalised:
        return []
    return [term for term in BannedTerm.objects.all() if term.normalised in normalised]


def judge(candidate: Candidate, policy: ModerationPolicy) -> Verdict:
    """Score a comment and decide what happens to it."""
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
    if policy.premoderate_first:
        # A reader stays new until a moderator has let enough of their comments through.
        published = Comment.objects.filter(
            author_id=candidate.user.pk, status=Status.PUBLISHED
        ).count()
        if published < policy.premoderate_first:
            flags.append("new reader")
            hold_reasons.append("a moderator reads a new reader's first comments")
    if score >= policy.hold_score:
        hold_reasons.append("it looks like it may be spam")
    if hold_reasons:
        reason = "Held for review: " + "; ".join(hold_reasons) + "."
        return Verdict(Status.PENDING, score, flags, reason)
    return Verdict(Status.PUBLISHED, score, flags)
