"""Task metrics for one evaluation, and their mean +- std over folds."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    hamming_loss,
    precision_recall_fscore_support,
)


def indicator(labels: list[list[str]], classes: list[str]) -> np.ndarray:
    """Multi-label lists -> 0/1 matrix with columns in ``classes`` order."""
    index = {c: i for i, c in enumerate(classes)}
    Y = np.zeros((len(labels), len(classes)), dtype=int)
    for row, values in enumerate(labels):
        for v in values:
            Y[row, index[v]] = 1
    return Y


def _per_label(y_true: np.ndarray, y_pred: np.ndarray, classes: list[str], **kw: Any) -> dict[str, dict[str, float]]:
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, zero_division=0, **kw)
    return {
        c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
        for i, c in enumerate(classes)
    }


def multilabel_metrics(Y_true: np.ndarray, Y_pred: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """Per-label P/R/F1/support, micro/macro/weighted/samples F1, subset accuracy, Hamming loss."""
    Y_true, Y_pred = np.asarray(Y_true, dtype=int), np.asarray(Y_pred, dtype=int)
    kw = {"zero_division": 0}
    return {
        "per_label": _per_label(Y_true, Y_pred, classes),
        "micro_f1": float(f1_score(Y_true, Y_pred, average="micro", **kw)),
        "macro_f1": float(f1_score(Y_true, Y_pred, average="macro", **kw)),
        "weighted_f1": float(f1_score(Y_true, Y_pred, average="weighted", **kw)),
        # a text with no gold and no predicted label is right, not 0/0: it counts 1
        "samples_f1": float(f1_score(Y_true, Y_pred, average="samples", zero_division=1)),
        "subset_accuracy": float(accuracy_score(Y_true, Y_pred)),
        "hamming_loss": float(hamming_loss(Y_true, Y_pred)),
        "n": int(len(Y_true)),
    }


def multiclass_metrics(y_true: np.ndarray, y_pred: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """Accuracy, macro/weighted F1, per-class P/R/F1/support and the confusion matrix (rows: true)."""
    labels = list(range(len(classes)))
    return {
        "per_label": _per_label(y_true, y_pred, classes, labels=labels),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", labels=labels, zero_division=0)),
        "weighted_f1": float(f1_score(y_true, y_pred, average="weighted", labels=labels, zero_division=0)),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "n": int(len(y_true)),
    }


FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")


def fnc_score(y_true: list[str], y_pred: list[str]) -> float:
    """FNC-1 relative score: 0.25 for telling related from unrelated, 0.75 more for the right related stance.

    Divided by the best achievable score (labels compared case-insensitively).
    """
    score = best = 0.0
    for t, p in zip(y_true, y_pred):
        t, p = t.lower(), p.lower()
        related_t, related_p = t != "unrelated", p != "unrelated"
        best += 1.0 if related_t else 0.25
        if related_t == related_p:
            score += 0.25
            if related_t and t == p:
                score += 0.75
    return score / best if best else 0.0


def stance_metrics(y_true: np.ndarray, y_pred: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """Multiclass metrics plus the stance conventions that apply to the label set.

    4-way agree/disagree/discuss/unrelated: the FNC-1 relative score and F1m (macro-F1 of the four).
    favor/against(/none): SemEval-2016's F_avg, the mean F1 of favor and against.
    """
    result = multiclass_metrics(y_true, y_pred, classes)
    lower = [c.lower() for c in classes]
    if set(FNC_LABELS) <= set(lower):
        names = [classes[int(i)] for i in y_true], [classes[int(i)] for i in y_pred]
        result["fnc_score"] = fnc_score(*names)
        result["f1m"] = float(np.mean([result["per_label"][classes[lower.index(c)]]["f1"] for c in FNC_LABELS]))
    if {"favor", "against"} <= set(lower):
        result["f_avg"] = float(np.mean([result["per_label"][classes[lower.index(c)]]["f1"] for c in ("favor", "against")]))
    return result


HEADLINE = {"multilabel": "micro_f1", "multiclass": "macro_f1", "stance": "macro_f1"}


def summarize(folds: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean and standard deviation over folds of every scalar metric and every per-label score; a
    label's support also gets its ``total`` over the folds (the number of gold examples evaluated)."""
    summary: dict[str, Any] = {}
    for key, value in folds[0].items():
        if isinstance(value, (int, float)) and key != "n":
            values = [f[key] for f in folds]
            summary[key] = {"mean": float(np.mean(values)), "std": float(np.std(values))}
    per_label = {}
    for label, scores in folds[0]["per_label"].items():
        per_label[label] = {
            k: {"mean": float(np.mean([f["per_label"][label][k] for f in folds])),
                "std": float(np.std([f["per_label"][label][k] for f in folds]))}
            for k in scores
        }
        per_label[label]["support"]["total"] = int(sum(f["per_label"][label]["support"] for f in folds))
    summary["per_label"] = per_label
    return summary


def format_table(metrics: dict[str, Any], task: str) -> str:
    """A markdown table of per-label scores and the headline figures of one evaluation."""
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, s in metrics["per_label"].items():
        lines.append(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    keys = ["micro_f1", "macro_f1", "weighted_f1", "subset_accuracy", "hamming_loss"] if task == "multilabel" \
        else ["accuracy", "macro_f1", "weighted_f1", "fnc_score", "f1m", "f_avg"]
    lines.append("")
    lines.append("  ".join(f"{k}={metrics[k]:.3f}" for k in keys if k in metrics))
    return "\n".join(lines)
