"""Multi-label classification: one binary model per label, each with a threshold tuned by cross-validation."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from didgah.models.weights import check_sample_weight

CALIBRATIONS = (None, "sigmoid", "isotonic")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p)).reshape(-1, 1)


def fit_calibrator(y_true: np.ndarray, scores: np.ndarray, method: str, sample_weight=None):
    """A monotone map from held-out scores to calibrated probabilities (Platt scaling or isotonic)."""
    if method == "sigmoid":
        return LogisticRegression(C=1e4).fit(_logit(scores), y_true, sample_weight=sample_weight)
    if method == "isotonic":
        return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
            scores, y_true, sample_weight=sample_weight)
    raise ValueError(f"calibration: {method!r} is not one of sigmoid, isotonic")


def apply_calibrator(calibrator, scores: np.ndarray) -> np.ndarray:
    """Calibrated probabilities for raw ``scores`` (``calibrator`` None leaves them as they are)."""
    if calibrator is None:
        return scores
    if isinstance(calibrator, LogisticRegression):
        return calibrator.predict_proba(_logit(scores))[:, 1]
    return calibrator.predict(scores)


def best_threshold(y_true: np.ndarray, scores: np.ndarray, default: float = 0.5,
                   sample_weight: np.ndarray | None = None) -> float:
    """The threshold that maximises F1 of ``scores >= t`` against ``y_true`` (weighted by ``sample_weight``).

    Thresholds are placed midway between neighbouring distinct scores (the widest margin on the
    training scores, so new texts that score a little lower than any training positive are not lost);
    among equally good cuts the one nearest ``default`` wins. Weights that restore another prevalence
    (:func:`prevalence_weights`) choose the threshold F1 would pick where the label is that common.

    >>> best_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.225
    """
    weights = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    positives = float((weights * y_true).sum())
    if positives <= 0:
        return default
    order = np.argsort(-scores, kind="mergesort")
    sorted_scores, sorted_true, sorted_weights = scores[order], y_true[order], weights[order]
    true_pos = np.cumsum(sorted_true * sorted_weights)
    predicted = np.cumsum(sorted_weights)
    f1 = 2 * true_pos / (predicted + positives)
    # Only cut between distinct scores: the last index of each run of equal scores.
    last = np.flatnonzero(np.r_[sorted_scores[1:] != sorted_scores[:-1], True])
    below = np.r_[sorted_scores[last[:-1] + 1], 0.0]  # the next lower score (0 under the lowest)
    cuts = (sorted_scores[last] + below) / 2
    best = f1[last].max()
    choices = cuts[np.isclose(f1[last], best)]
    return round(float(choices[np.argmin(np.abs(choices - default))]), 6)


def prevalence_weights(y_true: np.ndarray, prevalence: float) -> np.ndarray:
    """Per-row weights under which the label's share of ``y_true`` is ``prevalence``.

    Positives weigh ``prevalence / share`` and negatives ``(1 - prevalence) / (1 - share)``, so
    thresholds and calibration fitted with them suit texts where the label is that common.

    >>> prevalence_weights(np.array([1, 0, 0, 1]), 0.1).round(2).tolist()
    [0.2, 1.8, 1.8, 0.2]
    """
    y = np.asarray(y_true, dtype=int)
    share = float(y.mean())
    if not 0 < share < 1:
        return np.ones(len(y))
    return np.where(y == 1, prevalence / share, (1 - prevalence) / (1 - share))


def _indicator(Y: np.ndarray) -> np.ndarray:
    """``Y`` as a 0/1 integer matrix (n_samples, n_labels); anything else is a ValueError."""
    if not np.isin(Y, (0, 1)).all():
        kind = type_of_target(Y)
        if kind.startswith("multiclass"):
            raise ValueError(f"Only binary classification is supported for each label (Y must be a label "
                             f"indicator matrix of 0 and 1). The type of the target is {kind}.")
        raise ValueError(f"Unknown label type: {kind}; Y must be a label indicator matrix of 0 and 1")
    if Y.ndim != 2:
        raise ValueError(f"Y: expected a label indicator matrix (n_samples, n_labels), got shape {Y.shape}")
    return Y.astype(int)


class ThresholdedMultiLabel(ClassifierMixin, BaseEstimator):
    """One-vs-rest multi-label classifier with per-label decision thresholds.

    For each label a clone of ``estimator`` is fitted; its threshold on ``predict_proba`` is the one
    that maximises F1 on out-of-fold scores from ``threshold_cv``-fold stratified CV of the training
    data (``tune_thresholds=False`` keeps ``default_threshold``). With ``calibration`` the same
    out-of-fold scores also fit a monotone calibration map (Platt ``sigmoid`` or ``isotonic``), so
    ``predict_proba`` returns calibrated probabilities and thresholds are chosen on them.

    Parameters
    ----------
    estimator : classifier with predict_proba
    tune_thresholds : bool, default=True
    threshold_cv : int, default=5
    default_threshold : float, default=0.5
    random_state : int, default=0
    calibration : {None, "sigmoid", "isotonic"}, default=None
    prevalence : list of (float or None), or None, default=None
        Per label, the share of texts expected to carry it where the model is used. Thresholds (and
        calibration) are then chosen on out-of-fold scores weighed to that share
        (:func:`prevalence_weights`) instead of the training data's share; ``None``: the training share.
    fixed_thresholds : list of (float or None), or None, default=None
        Per label, a threshold that is kept as it is, neither tuned nor ``default_threshold`` (``None``
        for the labels that are).

    Attributes
    ----------
    estimators_ : list
        One fitted binary estimator per label (``None`` for a label that never or always occurs).
    constant_ : list of (int or None)
        For labels that never (0) or always (1) occur in training, the constant prediction.
    thresholds_ : ndarray of shape (n_labels,)
    calibrators_ : list
        Per label the fitted calibration map, or ``None``.
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        tune_thresholds: bool = True,
        threshold_cv: int = 5,
        default_threshold: float = 0.5,
        random_state: int = 0,
        calibration: str | None = None,
        prevalence: list[float | None] | None = None,
        fixed_thresholds: list[float | None] | None = None,
    ) -> None:
        self.estimator = estimator
        self.tune_thresholds = tune_thresholds
        self.threshold_cv = threshold_cv
        self.default_threshold = default_threshold
        self.random_state = random_state
        self.calibration = calibration
        self.prevalence = prevalence
        self.fixed_thresholds = fixed_thresholds

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True  # Y is a label indicator matrix (n_samples, n_labels)
        tags.classifier_tags.multi_class = False  # each column is one binary problem
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, Y, sample_weight=None, tune_on=None) -> ThresholdedMultiLabel:
        """Fit one model per label; ``tune_on`` (boolean per row) limits the rows whose out-of-fold
        scores choose thresholds and calibration, e.g. to the real articles among synthetic ones."""
        X, Y = validate_data(self, X, Y, accept_sparse=("csr", "csc"), multi_output=True)
        Y = _indicator(Y)
        mask = np.ones(len(Y), dtype=bool) if tune_on is None else np.asarray(tune_on, dtype=bool)
        weights = {} if sample_weight is None else {"sample_weight": check_sample_weight(sample_weight, X)}
        self.n_labels_ = Y.shape[1]
        if self.calibration not in CALIBRATIONS:
            raise ValueError(f"calibration: {self.calibration!r} is not one of sigmoid, isotonic")
        prevalence = self._per_label("prevalence", "shares")
        fixed = self._per_label("fixed_thresholds", "thresholds")
        self.estimators_: list[Any] = []
        self.calibrators_: list[Any] = []
        self.constant_: list[int | None] = []
        thresholds: list[float] = []
        for j in range(self.n_labels_):
            y = Y[:, j]
            self.calibrators_.append(None)
            if y.min() == y.max():
                self.estimators_.append(None)
                self.constant_.append(int(y[0]))
                thresholds.append(self.default_threshold)
                continue
            threshold = self.default_threshold
            folds = min(self.threshold_cv, int(np.bincount(y).min()))
            tune = self.tune_thresholds and fixed[j] is None
            if (tune or self.calibration) and folds >= 2:
                cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
                oof = cross_val_predict(clone(self.estimator), X, y, cv=cv, method="predict_proba",
                                        params=weights)[:, 1]
                y_tune, oof = y[mask], oof[mask]
                tune_weight = None if prevalence[j] is None else prevalence_weights(y_tune, prevalence[j])
                if self.calibration and 0 < y_tune.sum() < len(y_tune):
                    self.calibrators_[j] = fit_calibrator(y_tune, oof, self.calibration, tune_weight)
                    oof = apply_calibrator(self.calibrators_[j], oof)
                if tune:
                    threshold = best_threshold(y_tune, oof, self.default_threshold, tune_weight)
            self.estimators_.append(clone(self.estimator).fit(X, y, **weights))
            self.constant_.append(None)
            thresholds.append(threshold if fixed[j] is None else fixed[j])
        self.thresholds_ = np.asarray(thresholds, dtype=float)
        self.classes_ = np.arange(self.n_labels_)
        return self

    def _per_label(self, name: str, what: str) -> list[float | None]:
        """The per-label parameter ``name`` (``prevalence``, ``fixed_thresholds``) as one value or ``None``
        per label, checked against the number of labels; a model saved before the parameter existed has
        ``None`` for every label."""
        given = getattr(self, name, None)
        values = [None] * self.n_labels_ if given is None else list(given)
        if len(values) != self.n_labels_ or not all(v is None or 0 < v < 1 for v in values):
            raise ValueError(f"{name}: expected {self.n_labels_} {what} between 0 and 1 (or None), got {given!r}")
        return values

    def partial_fit(self, X, Y, sample_weight=None, classes=None) -> ThresholdedMultiLabel:
        """Update every label's model on one batch (out-of-core training; ``estimator`` needs
        ``partial_fit``). Thresholds stay at ``default_threshold`` (or the ``fixed_thresholds``): tuning them
        needs the whole corpus.
        ``classes`` is accepted for scikit-learn's classifier interface and unused: every label is 0 or 1."""
        first = not hasattr(self, "estimators_")
        X, Y = validate_data(self, X, Y, accept_sparse=("csr", "csc"), multi_output=True, reset=first)
        Y = _indicator(Y)
        if first:
            self.n_labels_ = Y.shape[1]
            self.estimators_ = [clone(self.estimator) for _ in range(self.n_labels_)]
            self.constant_ = [None] * self.n_labels_
            fixed = self._per_label("fixed_thresholds", "thresholds")
            self.thresholds_ = np.array([self.default_threshold if t is None else t for t in fixed], dtype=float)
            self.classes_ = np.arange(self.n_labels_)
        weights = {} if sample_weight is None else {"sample_weight": check_sample_weight(sample_weight, X)}
        for estimator, column in zip(self.estimators_, Y.T):
            estimator.partial_fit(X, column, classes=np.array([0, 1]), **weights)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Per-label probability of the label, shape (n_samples, n_labels)."""
        check_is_fitted(self, "estimators_")
        X = validate_data(self, X, accept_sparse=("csr", "csc"), reset=False)
        n = X.shape[0]
        columns = []
        calibrators = getattr(self, "calibrators_", [None] * len(self.estimators_))
        for est, const, cal in zip(self.estimators_, self.constant_, calibrators):
            columns.append(np.full(n, float(const)) if est is None
                           else apply_calibrator(cal, est.predict_proba(X)[:, 1]))
        return np.column_stack(columns) if columns else np.zeros((n, 0))

    def predict(self, X) -> np.ndarray:
        """Label indicator matrix: probability >= the label's threshold."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)
