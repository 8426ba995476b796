"""Screening new comments: heuristics, banned terms, links, pre-moderation and thresholds."""

from __future__ import annotations

import pytest

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.comments.services import CommentError
from paddock.moderation import scoring
from paddock.moderation.models import BannedTerm, Notice
from paddock.moderation.scoring import Signal, combine

pytestmark = pytest.mark.django_db

Status = Comment.Status


def test_an_ordinary_comment_is_published_with_a_low_score(post, reader):
    comment = post(reader, "The plant in Ohio makes sense given where the buyers are.")
    assert comment.status == Status.PUBLISHED
    assert comment.spam_score < 0.2
    assert not Notice.objects.exists()


def test_signals_combine_as_independent_evidence():
    assert combine([]) == 0
    assert combine([Signal(0.5, "a"), Signal(0.5, "b")]) == 0.75
    assert combine([Signal(1.5, "too much")]) == 1.0
    assert combine([Signal(-1, "negative")]) == 0.0


def test_more_links_than_the_policy_allows_holds_the_comment(post, reader, policy, monkeypatch):
    # The rule alone: the shipped classifier, learned where links mostly meant spam, would
    # hold a new account's two links too.
    monkeypatch.setattr(scoring, "SCORERS", [scoring.Heuristics()])
    policy.max_links = 2
    policy.save()
    two = post(reader, "See https://a.example/1 and https://b.example/2 for the numbers.")
    assert two.status == Status.PUBLISHED
    three = post(reader, "Links: https://a.example/1 https://b.example/2 https://c.example/3")
    assert three.status == Status.PENDING
    assert "more than 2 links" in three.flags
    assert "more than 2 links" in three.status_reason


@pytest.mark.parametrize(
    "text",
    [
        "You are a total dimwit, sir.",
        "You are a total D I M W I T, sir.",
        "You are a total d1mw1t, sir.",
        "You are a total dімwіt, sir.",  # Cyrillic і
        "You are a total Ｄｉｍｗｉｔ, sir.",  # full width
    ],
)
def test_banned_terms_match_whatever_the_spelling(post, reader, text):
    BannedTerm.objects.create(phrase="dimwit", action=BannedTerm.Action.HOLD)
    comment = post(reader, text)
    assert comment.status == Status.PENDING
    assert "banned term: dimwit" in comment.flags


def test_a_rejecting_banned_term_rejects_at_once_and_tells_the_author(post, reader):
    BannedTerm.objects.create(phrase="buy followers", action=BannedTerm.Action.REJECT)
    comment = post(reader, "Cheap! B-u-y  f0llowers here.")
    assert comment.status == Status.REJECTED
    notice = Notice.objects.get(user=reader)
    assert "not published" in notice.message
    assert "words this site does not allow" in notice.message


def test_a_new_readers_first_comments_wait_under_the_default_policy(strict, post, moderator):
    from paddock.moderation.actions import CommentDecideAction

    newcomer = ReaderFactory()
    first = post(newcomer, "Hello from a first-time commenter.")
    assert first.status == Status.PENDING
    assert "new reader" in first.flags
    assert "first comments" in first.status_reason
    CommentDecideAction([first.pk], decision="approve", user=moderator).execute()
    second = post(newcomer, "And a second comment, now that I am known.")
    assert second.status == Status.PUBLISHED


def test_pre_moderation_can_be_turned_off(strict, post, policy):
    policy.premoderate_first = 0
    policy.save()
    assert post(ReaderFactory(), "Straight through.").status == Status.PUBLISHED


def test_flooding_and_repetition_raise_the_score_until_held(post, reader, policy):
    statuses = []
    for _ in range(7):
        comment = post(reader, "BUY NOW BUY NOW BUY NOW BUY NOW cheap cheap cheap cheap cheap!!")
        statuses.append(comment.status)
    assert statuses[0] == Status.PUBLISHED
    assert Status.PENDING in statuses or Status.SPAM in statuses
    held = Comment.objects.exclude(status=Status.PUBLISHED).first()
    assert any("same" in flag or "comments in ten minutes" in flag for flag in held.flags)


def test_thresholds_decide_between_hold_and_spam(post, reader, policy, monkeypatch):
    class Fixed:
        name = "fixed"

        def __init__(self, weight):
            self.weight = weight

        def signals(self, candidate, policy):
            return [Signal(self.weight, "test weight")]

    policy.hold_score, policy.reject_score = 0.4, 0.8
    policy.save()
    for weight, status in ((0.3, Status.PUBLISHED), (0.5, Status.PENDING), (0.85, Status.SPAM)):
        monkeypatch.setattr(scoring, "SCORERS", [Fixed(weight)])
        comment = post(reader, f"Comment weighing {weight}.")
        assert comment.status == status, weight
        assert comment.spam_score == pytest.approx(weight)


def test_a_failing_scorer_does_not_stop_a_comment(post, reader, monkeypatch):
    class Broken:
        name = "broken"

        def signals(self, candidate, policy):
            raise RuntimeError("model file corrupt")

    monkeypatch.setattr(scoring, "SCORERS", [Broken(), scoring.Heuristics()])
    assert post(reader, "Still goes through.").status == Status.PUBLISHED


def test_an_edit_is_screened_like_a_new_comment(post, reader):
    from paddock.comments.services import comment_edit

    BannedTerm.objects.create(phrase="dimwit")
    comment = post(reader, "Harmless at first.")
    edited = comment_edit(user=reader, comment_id=comment.pk, body="Now: you dimwit.")
    assert edited.status == Status.PENDING
    assert Notice.objects.filter(user=reader, comment=comment).exists()


def test_a_hold_keeps_the_text_and_the_reader_is_told_why(post, reader, policy, monkeypatch):
    monkeypatch.setattr(scoring, "SCORERS", [scoring.Heuristics()])  # the links rule alone
    policy.max_links = 0
    policy.save()
    comment = post(reader, "One link: https://example.com/x")
    comment.refresh_from_db()
    assert comment.body == "One link: https://example.com/x"
    notice = Notice.objects.get(user=reader)
    assert notice.comment == comment
    assert "more than 0 links" in notice.message


def test_banned_term_validation(db):
    from django.core.exceptions import ValidationError

    BannedTerm.objects.create(phrase="Dimwit")
    with pytest.raises(ValidationError):
        BannedTerm(phrase="d i m w i t").full_clean()
    with pytest.raises(ValidationError):
        BannedTerm(phrase="... --- ???").full_clean()


def test_suspended_and_banned_readers_cannot_post(post, reader, moderator):
    import datetime as dt

    from django.utils import timezone

    from paddock.moderation.actions import ReaderSanctionAction

    until = timezone.now() + dt.timedelta(days=3)
    ReaderSanctionAction(
        reader.pk, sanction="suspend", until=until, reason="Heat", user=moderator
    ).execute()
    with pytest.raises(CommentError, match="suspended from the discussion until"):
        post(reader, "Let me in.")
    ReaderSanctionAction(
        reader.pk, sanction="ban", reason="Repeated abuse", user=moderator
    ).execute()
    with pytest.raises(CommentError, match="banned"):
        post(reader, "Let me in.")
    assert not Comment.objects.filter(author=reader).exists()
