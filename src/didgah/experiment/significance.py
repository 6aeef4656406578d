"""Paired significance tests between two systems' predictions on the same examples.

Pure functions over arrays: labels are indicator matrices (n examples x k labels; a single-label task has
exactly one 1 per row). Every metric here is a function of per-example counts summed over examples, so a
bootstrap resample is a vector of example weights and thousands of resamples are one matrix product.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as scipy_stats

METRICS = ("micro_f1", "macro_f1", "weighted_f1", "accuracy", "subset_accuracy")


def example_stats(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Per-example counts (n x (3k + 1)): true positives, false positives, false negatives of each label,
    then 1 when the whole row is right."""
    truth, predicted = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    if truth.shape != predicted.shape or truth.ndim != 2:
        raise ValueError(f"truth {truth.shape} and predictions {predicted.shape} must be matching n x k matrices")
    tp, fp, fn = truth & predicted, ~truth & predicted, truth & ~predicted
    exact = (truth == predicted).all(axis=1, keepdims=True)
    return np.hstack([tp, fp, fn, exact]).astype(float)


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / np.where(denominator > 0, denominator, 1), 0.0)


def metric_from_sums(sums: np.ndarray, n: np.ndarray | float, metric: str) -> np.ndarray:
    """A metric from summed :func:`example_stats` (last axis), for any leading (resample) axes.

    ``accuracy`` is the share of examples whose row is right: for a single-label task that is accuracy,
    for a multi-label task subset accuracy (also available under that name). F1 scores follow
    scikit-learn with ``zero_division=0``.
    """
    k = (sums.shape[-1] - 1) // 3
    tp, fp, fn, exact = sums[..., :k], sums[..., k:2 * k], sums[..., 2 * k:3 * k], sums[..., -1]
    if metric == "micro_f1":
        return _f1(tp.sum(-1), fp.sum(-1), fn.sum(-1))
    if metric == "macro_f1":
        return _f1(tp, fp, fn).mean(-1)
    if metric == "weighted_f1":
        support = tp + fn
        total = support.sum(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (_f1(tp, fp, fn) * support).sum(-1) / np.where(total > 0, total, 1), 0.0)
    if metric in ("accuracy", "subset_accuracy"):
        return exact / n
    raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")


def metric_value(truth: np.ndarray, predicted: np.ndarray, metric: str, weights: np.ndarray | None = None) -> float:
    """The metric of one system, optionally with example weights (a bootstrap resample's counts)."""
    stats = example_stats(truth, predicted)
    w = np.ones(len(stats)) if weights is None else np.asarray(weights, dtype=float)
    return float(metric_from_sums(w @ stats, w.sum(), metric))


def paired_bootstrap(truth: np.ndarray, predicted_a: np.ndarray, predicted_b: np.ndarray, metric: str,
                     n_resamples: int = 10_000, seed: int = 0, confidence: float = 0.95,
                     chunk: int = 500) -> dict[str, Any]:
    """Paired bootstrap over examples of ``metric(b) - metric(a)``.

    Each resample draws n examples with replacement (the same draw for both systems). Returns both
    metrics and their difference on the original examples, percentile confidence intervals of each
    and of the difference, and a two-sided p-value for "no difference": the share of resampled
    differences at least as far from the observed one as the observed one is from 0 (the bootstrap
    distribution shifted to the null), with +1 in numerator and denominator.
    """
    stats_a, stats_b = example_stats(truth, predicted_a), example_stats(truth, predicted_b)
    n = len(stats_a)
    if n == 0:
        raise ValueError("no examples to compare")
    a = float(metric_from_sums(stats_a.sum(0), n, metric))
    b = float(metric_from_sums(stats_b.sum(0), n, metric))
    rng = np.random.default_rng(seed)
    values_a, values_b = [], []
    for start in range(0, n_resamples, chunk):
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=min(chunk, n_resamples - start)).astype(float)
        values_a.append(metric_from_sums(weights @ stats_a, n, metric))
        values_b.append(metric_from_sums(weights @ stats_b, n, metric))
    boot_a, boot_b = np.concatenate(values_a), np.concatenate(values_b)
    diffs = boot_b - boot_a
    tail = (1 - confidence) / 2 * 100
    interval = lambda x: [float(v) for v in np.percentile(x, [tail, 100 - tail])]  # noqa: E731
    diff = b - a
    extreme = int(np.sum(np.abs(diffs - diff) >= abs(diff) - 1e-12))
    return {
        "metric": metric, "n": n, "a": a, "b": b, "diff": diff,
        "a_ci": interval(boot_a), "b_ci": interval(boot_b), "diff_ci": interval(diffs),
        "p_value": (extreme + 1) / (n_resamples + 1), "n_resamples": n_resamples, "confidence": confidence,
        "seed": seed,
    }


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> dict[str, Any]:
    """McNemar's test on paired right/wrong decisions of two single-label systems.

    ``b``: examples only system a gets right; ``c``: only system b. Returns the exact two-sided binomial
    p-value and the chi-square statistic with continuity correction and its p-value.
    """
    correct_a, correct_b = np.asarray(correct_a, dtype=bool), np.asarray(correct_b, dtype=bool)
    b = int(np.sum(correct_a & ~correct_b))
    c = int(np.sum(~correct_a & correct_b))
    if b + c == 0:
        return {"b": b, "c": c, "p_exact": 1.0, "chi2": 0.0, "p_chi2": 1.0}
    p_exact = min(1.0, 2 * float(scipy_stats.binom.cdf(min(b, c), b + c, 0.5)))
    chi2 = (abs(b - c) - 1) ** 2 / (b + c)
    return {"b": b, "c": c, "p_exact": p_exact, "chi2": float(chi2), "p_chi2": float(scipy_stats.chi2.sf(chi2, 1))}
