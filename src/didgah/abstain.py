"""Abstention: leave a decision to a person when the model is not confident enough.

The confidence of a decision is the model's probability that it is right: for a multi-label model,
per label, the probability of the label when it is predicted and one minus it when it is not; for a
single-label model, the probability of the predicted class. Decisions below ``min_confidence`` are
reported as unsure. The probabilities mean what they say only for calibrated models (config
``model.calibration``), which is what ``experiments/topics_real.yaml`` uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

UNSURE = "unsure"


def check_confidence(min_confidence: float | None, where: str = "--min-confidence") -> None:
    from didgah.errors import DidgahError

    if min_confidence is not None and not 0.0 <= float(min_confidence) <= 1.0:
        raise DidgahError(f"{where}: expected a probability between 0 and 1, got {min_confidence}")


def confidences(task: str, proba: np.ndarray, thresholds: Sequence[float] | np.ndarray | None = None) -> np.ndarray:
    """Confidence of each decision: shape (n, n_labels) for multi-label, (n,) otherwise."""
    proba = np.asarray(proba, dtype=float)
    if task == "multilabel":
        positive = proba >= np.asarray(thresholds, dtype=float)
        return np.where(positive, proba, 1.0 - proba)
    return proba.max(axis=1)


def decide(task: str, classes: list[str], proba: np.ndarray, thresholds: Sequence[float] | np.ndarray | None,
           min_confidence: float) -> list[dict[str, Any]]:
    """Per text: the confident decision and what was left unsure.

    Multi-label: ``{"labels": [confident positives], "unsure": [labels whose decision is not confident]}``.
    Single-label: ``{"label": class or "unsure", "best_guess": class, "confidence": p}``.
    """
    conf = confidences(task, proba, thresholds)
    out: list[dict[str, Any]] = []
    if task == "multilabel":
        positive = np.asarray(proba) >= np.asarray(thresholds)
        for row_pos, row_conf in zip(positive, conf):
            sure = row_conf >= min_confidence
            out.append({"labels": [c for c, p, s in zip(classes, row_pos, sure) if p and s],
                        "unsure": [c for c, s in zip(classes, sure) if not s]})
        return out
    best = np.asarray(proba).argmax(axis=1)
    for b, c in zip(best, conf):
        out.append({"label": classes[b] if c >= min_confidence else UNSURE, "best_guess": classes[b],
                    "confidence": round(float(c), 6)})
    return out


def coverage_report(task: str, truth: np.ndarray, predicted: np.ndarray, conf: np.ndarray,
                    min_confidence: float) -> dict[str, Any]:
    """How many decisions are kept at ``min_confidence`` and how accurate the kept ones are,
    against how accurate the left-out ones would have been."""
    sure = conf >= min_confidence
    correct = (truth == predicted)
    kept = int(sure.sum())
    total = int(sure.size)
    return {
        "min_confidence": float(min_confidence),
        "decisions": total,
        "kept": kept,
        "coverage": round(kept / total, 4) if total else 0.0,
        "accuracy_kept": round(float(correct[sure].mean()), 4) if kept else None,
        "accuracy_unsure": round(float(correct[~sure].mean()), 4) if kept < total else None,
        "accuracy_all": round(float(correct.mean()), 4) if total else None,
    }
