"""The spam classifier: the model shipped with Paddock, adapted to this site's decisions.

The shipped model (`data/spam_model.json`, `manage.py train_spam_model`) learned from public
labelled comments. Every six hours the scheduler adapts it to this site (`train`): a logistic
regression on the site's own examples whose weights are pulled towards the shipped ones, so a
handful of decisions nudges the model and thousands of them make it the site's own. Examples
are comments a moderator filed as spam against comments a moderator approved or that were
published, unreported, long enough to have been seen. Rejected comments are left out: they
were refused for their manners, which is not what this model judges.

The adapted model is stored in the database as plain JSON arrays (never a pickle) and loaded by
each app process when a newer one appears; until there is one, the shipped model judges.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import threading
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from paddock.comments.models import Comment

from .models import Classifier
from .spam_model import N_FEATURES, SpamModel, fit

logger = logging.getLogger(__name__)
VERSION_KEY = "moderation:classifier-version"

_lock = threading.Lock()
_loaded: dict = {"version": None, "model": None}
_override = threading.local()


def base_model() -> SpamModel | None:
    """The model shipped with Paddock (PADDOCK_SPAM_MODEL), or None when it is turned off or
    its file is missing or unreadable."""
    return _model_file(settings.PADDOCK_SPAM_MODEL)


@functools.lru_cache(maxsize=2)
def _model_file(path: str) -> SpamModel | None:
    if not path:
        return None
    try:
        return SpamModel.load(path)
    except (OSError, ValueError, KeyError):
        logger.exception("The spam model %s cannot be read", path)
        return None


@contextlib.contextmanager
def model_override(model: SpamModel | None) -> Iterator[None]:
    """Judge with this model instead of the site's, in this thread (evaluate_spam --model)."""
    _override.model = model
    try:
        yield
    finally:
        del _override.model


def training_set(limit_per_class: int = 5000) -> tuple[list[str], list[int]]:
    """This site's examples: (texts, labels), 1 for spam."""
    Status = Comment.Status
    spam = list(
        Comment.objects.filter(status=Status.SPAM, moderated_by__isnull=False)
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
    """Adapt the shipped model to the decisions so far; None when there are too few of them
    (PADDOCK_CLASSIFIER_MIN_EXAMPLES of each kind) or no shipped model."""
    base = base_model()
    texts, labels = training_set()
    spam_count = sum(labels)
    ham_count = len(labels) - spam_count
    minimum = settings.PADDOCK_CLASSIFIER_MIN_EXAMPLES
    if base is None or spam_count < minimum or ham_count < minimum:
        logger.info(
            "Not adapting the spam model: %s not-spam and %s spam examples, %s of each needed",
            ham_count,
            spam_count,
            minimum,
        )
        return None
    model = fit(texts, labels, prior=base)
    model.about = {**base.about, "adapted_on": {"ham": ham_count, "spam": spam_count}}
    saved = Classifier.objects.create(
        ham_count=ham_count,
        spam_count=spam_count,
        n_features=N_FEATURES,
        arrays=model.to_json(),
    )
    # Keep the last few models for the record; older ones only take space.
    old = Classifier.objects.order_by("-trained_at", "-pk").values_list("pk", flat=True)[5:]
    Classifier.objects.filter(pk__in=list(old)).delete()
    cache.set(VERSION_KEY, _version(saved), timeout=None)
    return saved


def _version(row: Classifier) -> str:
    """A trained model's name in the cache and in this process's copy: its id and when it was
    trained (an id alone can come back, e.g. after a restore)."""
    return f"{row.pk}:{row.trained_at.isoformat()}"


def current() -> SpamModel | None:
    """The model that judges now: an override, else the site's latest adaptation, else the
    shipped model."""
    override = getattr(_override, "model", False)
    if override is not False:
        return override
    version = cache.get(VERSION_KEY)
    if version is None:
        latest = Classifier.objects.order_by("-trained_at", "-pk").only("pk", "trained_at").first()
        version = _version(latest) if latest else ""
        cache.set(VERSION_KEY, version, timeout=300)
    if not version:
        return base_model()
    with _lock:
        if _loaded["version"] != version:
            pk = str(version).split(":", 1)[0]
            row = Classifier.objects.filter(pk=pk).first()
            if row is None or row.n_features != N_FEATURES or _version(row) != version:
                return base_model()
            _loaded.update(version=version, model=SpamModel.from_json(row.arrays))
        return _loaded["model"]


def spam_probability(text: str) -> float | None:
    """The probability that the text is spam, or None when there is no model."""
    model = current()
    if model is None or not text.strip():
        return None
    return model.probability(text)
