"""Multi-label classification: one binary model per label, each with a threshold tuned by cross-validation."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict


def best_threshold(y_true: np.ndarray, scores: np.ndarray, default: float = 0.5) -> float:
    """The threshold that maximises F1 of ``scores >= t`` against ``y_true``.

    Thresholds are placed midway between neighbouring distinct scores (the widest margin on the
    training scores, so new texts that score a little lower than any training positive are not lost);
    among equally good cuts the one nearest ``default`` wins.

    >>> best_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.225
    """
    positives = int(y_true.sum())
    if positives == 0:
        return default
    order = np.argsort(-scores, kind="mergesort")
    sorted_scores, sorted_true = scores[order], y_true[order]
    true_pos = np.cumsum(sorted_true)
    predicted = np.arange(1, len(scores) + 1)
    f1 = 2 * true_pos / (predicted + positives)
    # Only cut between distinct scores: the last index of each run of equal scores.
    last = np.flatnonzero(np.r_[sorted_scores[1:] != sorted_scores[:-1], True])
    below = np.r_[sorted_scores[last[:-1] + 1], 0.0]  # the next lower score (0 under the lowest)
    cuts = (sorted_scores[last] + below) / 2
    best = f1[last].max()
    choices = cuts[np.isclose(f1[last], best)]
    return round(float(choices[np.argmin(np.abs(choices - default))]), 6)


class ThresholdedMultiLabel(ClassifierMixin, BaseEstimator):
    """One-vs-rest multi-label classifier with per-label decision thresholds.

    For each label a clone of ``estimator`` is fitted; its threshold on ``predict_proba`` is the one
    that maximises F1 on out-of-fold scores from ``threshold_cv``-fold stratified CV of the training
    data (``tune_thresholds=False`` keeps ``default_threshold``).

    Parameters
    ----------
    estimator : classifier with predict_proba
    tune_thresholds : bool, default=True
    threshold_cv : int, default=5
    default_threshold : float, default=0.5
    random_state : int, default=0

    Attributes
    ----------
    estimators_ : list
        One fitted binary estimator per label (``None`` for a label that never or always occurs).
    constant_ : list of (int or None)
        For labels that never (0) or always (1) occur in training, the constant prediction.
    thresholds_ : ndarray of shape (n_labels,)
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        tune_thresholds: bool = True,
        threshold_cv: int = 5,
        default_threshold: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.estimator = estimator
        self.tune_thresholds = tune_thresholds
        self.threshold_cv = threshold_cv
        self.default_threshold = default_threshold
        self.random_state = random_state

    def fit(self, X, Y, sample_weight=None) -> ThresholdedMultiLabel:
        Y = np.asarray(Y, dtype=int)
        weights = {} if sample_weight is None else {"sample_weight": np.asarray(sample_weight)}
        self.n_labels_ = Y.shape[1]
        self.estimators_, self.constant_, thresholds = [], [], []
        for j in range(self.n_labels_):
            y = Y[:, j]
            if y.min() == y.max():
                self.estimators_.append(None)
                self.constant_.append(int(y[0]))
                thresholds.append(self.default_threshold)
                continue
            threshold = self.default_threshold
            folds = min(self.threshold_cv, int(np.bincount(y).min()))
            if self.tune_thresholds and folds >= 2:
                cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
                oof = cross_val_predict(clone(self.estimator), X, y, cv=cv, method="predict_proba",
                                        params=weights)[:, 1]
                threshold = best_threshold(y, oof, self.default_threshold)
            self.estimators_.append(clone(self.estimator).fit(X, y, **weights))
            self.constant_.append(None)
            thresholds.append(threshold)
        self.thresholds_ = np.asarray(thresholds, dtype=float)
        self.classes_ = np.arange(self.n_labels_)
        return self

    def partial_fit(self, X, Y, sample_weight=None) -> ThresholdedMultiLabel:
        """Update every label's model on one batch (out-of-core training; ``estimator`` needs
        ``partial_fit``). Thresholds stay at ``default_threshold``: tuning them needs the whole corpus."""
        Y = np.asarray(Y, dtype=int)
        if not hasattr(self, "estimators_"):
            self.n_labels_ = Y.shape[1]
            self.estimators_ = [clone(self.estimator) for _ in range(self.n_labels_)]
            self.constant_ = [None] * self.n_labels_
            self.thresholds_ = np.full(self.n_labels_, float(self.default_threshold))
            self.classes_ = np.arange(self.n_labels_)
        weights = {} if sample_weight is None else {"sample_weight": np.asarray(sample_weight)}
        for estimator, column in zip(self.estimators_, Y.T):
            estimator.partial_fit(X, column, classes=np.array([0, 1]), **weights)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Per-label probability of the label, shape (n_samples, n_labels)."""
        n = X.shape[0]
        columns = []
        for est, const in zip(self.estimators_, self.constant_):
            columns.append(np.full(n, float(const)) if est is None else est.predict_proba(X)[:, 1])
        return np.column_stack(columns) if columns else np.zeros((n, 0))

    def predict(self, X) -> np.ndarray:
        """Label indicator matrix: probability >= the label's threshold."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)
