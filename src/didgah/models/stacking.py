"""Stacking across training sources: a model of the extra source feeds models of the main corpus.

When the main corpus is small and an extra source is large but different (FarExStance: 1,000 article ->
claim pairs beside 18,000 headline -> claim pairs), one model fitted on both mostly learns the extra
source. ``SourceStackingClassifier`` keeps them apart: a *source model* is fitted on the extra rows
only, so its probabilities on the main rows are out of sample, and three models of the main rows use
them as features; their probabilities are averaged.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from didgah.components import register
from didgah.models.weights import check_sample_weight


def _log(p: np.ndarray) -> np.ndarray:
    return np.log(np.clip(p, 1e-6, 1.0))


@register("stacking", "source_stacking.v1")
class SourceStackingClassifier(ClassifierMixin, BaseEstimator):
    """Source model on the extra rows; sparse, linear and boosted models of the main rows on top of it.

    ``fit`` needs ``tune_on`` (True for rows of the main corpus). Fitted parts:

    - ``source_``: a clone of ``estimator`` fitted on the other rows (the extra sources);
    - ``sparse_``: a clone of ``estimator`` fitted on the main rows, with the source model's
      log-probabilities appended to all features;
    - ``linear_``: standardized logistic regression on the source model's log-probabilities and the
      first ``dense_columns`` features, its ``C`` chosen by inner cross-validation (log loss) on the
      main rows, grouped by ``groups`` when given (e.g. one group per claim);
    - ``boosted_``: gradient-boosted trees on the same dense inputs.

    ``predict_proba`` is the mean of the three models' probabilities. Without extra rows, only
    ``estimator`` is fitted (on every row) and used.

    Parameters
    ----------
    estimator : classifier with ``predict_proba`` (cloned)
    dense_columns : int, default=83
        How many leading feature columns are dense, well-defined numbers (similarities, cue counts,
        cosine scores) for the linear and boosted models.
    Cs : list of float, default=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
        Candidate inverse regularization strengths of the linear model.
    cv : int, default=5
        Inner folds choosing ``C``.
    boosting_iterations : int, default=100
    random_state : int, default=0

    Example
    -------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 4)); y = (X[:, 0] > 0).astype(int)
    >>> main = np.arange(300) < 100
    >>> clf = SourceStackingClassifier(LogisticRegression(), dense_columns=4, cv=3)
    >>> bool(clf.fit(X, y, tune_on=main).score(X, y) > 0.9)
    True
    """

    def __init__(self, estimator: BaseEstimator, dense_columns: int = 83,
                 Cs: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0), cv: int = 5,
                 boosting_iterations: int = 100, random_state: int = 0) -> None:
        self.estimator = estimator
        self.dense_columns = dense_columns
        self.Cs = Cs
        self.cv = cv
        self.boosting_iterations = boosting_iterations
        self.random_state = random_state

    def _dense(self, X, p_source: np.ndarray) -> np.ndarray:
        block = X[:, : self.dense_columns]
        block = block.toarray() if sp.issparse(block) else np.asarray(block)
        return np.hstack([_log(p_source), block])

    def _with_source(self, X, p_source: np.ndarray):
        # log-probabilities: on FarExStance they served the sparse model better than probabilities
        if sp.issparse(X):
            return sp.hstack([X, sp.csr_matrix(_log(p_source))]).tocsr()
        return np.hstack([X, _log(p_source)])

    def _splits(self, y: np.ndarray, groups) -> list:
        if groups is not None and len(np.unique(groups)) >= self.cv:
            return list(GroupKFold(self.cv).split(y, y, groups))
        return list(StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state).split(y, y))

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # feature matrices of text models are sparse
        return tags

    def fit(self, X, y, sample_weight=None, tune_on=None, groups=None) -> SourceStackingClassifier:
        """Fit; ``tune_on`` marks the main rows, ``groups`` their inner-CV groups (rows of one group stay together)."""
        X, y = validate_data(self, X, y, accept_sparse=("csr", "csc"))
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        main = np.ones(len(y), bool) if tune_on is None else np.asarray(tune_on, bool)
        w = None if sample_weight is None else check_sample_weight(sample_weight, X)

        def weights(rows):
            return {} if w is None else {"sample_weight": w[rows]}

        self.stacked_ = bool((~main).any() and main.any())
        if not self.stacked_:
            self.source_ = clone(self.estimator).fit(X, y, **weights(np.arange(len(y))))
            return self
        extra, rows = np.flatnonzero(~main), np.flatnonzero(main)
        self.source_ = clone(self.estimator).fit(X[extra], y[extra], **weights(extra))
        Xm, ym = X[rows], y[rows]
        p = self.source_.predict_proba(Xm)
        self.sparse_ = clone(self.estimator).fit(self._with_source(Xm, p), ym)
        dense = self._dense(Xm, p)
        g = None if groups is None else np.asarray(groups)[rows]
        with warnings.catch_warnings():  # scikit-learn >= 1.8 announces default and attribute changes that do not
            warnings.simplefilter("ignore", FutureWarning)  # affect this use (plain L2 penalty, fitted C unread)
            self.linear_ = make_pipeline(StandardScaler(), LogisticRegressionCV(
                Cs=list(self.Cs), cv=self._splits(ym, g), class_weight="balanced", scoring="neg_log_loss",
                max_iter=3000)).fit(dense, ym)
        self.boosted_ = HistGradientBoostingClassifier(
            max_iter=self.boosting_iterations, learning_rate=0.1, max_leaf_nodes=15, l2_regularization=1.0,
            class_weight="balanced", early_stopping=False, random_state=self.random_state).fit(dense, ym)
        return self

    def _aligned(self, model, P: np.ndarray) -> np.ndarray:
        out = np.zeros((P.shape[0], len(self.classes_)))
        index = {c: i for i, c in enumerate(self.classes_)}
        for k, c in enumerate(model.classes_):
            out[:, index[c]] = P[:, k]
        return out

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "source_")
        X = validate_data(self, X, accept_sparse=("csr", "csc"), reset=False)
        p_source = self.source_.predict_proba(X)
        if not self.stacked_:
            return self._aligned(self.source_, p_source)
        dense = self._dense(X, p_source)
        parts = [self._aligned(self.sparse_, self.sparse_.predict_proba(self._with_source(X, p_source))),
                 self._aligned(self.linear_, self.linear_.predict_proba(dense)),
                 self._aligned(self.boosted_, self.boosted_.predict_proba(dense))]
        return np.mean(parts, axis=0)

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self, "source_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
