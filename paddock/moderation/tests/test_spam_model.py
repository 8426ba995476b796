"""The shipped spam model: reproducible training, the humble rule, established readers and
new accounts, and `evaluate_spam`, which judges as posting would and changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.comments.services import comments_bulk_create
from paddock.moderation import classifier
from paddock.moderation.scoring import ReaderHistory, classifier_weight
from paddock.moderation.spam_model import SpamModel

from .test_classifier import HAM_WORDS, SPAM_WORDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spam_model")]
Status = Comment.Status


def labelled_csv(path, n_ham=20, n_spam=20, seed=3):
    """A small corpus in the YouTube Spam Collection's format."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"])
        for i in range(n_ham):
            writer.writerow([f"h{i}", "a", "", " ".join(rng.choices(HAM_WORDS, k=10)), 0])
        for i in range(n_spam):
            writer.writerow([f"s{i}", "b", "", " ".join(rng.choices(SPAM_WORDS, k=10)), 1])
    return path


@pytest.fixture
def small_model(tmp_path):
    """A model trained by the command on 20 comments of each kind."""
    output = tmp_path / "model.json"
    call_command(
        "train_spam_model",
        str(labelled_csv(tmp_path / "c.csv")),
        "--output",
        str(output),
        verbosity=0,
    )
    return SpamModel.load(output)


def established(reader, article):
    """Make `reader` a reader of a month's standing with three published comments."""
    reader.date_joined = timezone.now() - dt.timedelta(days=30)
    reader.save(update_fields=["date_joined"])
    comments_bulk_create(
        comments=[
            Comment(
                article=article,
                author=reader,
                body=f"An earlier comment, number {i}.",
                body_html=f"<p>An earlier comment, number {i}.</p>",
                body_text=f"An earlier comment, number {i}.",
                status=Status.PUBLISHED,
                created_at=timezone.now() - dt.timedelta(days=20 - i),
            )
            for i in range(3)
        ]
    )
    return reader


def test_training_is_reproducible_and_stored_as_plain_json(tmp_path):
    corpus = labelled_csv(tmp_path / "c.csv")
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    for output in (first, second):
        call_command("train_spam_model", str(corpus), "--output", str(output), verbosity=0)
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text())
    assert data["format"] == "paddock-spam-model/1"
    assert data["ham_examples"] == 20 and data["spam_examples"] == 20
    assert len(data["indices"]) == len(data["weights"]) > 0
    assert set(data["thresholds"]) == {"hold_established", "hold_new"}


def test_the_shipped_model_was_trained_on_the_public_corpus_with_its_thresholds():
    model = classifier.base_model()
    assert model.examples >= 500
    assert 0.75 <= model.thresholds["hold_new"] <= model.thresholds["hold_established"] < 1
    assert model.probability("Check out my channel and subscribe http://promo.example") > 0.95
    assert model.probability("The zone boundaries changed in October, worth a correction") < 0.5


def test_a_classifier_trained_on_few_examples_never_holds_a_comment_alone(
    small_model, post, reader, policy, settings
):
    policy.premoderate_first = 0
    policy.save()
    spammy = "casino bonus crypto winnings click free pills loan instant offer"
    assert small_model.probability(spammy) > 0.9
    with classifier.model_override(small_model):
        comment = post(reader, spammy)
        assert comment.status == Status.PUBLISHED  # 20 examples of each kind: too few
        assert any(flag.startswith("learned classifier") for flag in comment.flags)
        # The same model, trusted, holds it: the limit above is the rule, not the text.
        settings.PADDOCK_CLASSIFIER_CONFIDENT_EXAMPLES = 20
        assert post(ReaderFactory(), spammy + " now").status != Status.PUBLISHED


def test_an_unsure_classifier_adds_nothing(policy):
    model = classifier.base_model()
    for established_reader in (True, False):
        assert classifier_weight(0.5, model, policy, established=established_reader) == 0
        assert classifier_weight(0.3, model, policy, established=established_reader) == 0


def test_an_established_reader_needs_stronger_evidence_than_a_new_account(
    post, reader, article, policy
):
    policy.premoderate_first = 0
    policy.save()
    shipped = classifier.base_model()
    assert shipped.thresholds["hold_established"] > shipped.thresholds["hold_new"]
    model = replace(shipped, thresholds={"hold_established": 0.999, "hold_new": 0.75})
    spam = "FREE GIFT CARDS here >> http://b.example/win"
    assert 0.75 < model.probability(spam) < 0.999
    with classifier.model_override(model):
        assert post(ReaderFactory(), spam).status == Status.PENDING  # an account of a minute
        regular = established(reader, article)
        assert ReaderHistory.of(regular).established
        assert post(regular, spam).status == Status.PUBLISHED
    # However sure, the classifier alone holds; it never files a comment as spam.
    for established_reader in (True, False):
        weight = classifier_weight(0.99999, shipped, policy, established=established_reader)
        assert policy.hold_score <= weight < policy.reject_score


def test_a_removed_comment_or_a_young_account_is_not_established(reader, article):
    assert not ReaderHistory.of(reader).established  # joined today
    regular = established(reader, article)
    assert ReaderHistory.of(regular).established
    Comment.objects.filter(author=regular).update(status=Status.REJECTED)
    assert not ReaderHistory.of(regular).established


def test_evaluate_spam_judges_a_labelled_file_and_writes_nothing(tmp_path, policy):
    policy.premoderate_first = 1
    policy.save()
    corpus = tmp_path / "labelled.csv"
    with open(corpus, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"])
        writer.writerow(["1", "x", "", "Check out my channel and subscribe http://a.example", 1])
        writer.writerow(["2", "x", "", "FREE GIFT CARDS here &gt;&gt; http://b.example/win", 1])
        writer.writerow(
            ["3", "x", "", "The zone boundaries changed in October, worth a correction", 0]
        )
        writer.writerow(["4", "x", "", "Torque figures on the hybrid look right to me.", 0])
        writer.writerow(["5", "x", "", "I love this song so much, brings back memories", 0])
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("evaluate_spam", "--json", str(corpus), stdout=out)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    lines = out.getvalue().strip().splitlines()
    assert "established reader" in lines[0]
    assert json.loads(lines[-1]) == {"spam": 2, "ham": 3, "spam_caught": 2, "ham_held": 0}

    # As a new account under the shipped policy, a moderator reads the first comment.
    out = io.StringIO()
    call_command("evaluate_spam", "--json", "--new-account", str(corpus), stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1])["ham_held"] == 3
    assert not Comment.objects.exists()


def test_evaluate_spam_explains_a_file_it_cannot_read(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.csv"
    bad.write_text("TEXT,LABEL\nhello,0\n", encoding="utf-8")
    with pytest.raises(CommandError, match="CONTENT and CLASS"):
        call_command("evaluate_spam", str(bad))
