"""Training the spam model that ships with Paddock, from labelled public comments
(`manage.py train_spam_model`): the weights, their calibration and the rule's thresholds, each
chosen on comments the model being judged did not see."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import expit

from .models import ModerationPolicy
from .scoring import thresholds_choose
from .spam_model import C, SpamModel, _platt, fit, held_out_scores

FOLDS = 5


def base_train(
    rows: Sequence[tuple[str, int]], *, policy: ModerationPolicy, sources: Sequence[str] = ()
) -> SpamModel:
    """A model learned from (text, label) rows: its calibration and thresholds come from
    FOLDS-fold cross-validation (scores from models that did not see each comment), its weights
    from all the rows."""
    texts = [text for text, _ in rows]
    labels = np.array([label for _, label in rows], dtype=int)
    spam = int(labels.sum())
    if spam < FOLDS or len(labels) - spam < FOLDS:
        raise ValueError(
            f"Too few examples to train on: {len(labels) - spam} not spam and {spam} spam; "
            f"at least {FOLDS} of each are needed."
        )
    scores = held_out_scores(texts, labels, k=FOLDS)
    a, b = _platt(scores, labels)
    held_out = expit(a * scores + b)
    thresholds = thresholds_choose(held_out, texts, labels, policy)
    model = fit(texts, labels)
    model.calibration = (round(a, 6), round(b, 6))
    model.thresholds = thresholds
    model.about = {
        "sources": [str(s) for s in sources],
        "c": C,
        "folds": FOLDS,
        "policy": {
            "hold_score": policy.hold_score,
            "reject_score": policy.reject_score,
            "max_links": policy.max_links,
        },
    }
    return model
