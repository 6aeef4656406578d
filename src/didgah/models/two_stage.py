"""Two-stage classification for stance: related vs unrelated first, then the stance of related pairs."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from didgah.models.weights import check_sample_weight


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

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # feature matrices of text models are sparse
        return tags

    def fit(self, X, y, sample_weight=None) -> TwoStageClassifier:
        X, y = validate_data(self, X, y, accept_sparse=("csr", "csc"))
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        related = y != self.unrelated_class
        w = None if sample_weight is None else check_sample_weight(sample_weight, X)
        # A stage whose target has one class has nothing to learn (no unrelated rows, or a single class
        # besides unrelated_class): it predicts that class.
        first = self.estimator if 0 < related.sum() < len(y) else DummyClassifier(strategy="prior")
        self.first_ = clone(first).fit(X, related.astype(int), **({} if w is None else {"sample_weight": w}))
        second = self.estimator if self.second_estimator is None else self.second_estimator
        if len(np.unique(y[related])) < 2:
            second = DummyClassifier(strategy="prior")
        self.second_ = None if not related.any() else clone(second).fit(
            X[np.flatnonzero(related)], y[related], **({} if w is None else {"sample_weight": w[related]}))
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "first_")
        X = validate_data(self, X, accept_sparse=("csr", "csc"), reset=False)
        stage1 = list(self.first_.classes_)
        p_related = self.first_.predict_proba(X)[:, stage1.index(1)] if 1 in stage1 else np.zeros(X.shape[0])
        out = np.zeros((X.shape[0], len(self.classes_)))
        index = {c: i for i, c in enumerate(self.classes_)}
        if self.unrelated_class in index:
            out[:, index[self.unrelated_class]] = 1 - p_related
        if self.second_ is not None:
            p_second = self.second_.predict_proba(X)
            for k, c in enumerate(self.second_.classes_):
                out[:, index[c]] = p_related * p_second[:, k]
        return out

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self, "first_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
