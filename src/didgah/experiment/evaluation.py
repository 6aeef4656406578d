"""Scoring held-out predictions: gold labels as targets, the task's metrics, label counts and the
prediction rows a run records. Standard and streaming training share it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from didgah.metrics import HEADLINE, indicator, multiclass_metrics, multilabel_metrics, stance_metrics, summarize


def targets(task: str, labels: list[Any], classes: list[str]) -> np.ndarray:
    if task == "multilabel":
        return indicator(labels, classes)
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index[label] for label in labels])


def evaluate(task: str, truth: np.ndarray, predicted: np.ndarray, classes: list[str]) -> dict[str, Any]:
    if task == "multilabel":
        return multilabel_metrics(truth, predicted, classes)
    if task == "stance":
        return stance_metrics(truth, predicted, classes)
    return multiclass_metrics(truth, predicted, classes)


def label_counts(task: str, labels: list[Any]) -> dict[str, int]:
    if task == "multilabel":
        counts = Counter(label for row in labels for label in row)
        counts["(none)"] = sum(1 for row in labels if not row)
        return dict(counts)
    return dict(Counter(labels))


def prediction_rows(task: str, classes: list[str], ids: list[str], gold: list[Any], predicted: np.ndarray,
                    scores: np.ndarray, texts: list[str], fold: int | None,
                    targets: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of ``predictions.jsonl``: id, fold (None: a test or held-out set), gold, predicted,
    per-class scores, text (and target, for stance pairs)."""
    rows = []
    for k, row_id in enumerate(ids):
        row = {"id": row_id, "fold": fold, "gold": gold[k],
               "predicted": ([classes[j] for j in np.flatnonzero(predicted[k])] if task == "multilabel"
                             else classes[int(predicted[k])]),
               "scores": {c: round(float(s), 6) for c, s in zip(classes, scores[k])},
               "text": texts[k]}
        if targets is not None:
            row["target"] = targets[k]
        rows.append(row)
    return rows


def metrics_record(task: str, classes: list[str], evaluation: dict[str, Any], folds: list[dict[str, Any]],
                   pooled: dict[str, Any] | None, duplicates: dict[str, Any], thresholds: dict[str, float],
                   warnings: list[str], fit_seconds: list[float], extra_rows_left_out: list[int],
                   **extra: Any) -> dict[str, Any]:
    """The content of ``metrics.json``, the same layout for every way of training (``extra``: keys only
    one way has, e.g. ``training`` for streaming)."""
    summary = summarize(folds)
    headline = HEADLINE[task]
    return {
        "task": task, "labels": classes, "headline": {"metric": headline, **summary[headline]},
        "evaluation": evaluation, "summary": summary, "pooled": pooled, "folds": folds, "duplicates": duplicates,
        "thresholds": thresholds, "warnings": warnings, "fit_seconds": fit_seconds,
        "extra_rows_left_out": extra_rows_left_out, **extra,
    }
