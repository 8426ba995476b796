"""A spam classifier learned from this site's own moderation decisions.

Multinomial naive Bayes over hashed word and word-pair counts: hashing needs no vocabulary, so
the whole model is two arrays, stored in the database as NumPy's plain format (never a pickle)
and loaded by each app process when a newer model appears. Training examples are comments a
moderator approved (not spam) or rejected or marked as spam, plus published comments nobody
reported that are old enough to have been seen.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import threading

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from paddock.comments.models import Comment

from .models import Classifier

logger = logging.getLogger(__name__)
N_FEATURES = 2**16
VERSION_KEY = "moderation:classifier-version"

_lock = threading.Lock()
_loaded: dict = {"pk": None, "prior": None, "log_prob": None}


@functools.lru_cache(maxsize=1)
def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        ngram_range=(1, 2),
        lowercase=True,
        token_pattern=r"(?u)\b\w+\b|https?://|www\.",  # noqa: S106 - a regex, not a secret
    )


def _to_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _from_bytes(data) -> np.ndarray:
    return np.load(io.BytesIO(bytes(data)), allow_pickle=False)


def training_set(limit_per_class: int = 5000) -> tuple[list[str], list[int]]:

    Status = Comment.Status
    spam = list(
        Comment.objects.filter(
            status__in=[Status.SPAM, Status.REJECTED], moderated_by__isnull=False
        )
        .order_by("-moderated_at")
        .values_list("body_text", flat=True)[:limit_per_class]
    )
    settled = timezone.now() - dt.timedelta(days=2)
    ham = list(
        Comment.objects.filter(status=Status.PUBLISHED, is_deleted=False, shadowed=False)
        .filter(Q(moderated_by__isnull=False) | Q(created_at__lt=settled, open_reports=0))
        .order_by("-created_at")
        .values_list("body_text", flat=True)[:limit_per_class]
    )
    return ham + spam, [0] * len(ham) + [1] * len(spam)


def train() -> Classifier | None:
    """Learn a new model from the decisions so far; None when there are too few of them."""
    from sklearn.model_selection import cross_val_score
    from sklearn.naive_bayes import MultinomialNB

    texts, labels = training_set()
    spam_count = sum(labels)
    ham_count = len(labels) - spam_count
    minimum = settings.PADDOCK_CLASSIFIER_MIN_EXAMPLES
    if spam_count < minimum or ham_count < minimum:
        logger.info(
            "Not training: %s not-spam and %s spam examples, %s of each needed",
            ham_count,
            spam_count,
            minimum,
        )
        return None
    features = _vectorizer().transform(texts)
    target = np.array(labels)
    folds = min(5, spam_count, ham_count)
    accuracy = float(cross_val_score(MultinomialNB(alpha=0.1), features, target, cv=folds).mean())
    model = MultinomialNB(alpha=0.1).fit(features, target)
    saved = Classifier.objects.create(
        ham_count=ham_count,
        spam_count=spam_count,
        n_features=N_FEATURES,
        class_log_prior=_to_bytes(model.class_log_prior_),
        feature_log_prob=_to_bytes(model.feature_log_prob_),
        accuracy=accuracy,
    )
    # Keep the last few models for the record; older ones only take space.
    old = Classifier.objects.order_by("-trained_at", "-pk").values_list("pk", flat=True)[5:]
    Classifier.objects.filter(pk__in=list(old)).delete()
    cache.set(VERSION_KEY, saved.pk, timeout=None)
    return saved


def _current() -> tuple[np.ndarray, np.ndarray] | None:
    version = cache.get(VERSION_KEY)
    if version is None:
        latest = Classifier.objects.order_by("-trained_at", "-pk").only("pk").first()
        version = latest.pk if latest else 0
        cache.set(VERSION_KEY, version, timeout=300)
    if not version:
        return None
    with _lock:
        if _loaded["pk"] != version:
            row = Classifier.objects.filter(pk=version).first()
            if row is None or row.n_features != N_FEATURES:
                return None
            _loaded.update(
                pk=version,
                prior=_from_bytes(row.class_log_prior),
                log_prob=_from_bytes(row.feature_log_prob),
            )
        return _loaded["prior"], _loaded["log_prob"]


def spam_probability(text: str) -> float | None:
    """The probability that the text is spam, or None while no model has been trained."""
    model = _current()
    if model is None or not text.strip():
        return None
    prior, log_prob = model
    counts = _vectorizer().transform([text])
    joint = prior + np.asarray(counts @ log_prob.T).ravel()
    joint -= joint.max()
    probabilities = np.exp(joint) / np.exp(joint).sum()
    return float(probabilities[1])
