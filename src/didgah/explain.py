"""Why a linear model labels a text as it does: per-label weights and per-feature contributions."""

from __future__ import annotations

from typing import Any

import numpy as np

from didgah.errors import DidgahError


def linear_weights(model: Any) -> dict[str, np.ndarray]:
    """Per-label weight vectors of a fitted ``TextClassifier`` whose base model is linear.

    Logistic regression and SGD give their coefficients, a calibrated SVM the mean of its folds'
    coefficients, naive Bayes its log probabilities; other models raise ``DidgahError``.
    """
    clf = model.pipeline_.named_steps["classify"]

    def coef(est: Any) -> np.ndarray:
        if hasattr(est, "coef_"):
            return np.asarray(est.coef_)
        if hasattr(est, "calibrated_classifiers_"):
            return np.mean([np.asarray(c.estimator.coef_) for c in est.calibrated_classifiers_], axis=0)
        if hasattr(est, "feature_log_prob_"):
            return np.asarray(est.feature_log_prob_)
        raise DidgahError(f"explain: {type(est).__name__} has no linear weights")

    if hasattr(clf, "estimators_"):
        return {label: coef(est).ravel() for label, est in zip(model.classes_, clf.estimators_) if est is not None}
    if hasattr(clf, "first_"):
        raise DidgahError("explain: a two-stage model has two weight sets; explain each stage separately")
    W = coef(clf)
    if W.shape[0] == 1:
        return {model.classes_[1]: W[0]}
    return {label: W[i] for i, label in enumerate(model.classes_)}


def explain(model: Any, text: Any, label: str, n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` features that push ``text`` most toward ``label`` (weight x feature value), largest first.

    >>> # explain(model, "حمله تروریستی به پایگاه", "security")  ->  [('words__حمله', 0.41), ...]
    """
    weights = linear_weights(model)
    if label not in weights:
        raise DidgahError(f"explain: unknown label {label!r}; labels: {', '.join(weights)}")
    steps = model.pipeline_.named_steps
    x = steps["features"].transform(steps["normalize"].transform([text])).tocsr()
    names = model.feature_names()
    contributions = x.data * weights[label][x.indices]
    order = np.argsort(-contributions)[:n]
    return [(str(names[x.indices[i]]), round(float(contributions[i]), 4)) for i in order]
