"""Two-stage classification for stance: related vs unrelated first, then the stance of related pairs."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone


class TwoStageClassifier(ClassifierMixin, BaseEstimator):
    """Stage 1 separates ``unrelated_class`` from the rest; stage 2 is trained on the rest only.

    Probabilities combine: P(unrelated) = 1 - P1(related); P(c) = P1(related) * P2(c) for the others.

    Parameters
    ----------
    estimator : classifier with predict_proba (cloned for each stage)
    unrelated_class : int
        The encoded class that stage 1 separates.
    second_estimator : classifier or None
        Stage 2's classifier when it should differ from stage 1's (e.g. weaker regularization: stage 2
        separates finer distinctions); ``None`` clones ``estimator`` for both.
    """

    def __init__(self, estimator: BaseEstimator, unrelated_class: int = 0,
                 second_estimator: BaseEstimator | None = None) -> None:
        self.estimator = estimator
        self.unrelated_class = unrelated_class
        self.second_estimator = second_estimator

    def fit(self, X, y, sample_weight=None) -> TwoStageClassifier:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        related = y != self.unrelated_class
        w = None if sample_weight is None else np.asarray(sample_weight)
        self.first_ = clone(self.estimator).fit(X, related.astype(int), **({} if w is None else {"sample_weight": w}))
        second = self.estimator if self.second_estimator is None else self.second_estimator
        self.second_ = clone(second).fit(X[np.flatnonzero(related)], y[related],
                                         **({} if w is None else {"sample_weight": w[related]}))
        return self

    def predict_proba(self, X) -> np.ndarray:
        p_related = self.first_.predict_proba(X)[:, 1]
        p_second = self.second_.predict_proba(X)
        out = np.zeros((X.shape[0], len(self.classes_)))
        index = {c: i for i, c in enumerate(self.classes_)}
        out[:, index[self.unrelated_class]] = 1 - p_related
        for k, c in enumerate(self.second_.classes_):
            out[:, index[c]] = p_related * p_second[:, k]
        return out

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
