"""What the discussion lets the layers above it add, without knowing them.

Comments sit below moderation: posting a comment must be screened, and a report may hide one,
but comments never import moderation. Instead this module holds the two extension points, and
moderation registers on them when its app is ready (paddock/moderation/apps.py):

- **the screen**, asked before a comment or an edit is stored what to do with it (`judge`:
  publish, hold or reject, with a score and flags, or refuse the reader outright), and before a
  vote or a report whether this reader may act at all (`refusal`). Without a registered screen,
  every reader may act and every comment is published. One screen at a time: `screen_register`
  replaces the one before, `screen_reset` goes back to the default.
- **the feature button**: a layer that lets editors feature comments registers the permission
  it takes and the URL its form posts to (`feature_register`); the thread then shows a
  "Feature" button to whoever holds that permission. Without a registration, nobody sees one.
- **signals**, sent inside the writing transaction, so a receiver's writes (a notice, an audit
  entry, a hidden comment) commit or roll back with the comment:
  - `comment_posted(sender=Comment, comment, notify)`: a new comment, or an edit the screen
    held; `notify` is False when readers must not be told of it (a historical load), and
    absent for an edit;
  - `comment_reported(sender=Report, report)`: a reader reported a comment;
  - `comment_published(sender=Comment, comment)`: a comment nobody else could see became
    visible to everyone by a moderator's (or the site's) decision, e.g. a held comment let
    through (a comment published when posted is told by `comment_posted`).

Django's signals are synchronous, so a receiver that raises rolls the write back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.dispatch import Signal

comment_posted = Signal()
comment_reported = Signal()
comment_published = Signal()


@dataclass(frozen=True)
class Submission:
    """What the screen sees of a comment about to be stored."""

    user: object
    text: str  # plain text, as readers see it
    html: str  # sanitised HTML
    article_id: int
    ip_address: str | None = None
    permalink: str = ""
    user_agent: str = ""
    referrer: str = ""


@dataclass(frozen=True)
class Judgement:
    """The screen's answer: the status the comment is stored with, and why."""

    status: str  # a Comment.Status value
    score: float = 0.0
    flags: list[str] = field(default_factory=list)
    reason: str = ""  # told to the author when held or rejected
    shadowed: bool = False  # shown to its author only
    refusal: str = ""  # set when this reader may not post at all: nothing is stored


class Screen(Protocol):
    def refusal(self, user) -> str | None:
        """Why this reader may not post, vote or report now; None when they may."""

    def judge(self, submission: Submission) -> Judgement:
        """What to do with this comment (a Judgement with `refusal` set: refuse the reader)."""


class OpenScreen:
    """Every reader may post; every comment is published."""

    def refusal(self, user) -> str | None:
        return None

    def judge(self, submission: Submission) -> Judgement:
        return Judgement(status="published")


_screen: Screen = OpenScreen()


def screen() -> Screen:
    return _screen


def screen_register(new: Screen) -> None:
    global _screen
    _screen = new


def screen_reset() -> None:
    screen_register(OpenScreen())


@dataclass(frozen=True)
class FeatureButton:
    """Who sees the "Feature" button (`permission`) and where it posts (`url_name`, a URL
    taking the comment's pk)."""

    permission: str
    url_name: str


_feature: FeatureButton | None = None


def feature_button() -> FeatureButton | None:
    return _feature


def feature_register(button: FeatureButton | None) -> None:
    global _feature
    _feature = button
