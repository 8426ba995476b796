"""The spam model: logistic regression over hashed text features, kept as plain arrays.

One model ships with Paddock (`data/spam_model.json`), trained by `manage.py train_spam_model`
on public labelled comments; each site then adapts it to its own moderators' decisions
(classifier.py). Both are the same thing: an intercept, the non-zero weights of 2¹⁶ hashed
features (word, word pair and character 3- and 4-gram counts), a calibration (Platt's: the
probability is σ(a·z + b) of the raw score z) and the thresholds chosen on held-out data, all
plain JSON numbers. Nothing is ever unpickled.

Training is deterministic: the same comments give the same arrays.
"""

from __future__ import annotations

import csv
import functools
import html as htmllib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

N_FEATURES = 2**16
FORMAT = "paddock-spam-model/1"
BASE_MODEL_PATH = Path(__file__).resolve().parent / "data" / "spam_model.json"
# Weights closer to zero than this are dropped from the stored model: it stays small, and
# cross-validation shows no difference.
PRUNE_BELOW = 0.02
# Inverse strength of the L2 penalty (as scikit-learn's C), chosen by cross-validation on
# the public corpus (docs/moderation.md).
C = 10.0

_WORD = re.compile(r"\w+|https?://|www\.")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def analyse(text: str) -> list[str]:
    """The features of a text: words, word pairs and the character 3- and 4-grams of words."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    features = [f"w:{w}" for w in words]
    features += [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in re.findall(r"\w+", lowered):
        padded = f" {word} "
        for n in (3, 4):
            features += [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    return features


@functools.lru_cache(maxsize=1)
def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_FEATURES, analyzer=analyse, alternate_sign=False, norm="l2"
    )


def features(texts: Sequence[str]):
    """The hashed, L2-normalised feature matrix (sparse) of some texts."""
    return _vectorizer().transform(list(texts))


@dataclass
class SpamModel:
    intercept: float
    indices: np.ndarray  # int, the hashed features with a weight
    weights: np.ndarray  # float, their weights
    calibration: tuple[float, float] = (1.0, 0.0)
    # Probabilities at which the classifier holds a comment or files it as spam (scoring.py).
    thresholds: dict[str, float] = field(default_factory=dict)
    ham_examples: int = 0
    spam_examples: int = 0
    about: dict = field(default_factory=dict)  # where it comes from, what it reached

    @property
    def examples(self) -> int:
        """The examples of the rarer kind it learned from."""
        return min(self.ham_examples, self.spam_examples)

    def dense_weights(self) -> np.ndarray:
        dense = np.zeros(N_FEATURES)
        dense[self.indices] = self.weights
        return dense

    def raw_scores(self, matrix) -> np.ndarray:
        return np.asarray(matrix[:, self.indices] @ self.weights).ravel() + self.intercept

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        a, b = self.calibration
        return expit(a * self.raw_scores(features(texts)) + b)

    def probability(self, text: str) -> float:
        return float(self.probabilities([text])[0])

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "n_features": N_FEATURES,
            "intercept": round(float(self.intercept), 6),
            "calibration": [round(float(x), 6) for x in self.calibration],
            "thresholds": {k: round(float(v), 6) for k, v in sorted(self.thresholds.items())},
            "ham_examples": self.ham_examples,
            "spam_examples": self.spam_examples,
            "about": self.about,
            "indices": [int(i) for i in self.indices],
            "weights": [round(float(w), 4) for w in self.weights],
        }

    @classmethod
    def from_json(cls, data: dict) -> SpamModel:
        if data.get("format") != FORMAT or data.get("n_features") != N_FEATURES:
            raise ValueError(
                f"Not a spam model this version of Paddock reads (format {FORMAT}, "
                f"{N_FEATURES} features); train one with `manage.py train_spam_model`."
            )
        indices = np.asarray(data["indices"], dtype=np.int64)
        weights = np.asarray(data["weights"], dtype=float)
        if indices.shape != weights.shape or (indices.size and indices.max() >= N_FEATURES):
            raise ValueError("The spam model's indices and weights do not match.")
        a, b = data["calibration"]
        return cls(
            intercept=float(data["intercept"]),
            indices=indices,
            weights=weights,
            calibration=(float(a), float(b)),
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            ham_examples=int(data["ham_examples"]),
            spam_examples=int(data["spam_examples"]),
            about=data.get("about", {}),
        )

    def dumps(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path | str) -> SpamModel:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


# --- Learning ----------------------------------------------------------------------------


def _fit_arrays(matrix, labels, sample_weight, prior: np.ndarray, prior_intercept: float, c):
    """Weighted logistic regression whose weights are pulled towards `prior` (zero for a model
    learned from scratch, the shipped model's for a site's adaptation). L-BFGS from the prior:
    deterministic."""
    y = np.asarray(labels, dtype=float)
    sw = np.asarray(sample_weight, dtype=float)
    sign = np.where(y == 1, -1.0, 1.0)
    n = matrix.shape[1]

    def loss_and_gradient(theta):
        w, b = theta[:n], theta[n]
        z = np.asarray(matrix @ w).ravel() + b
        loss = float(sw @ np.logaddexp(0.0, sign * z))
        residual = sw * (expit(z) - y)
        gradient = np.empty(n + 1)
        gradient[:n] = np.asarray(matrix.T @ residual).ravel()
        gradient[n] = residual.sum()
        d = w - prior
        loss += float(d @ d) / (2 * c)
        gradient[:n] += d / c
        return loss, gradient

    start = np.concatenate([prior, [prior_intercept]])
    # Separable data (a small corpus often is) would run the weights on for ever; the
    # tolerance stops where further steps change no decision.
    found = minimize(
        loss_and_gradient,
        start,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 300, "ftol": 1e-7, "gtol": 1e-4},
    )
    return found.x[:n], float(found.x[n])


def _platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The calibration σ(a·z + b) that best fits held-out scores to their labels."""
    column = scores.reshape(-1, 1)
    w, b = _fit_arrays(column, labels, np.ones(len(labels)), np.zeros(1), 0.0, c=100.0)
    return float(w[0]), float(b)


def fit(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    sample_weight: Sequence[float] | None = None,
    prior: SpamModel | None = None,
    c: float = C,
) -> SpamModel:
    """A model learned from these texts (label 1: spam); with `prior`, adapted from it."""
    labels = np.asarray(labels, dtype=int)
    weight = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
    start = prior.dense_weights() if prior else np.zeros(N_FEATURES)
    matrix = features(texts).tocsc()
    # A feature no text has keeps its prior weight (nothing pulls it away): only the others
    # are learned, which is the same optimum, found far faster.
    used = np.flatnonzero(np.diff(matrix.indptr))
    learned, b = _fit_arrays(
        matrix[:, used].tocsr(), labels, weight, start[used], prior.intercept if prior else 0.0, c
    )
    w = start.copy()
    w[used] = learned
    w = np.round(w, 4)
    kept = np.flatnonzero(np.abs(w) >= PRUNE_BELOW)
    spam = int(labels.sum())
    return SpamModel(
        intercept=round(b, 6),
        indices=kept,
        weights=w[kept],
        calibration=prior.calibration if prior else (1.0, 0.0),
        thresholds=dict(prior.thresholds) if prior else {},
        ham_examples=len(labels) - spam + (prior.ham_examples if prior else 0),
        spam_examples=spam + (prior.spam_examples if prior else 0),
    )


def folds(labels: Sequence[int], k: int) -> list[np.ndarray]:
    """k stratified folds (index arrays), the same every time for the same labels."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(2015)
    assigned = np.empty(len(labels), dtype=int)
    for value in (0, 1):
        where = np.flatnonzero(labels == value)
        rng.shuffle(where)
        assigned[where] = np.arange(len(where)) % k
    return [np.flatnonzero(assigned == i) for i in range(k)]


def held_out_scores(texts: Sequence[str], labels: Sequence[int], k: int = 5) -> np.ndarray:
    """Each text's raw score from a model that did not see it (k-fold)."""
    labels = np.asarray(labels)
    matrix = features(texts)
    scores = np.zeros(len(labels))
    for test in folds(labels, k):
        train = np.setdiff1d(np.arange(len(labels)), test)
        model = fit([texts[i] for i in train], labels[train])
        scores[test] = model.raw_scores(matrix[test])
    return scores


# --- The public corpus -------------------------------------------------------------------


def _plain(content: str) -> str:
    """A comment of the corpus as a reader would have typed it (it is stored as HTML)."""
    text = _BREAK.sub("\n", content)
    text = htmllib.unescape(_TAG.sub("", text))
    return text.replace("\ufeff", "").strip()


def corpus_read(paths: Iterable[Path | str]) -> list[tuple[str, int]]:
    """Labelled comments from CSV files in the YouTube Spam Collection's format (CONTENT,
    CLASS with 1 = spam): (text, label) pairs, empty ones left out. ValueError on a file
    without those columns."""
    rows: list[tuple[str, int]] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"CONTENT", "CLASS"} - set(reader.fieldnames or [])
            if missing:
                raise ValueError(
                    f"{path}: no {' or '.join(sorted(missing))} column; labelled comments need "
                    "CONTENT and CLASS (1 = spam, 0 = not spam)."
                )
            for n, row in enumerate(reader, start=2):
                text = _plain(row["CONTENT"] or "")
                label = (row["CLASS"] or "").strip()
                if label not in ("0", "1"):
                    raise ValueError(f"{path}, line {n}: CLASS must be 0 or 1, not {label!r}.")
                if text:
                    rows.append((text, int(label)))
    return rows


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
