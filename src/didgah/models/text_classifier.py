"""The end-to-end text classifier: raw texts in, labels and per-label scores out."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

import didgah.models.workers as workers
from didgah.errors import DataError

TASKS = ("multilabel", "multiclass", "stance")


# The layout of a fitted TextClassifier and of the estimators inside it. Saved in every model as
# ``format_version_``; a file of another format is refused when it is loaded (didgah.persist).
# 2: the normalizer's max_chars/long_text, component parameters validated, the format recorded.
MODEL_FORMAT = 2


class TextClassifier(ClassifierMixin, BaseEstimator):
    """Normalizer -> features -> classifier, for single-label (multiclass) or multi-label tasks.

    Parameters
    ----------
    normalizer : transformer
        Raw text -> normalized text (e.g. ``PersianNormalizer``).
    features : list of (name, transformer)
        Combined side by side (a ``FeatureUnion``).
    classifier : classifier
        For ``task="multilabel"`` a ``ThresholdedMultiLabel``; otherwise any classifier with
        ``predict_proba``.
    task : {"multilabel", "multiclass", "stance"}
        ``stance`` is single-label classification of (target, text) pairs.
    labels : list of str or None
        The label set in a fixed order; ``None`` takes the sorted labels seen in training.

    Attributes
    ----------
    classes_ : list of str
    pipeline_ : Pipeline
    metadata_ : dict
        What the model needs to describe itself (config, metrics, data, versions); filled by the runner.

    Example
    -------
    >>> from didgah.config_types import ExperimentConfig
    >>> from didgah.registry import build_classifier
    >>> config = ExperimentConfig.from_dict({"name": "example", "task": "multiclass", "data": {},
    ...     "features": [{"name": "tfidf_chars.v1", "params": {"min_df": 1}}], "model": {"name": "logistic_regression.v1"}})
    >>> model = build_classifier(config)
    >>> model.fit(["حمله موشکی", "بازی فوتبال", "حمله هوایی", "لیگ فوتبال"], ["war", "sport"] * 2).predict(["فوتبال"])
    ['sport']
    """

    def __init__(
        self,
        normalizer: BaseEstimator,
        features: list[tuple[str, BaseEstimator]],
        classifier: BaseEstimator,
        task: str = "multilabel",
        labels: Sequence[str] | None = None,
    ) -> None:
        self.normalizer = normalizer
        self.features = features
        self.classifier = classifier
        self.task = task
        self.labels = labels

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True  # raw texts or (target, text) pairs, not a numeric array
        tags.input_tags.two_d_array = False
        if self.task == "multilabel":  # y is a list of label lists per text
            tags.classifier_tags.multi_label = True
        return tags

    # -- training -------------------------------------------------------------------------------
    def _targets(self, y: Sequence) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.classes_)}
        if self.task == "multilabel":
            Y = np.zeros((len(y), len(self.classes_)), dtype=int)
            for row, labels in enumerate(y):
                for label in labels:
                    if label not in index:
                        raise DataError(f"row {row}: label {label!r} is not in the label set {self.classes_}")
                    Y[row, index[label]] = 1
            return Y
        unknown = [(row, label) for row, label in enumerate(y) if label not in index]
        if unknown:
            row, label = unknown[0]
            raise DataError(f"row {row}: label {label!r} is not in the label set {self.classes_}")
        return np.array([index[label] for label in y], dtype=int)

    def fit(self, X: Sequence, y: Sequence, sample_weight: Sequence[float] | None = None,
            tune_on: Sequence[bool] | np.ndarray | None = None) -> TextClassifier:
        """Fit on texts (or pairs) and their labels; ``sample_weight`` weighs examples (e.g. per source).

        ``tune_on`` (True per example, ``None``: all): multi-label thresholds and calibration are chosen on
        the out-of-fold scores of these examples only (the main corpus, not the extra sources; config key
        ``model.thresholds.tune_on``); a classifier whose ``fit`` takes ``tune_on`` gets it too. A stance
        classifier whose ``fit`` takes ``groups`` gets one group per target, for inner cross-validation."""
        if self.task not in TASKS:
            raise DataError(f"task: {self.task!r} is not one of {', '.join(TASKS)}")
        texts = list(X)
        if self.labels is not None:
            self.classes_ = list(self.labels)
        elif self.task == "multilabel":
            self.classes_ = sorted({label for labels in y for label in labels})
        else:
            self.classes_ = sorted(set(y))
        targets = self._targets(y)
        self.pipeline_ = Pipeline(
            [
                ("normalize", clone(self.normalizer)),
                ("features", FeatureUnion([(name, clone(f)) for name, f in self.features])),
                ("classify", clone(self.classifier)),
            ]
        )
        fit_params = {} if sample_weight is None else {"classify__sample_weight": np.asarray(sample_weight, float)}
        accepts = inspect.signature(self.classifier.fit).parameters
        if tune_on is not None and (self.task == "multilabel" or "tune_on" in accepts):
            fit_params["classify__tune_on"] = np.asarray(tune_on, dtype=bool)
        if self.task == "stance" and "groups" in accepts:  # inner CV keeps the pairs of one target together
            fit_params["classify__groups"] = np.unique([str(x[0]) for x in texts], return_inverse=True)[1]
        self.pipeline_.fit(texts, targets, **fit_params)
        self.format_version_ = MODEL_FORMAT
        if not hasattr(self, "metadata_"):
            self.metadata_: dict[str, Any] = {}
        return self

    def partial_fit(self, X: Sequence, y: Sequence) -> TextClassifier:
        """Update the model on one batch, for corpora streamed in batches (out-of-core training).

        Needs ``labels`` (a batch does not show every label), features that learn nothing from data
        (hashing, lexicon counts: they are fitted on the first batch) and a classifier with
        ``partial_fit``."""
        texts = list(X)
        first = not hasattr(self, "pipeline_")
        if first:
            if self.labels is None:
                raise DataError("partial_fit: the label set must be given (labels=...)")
            self.classes_ = list(self.labels)
            self.pipeline_ = Pipeline(
                [
                    ("normalize", clone(self.normalizer)),
                    ("features", FeatureUnion([(name, clone(f)) for name, f in self.features])),
                    ("classify", clone(self.classifier)),
                ]
            )
            self.metadata_ = getattr(self, "metadata_", {})
            self.format_version_ = MODEL_FORMAT
        targets = self._targets(y)
        workers.forget(self.pipeline_)  # workers predicting with the pipeline would keep the old weights
        normalize, features, classify = (self.pipeline_.named_steps[k] for k in ("normalize", "features", "classify"))
        normalized = normalize.transform(texts)
        if first:
            features.fit(normalized)
        matrix = features.transform(normalized)
        if self.task == "multilabel":
            classify.partial_fit(matrix, targets)
        else:
            classify.partial_fit(matrix, targets, classes=np.arange(len(self.classes_)))
        return self

    # -- prediction -----------------------------------------------------------------------------
    # ``n_jobs`` (every prediction method): worker processes for large batches (-1: every core); the
    # results are the same as in one process (see didgah.models.workers).
    def predict_proba(self, X: Sequence[str], n_jobs: int | None = 1) -> np.ndarray:
        """Scores as an array of shape (n_texts, n_labels), columns in the order of ``classes_``."""
        check_is_fitted(self, "pipeline_")
        return np.asarray(workers.run(self.pipeline_, "predict_proba", X, n_jobs), dtype=float)

    def predict_indicator(self, X: Sequence[str], n_jobs: int | None = 1) -> np.ndarray:
        """Multi-label: the 0/1 matrix of predicted labels. Multiclass: the predicted class indices."""
        check_is_fitted(self, "pipeline_")
        return workers.run(self.pipeline_, "predict", X, n_jobs)

    def predict(self, X: Sequence[str], n_jobs: int | None = 1) -> list:
        """Labels: a list of label lists (multi-label) or a list of labels (multiclass)."""
        predicted = self.predict_indicator(X, n_jobs)
        if self.task == "multilabel":
            return [[self.classes_[j] for j in np.flatnonzero(row)] for row in predicted]
        return [self.classes_[int(i)] for i in predicted]

    def predict_scores(self, X: Sequence[str], n_jobs: int | None = 1) -> list[dict[str, float]]:
        """Per-label scores for each text, as ``{label: score}`` dictionaries."""
        return [
            {label: round(float(s), 6) for label, s in zip(self.classes_, row)}
            for row in self.predict_proba(X, n_jobs)
        ]

    @property
    def thresholds(self) -> dict[str, float]:
        """Per-label decision thresholds (multi-label models)."""
        clf = self.pipeline_.named_steps["classify"]
        return {label: float(t) for label, t in zip(self.classes_, getattr(clf, "thresholds_", []))}

    def feature_names(self) -> np.ndarray:
        """Names of the model's features, prefixed by the extractor name (``words__حمله``)."""
        return self.pipeline_.named_steps["features"].get_feature_names_out()
