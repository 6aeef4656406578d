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


def _sentence_scorer(model: Any) -> Any:
    """The fitted ``sentence_scores.v1`` block of a model's features (``DidgahError`` when it has none)."""
    from didgah.features.sentences import SentenceScores

    union = model.pipeline_.named_steps["features"]
    for _, transformer in union.transformer_list:
        if isinstance(transformer, SentenceScores):
            return transformer
    raise DidgahError("explain: the model scores no sentences (it has no sentence_scores.v1 feature); "
                      "explain() lists its word and n-gram contributions instead")


def _label_column(model: Any, scorer: Any, label: str) -> int:
    classes = list(model.classes_)
    if label not in classes:
        raise DidgahError(f"explain: unknown label {label!r}; labels: {', '.join(classes)}")
    if scorer.n_labels_ == len(classes):
        return classes.index(label)
    if scorer.n_labels_ == 1 and len(classes) == 2 and label == classes[1]:
        return 0
    raise DidgahError(f"explain: the sentence scores have no column for {label!r}")


def explain_sentences(model: Any, text: str, label: str, n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` sentence windows of ``text`` that score highest for ``label``, with their scores.

    For a model with a ``sentence_scores.v1`` feature: the windows (consecutive sentences of the
    normalized text) its window classifier finds most topical, highest first. The scores are that
    classifier's, before pooling and calibration: the article's label comes from the pooled scores
    (``predict_scores``), and these windows are what carried it.

    >>> # explain_sentences(model, article, "refugees", n=1) -> [('... پناهجویان افغان ...', 0.91)]
    """
    scorer = _sentence_scorer(model)
    column = _label_column(model, scorer, label)
    normalized = model.pipeline_.named_steps["normalize"].transform([text])[0]
    windows, scores = scorer.window_scores(normalized)
    order = np.argsort(-scores[:, column], kind="stable")[:n]
    return [(windows[i], round(float(scores[i, column]), 4)) for i in order]


def sentence_evidence(model: Any, text: str, labels: list[str], n: int = 1) -> dict[str, list[dict[str, Any]]]:
    """For each of ``labels``, its ``n`` best windows as ``{"text", "score"}`` (``didgah predict --explain``)."""
    return {label: [{"text": t, "score": s} for t, s in explain_sentences(model, text, label, n)]
            for label in labels}
