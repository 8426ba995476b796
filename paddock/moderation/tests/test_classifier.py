"""The shipped spam model adapted to the site's own decisions."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.moderation import classifier
from paddock.moderation.models import Classifier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spam_model")]

HAM_WORDS = [
    "engine",
    "torque",
    "gearbox",
    "plant",
    "buyers",
    "sedan",
    "mileage",
    "dealer",
    "review",
    "hybrid",
    "brakes",
]
SPAM_WORDS = [
    "casino",
    "bonus",
    "crypto",
    "winnings",
    "click",
    "free",
    "pills",
    "loan",
    "instant",
    "offer",
]


def decided(article, moderator, n_ham=30, n_spam=30, seed=7):
    rng = random.Random(seed)
    author = ReaderFactory()
    rows = []
    for i in range(n_ham):
        text = " ".join(rng.choices(HAM_WORDS, k=12)) + f" {i}"
        rows.append(("published", text))
    for i in range(n_spam):
        text = " ".join(rng.choices(SPAM_WORDS, k=12)) + f" https://win{i}.example"
        rows.append(("spam", text))
    from django.utils import timezone

    Comment.objects.bulk_create(
        Comment(
            article=article,
            author=author,
            body=text,
            body_html=f"<p>{text}</p>",
            body_text=text,
            status=status,
            moderated_by=moderator,
            moderated_at=timezone.now(),
        )
        for status, text in rows
    )


def test_the_shipped_model_judges_until_there_are_enough_decisions(article, moderator, settings):
    settings.PADDOCK_CLASSIFIER_MIN_EXAMPLES = 20
    decided(article, moderator, n_ham=30, n_spam=5)
    assert classifier.train() is None
    assert classifier.current() is classifier.base_model()
    assert classifier.spam_probability("casino bonus") is not None


def test_the_model_adapts_to_the_sites_decisions(
    article, moderator, settings, post, reader, policy
):
    settings.PADDOCK_CLASSIFIER_MIN_EXAMPLES = 20
    base = classifier.base_model()
    decided(article, moderator)
    model = classifier.train()
    assert model.ham_count == 30 and model.spam_count == 30
    adapted = classifier.current()
    assert adapted is not base
    assert adapted.ham_examples == base.ham_examples + 30
    spam, ham = "instant casino winnings bonus offer", "the gearbox and brakes on this sedan"
    assert adapted.probability(spam) > base.probability(spam)
    assert adapted.probability(ham) < base.probability(ham)
    assert adapted.probability(spam) > 0.9
    assert adapted.probability(ham) < 0.3
    policy.premoderate_first = 0
    policy.save()
    comment = post(reader, "instant casino winnings and a free bonus offer, click")
    assert comment.status != Comment.Status.PUBLISHED
    assert any(flag.startswith("learned classifier") for flag in comment.flags)
    assert post(reader, "Torque figures on the hybrid look right.").status == "published"


def test_the_model_is_stored_as_plain_arrays_and_reloaded_when_retrained(
    article, moderator, settings
):
    settings.PADDOCK_CLASSIFIER_MIN_EXAMPLES = 20
    decided(article, moderator)
    first = classifier.train()
    assert first.arrays["format"] == "paddock-spam-model/1"  # JSON numbers, never a pickle
    classifier.spam_probability("casino")
    second = classifier.train()
    assert cache.get(classifier.VERSION_KEY) == f"{second.pk}:{second.trained_at.isoformat()}"
    classifier.spam_probability("casino")
    assert classifier._loaded["version"] == cache.get(classifier.VERSION_KEY)
    for _ in range(6):
        classifier.train()
    assert Classifier.objects.count() == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_retraining_task_runs_on_the_worker(
    article, moderator, settings, drain_background_tasks
):
    from paddock.moderation.tasks import retrain_classifier

    settings.PADDOCK_CLASSIFIER_MIN_EXAMPLES = 20
    decided(article, moderator)
    retrain_classifier.enqueue()
    drain_background_tasks()
    assert Classifier.objects.count() == 1
