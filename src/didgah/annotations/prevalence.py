"""Prevalence weighting: figures on an enriched sample, corrected back to the corpus it was drawn from.

A rule-enriched sample holds far more positives of a rare label than the corpus does, so precision
measured on it is too high and recall depends on which strata were sampled. Each stratum ``s`` was
drawn from a pool of ``N_s`` items and ``n_s`` of them were labelled; weighting each labelled item by
``N_s / n_s`` (the number of corpus items it stands for) gives the stratified estimate of the figure
on the whole pool. Items chosen by a strategy that is not a random draw (uncertainty, diversity) have
no weight and are left out of the weighted figures (their number is reported).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from didgah.annotations.store import Annotation


def stratum_weights(annotations: Sequence[Annotation]) -> list[float | None]:
    """Per annotation line: its stratum's pool size over the number of lines of that stratum (a stratum
    is the line's ``strategy``; its pool the largest ``pool`` recorded for it); ``None`` without a pool.

    Examples
    --------
    >>> a = lambda i, s, pool: Annotation("c", str(i), (), "x", "2026-01-01T00:00:00", strategy=s, pool=pool)
    >>> stratum_weights([a(1, "rules:refugees", 10), a(2, "rules:refugees", 10), a(3, "rules:none", 900),
    ...                  a(4, "uncertainty", None)])
    [5.0, 5.0, 900.0, None]
    """
    counts = Counter(a.strategy for a in annotations if a.pool)
    pools: dict[str | None, int] = {}
    for a in annotations:
        if a.pool:
            pools[a.strategy] = max(pools.get(a.strategy, 0), a.pool)
    return [pools[a.strategy] / counts[a.strategy] if a.pool else None for a in annotations]


def weighted_scores(truth: np.ndarray, predicted: np.ndarray, weights: Sequence[float | None],
                    classes: Sequence[str]) -> dict[str, Any]:
    """Prevalence-weighted precision, recall and F1 per label, micro and macro F1.

    ``truth`` and ``predicted`` are 0/1 indicator arrays ``(items, labels)`` (multi-label) or class
    indices (multiclass); items whose weight is ``None`` are left out. ``support`` is the estimated
    number of positives in the pool.

    Examples
    --------
    >>> truth = np.array([[1], [1], [0], [0]]); predicted = np.array([[1], [0], [1], [0]])
    >>> weighted_scores(truth, predicted, [1.0, 1.0, 9.0, 9.0], ["refugees"])["per_label"]["refugees"]
    {'precision': 0.1, 'recall': 0.5, 'f1': 0.1667, 'support': 2.0}
    """
    keep = [i for i, w in enumerate(weights) if w is not None]
    out: dict[str, Any] = {"n": len(keep), "left_out": len(weights) - len(keep)}
    if not keep:
        return out
    w = np.array([weights[i] for i in keep], dtype=float)[:, None]
    y, p = np.asarray(truth)[keep], np.asarray(predicted)[keep]
    if y.ndim == 1:  # class indices -> one column per class
        y, p = np.eye(len(classes), dtype=int)[y], np.eye(len(classes), dtype=int)[p]
    tp, fp, fn = (w * y * p).sum(axis=0), (w * (1 - y) * p).sum(axis=0), (w * y * (1 - p)).sum(axis=0)
    ratio = lambda a, b: np.divide(a, b, out=np.zeros_like(a, dtype=float), where=b > 0)
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = ratio(2 * precision * recall, precision + recall)
    support = tp + fn
    out["per_label"] = {c: {"precision": round(float(precision[k]), 4), "recall": round(float(recall[k]), 4),
                            "f1": round(float(f1[k]), 4), "support": round(float(support[k]), 1)}
                        for k, c in enumerate(classes)}
    micro = ratio(np.array([2 * tp.sum()]), np.array([2 * tp.sum() + fp.sum() + fn.sum()]))
    out["micro_f1"] = round(float(micro[0]), 4)
    out["macro_f1"] = round(float(np.mean(f1)), 4)
    return out
