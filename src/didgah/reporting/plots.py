"""Figures for notebooks and reports: each function returns a matplotlib ``Figure``.

Persian text is drawn by matplotlib itself (>= 3.11 shapes Arabic script and lays it out right to
left); the font is DejaVu Sans, which ships with matplotlib and has every Persian letter and digit.
No reshaping or bidi package is applied on top.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import precision_recall_curve

from didgah.explain import linear_weights
from didgah.rundir import RunDir

FONT = "DejaVu Sans"
plt.rcParams["font.family"] = FONT


def load_run(run: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A run directory's config, metrics, environment and held-out predictions (dicts pass through)."""
    if isinstance(run, dict):
        return run
    from didgah.experiment.compare import read_run

    out = read_run(Path(run))
    out["predictions"] = RunDir(out["path"]).predictions()
    return out


def label_distribution(labels: list[Any], title: str = "Label distribution") -> Figure:
    """Counts per label; for label lists (multi-label), also the label co-occurrence matrix."""
    multilabel = any(isinstance(v, list) for v in labels)
    counts = Counter(label for row in labels for label in (row if multilabel else [row]))
    if multilabel:
        counts["(none)"] = sum(1 for row in labels if not row)
    names = sorted(counts, key=lambda k: -counts[k])
    fig, axes = plt.subplots(1, 2 if multilabel else 1, figsize=(11 if multilabel else 6, 4), squeeze=False)
    ax = axes[0, 0]
    ax.barh(names[::-1], [counts[n] for n in names[::-1]], color="#4878a8")
    ax.set_xlabel("articles")
    ax.set_title(title)
    if multilabel:
        classes = [n for n in names if n != "(none)"]
        M = np.zeros((len(classes), len(classes)), dtype=int)
        for row in labels:
            for a in row:
                for b in row:
                    M[classes.index(a), classes.index(b)] += 1
        _heatmap(axes[0, 1], M, classes, classes, "Co-occurrence")
    fig.tight_layout()
    return fig


def length_distribution(texts: list[str], title: str = "Text length") -> Figure:
    """Histogram of text lengths in words, with the median marked."""
    lengths = np.array([len(t.split()) for t in texts])
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(lengths, bins=30, color="#4878a8")
    ax.axvline(np.median(lengths), color="#c44e52", linestyle="--", label=f"median {np.median(lengths):.0f}")
    ax.set_xlabel("words")
    ax.set_ylabel("texts")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def _heatmap(ax: Any, M: np.ndarray, rows: list[str], cols: list[str], title: str) -> None:
    ax.imshow(M, cmap="Blues")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            ax.text(j, i, str(M[i, j]), ha="center", va="center",
                    color="white" if M[i, j] > M.max() / 2 else "black")
    ax.set_title(title)


def per_label_f1(run: str | Path | dict[str, Any]) -> Figure:
    """Per-label (per-class) precision, recall and F1: mean over folds with the fold spread as error bars."""
    run = load_run(run)
    per_label = run["metrics"]["summary"]["per_label"]
    names = list(per_label)
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(max(5, 1.4 * len(names)), 3.8))
    for k, (metric, color) in enumerate((("precision", "#8fb0d0"), ("recall", "#d0a08f"), ("f1", "#4878a8"))):
        means = [per_label[n][metric]["mean"] for n in names]
        stds = [per_label[n][metric]["std"] for n in names]
        ax.bar(x + (k - 1) * 0.27, means, 0.27, yerr=stds, capsize=3, label=metric, color=color)
    ax.set_xticks(x, names)
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower right")
    ax.set_title(f"{run['config']['name']}: per-label scores (mean ± std over folds)")
    fig.tight_layout()
    return fig


def confusion_matrices(run: str | Path | dict[str, Any]) -> Figure:
    """Multiclass/stance: the pooled confusion matrix. Multi-label: one 2x2 matrix per label."""
    run = load_run(run)
    labels = run["metrics"]["labels"]
    predictions = run["predictions"]
    if run["metrics"]["task"] == "multilabel":
        fig, axes = plt.subplots(1, len(labels), figsize=(3.2 * len(labels), 3.2), squeeze=False)
        for ax, label in zip(axes[0], labels):
            M = np.zeros((2, 2), dtype=int)
            for p in predictions:
                M[int(label in p["gold"]), int(label in p["predicted"])] += 1
            _heatmap(ax, M, ["no", "yes"], ["no", "yes"], label)
            ax.set_xlabel("predicted")
            ax.set_ylabel("true")
    else:
        fig, ax = plt.subplots(figsize=(1.1 * len(labels) + 2.5, 1.1 * len(labels) + 2))
        M = np.zeros((len(labels), len(labels)), dtype=int)
        for p in predictions:
            M[labels.index(p["gold"]), labels.index(p["predicted"])] += 1
        _heatmap(ax, M, labels, labels, "Confusion matrix (rows: true)")
    fig.tight_layout()
    return fig


def precision_recall_curves(run: str | Path | dict[str, Any]) -> Figure:
    """Precision-recall curve of each label from held-out scores, with the model's threshold marked."""
    run = load_run(run)
    labels = run["metrics"]["labels"]
    thresholds = run["metrics"].get("thresholds") or {}
    multilabel = run["metrics"]["task"] == "multilabel"
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for label in labels:
        truth = np.array([int(label in p["gold"]) if multilabel else int(p["gold"] == label)
                          for p in run["predictions"]])
        scores = np.array([p["scores"][label] for p in run["predictions"]])
        if truth.sum() == 0:
            continue
        precision, recall, cut = precision_recall_curve(truth, scores)
        line = ax.plot(recall, precision, label=label)[0]
        if label in thresholds:
            k = int(np.argmin(np.abs(cut - thresholds[label]))) if len(cut) else 0
            ax.plot(recall[k], precision[k], "o", color=line.get_color(), markersize=8)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    how = ("dots: chosen thresholds" if multilabel and thresholds
           else "one class against the rest, from its score" if not multilabel else "")
    ax.set_title(f"Precision-recall on held-out predictions{f' ({how})' if how else ''}")
    fig.tight_layout()
    return fig


def top_features(model: Any, n: int = 12) -> Figure:
    """The ``n`` most positively weighted features of each label (Persian words and character n-grams)."""
    names = np.asarray(model.feature_names(), dtype=object)
    weights = linear_weights(model)
    fig, axes = plt.subplots(1, len(weights), figsize=(4.2 * len(weights), 0.32 * n + 1.5), squeeze=False)
    for ax, (label, w) in zip(axes[0], weights.items()):
        top = np.argsort(-w)[:n][::-1]
        shown = [str(names[i]).split("__", 1)[-1].replace(" ", "·") for i in top]
        ax.barh(range(len(top)), w[top], color="#4878a8")
        ax.set_yticks(range(len(top)), shown)
        ax.set_title(label)
    fig.suptitle("Top-weighted features per label")
    fig.tight_layout()
    return fig


def leaderboard(runs: list[str | Path | dict[str, Any]]) -> Figure:
    """Headline metric of each run (mean ± std over folds), best first."""
    loaded = [load_run(r) for r in runs]
    loaded.sort(key=lambda r: -r["metrics"]["headline"]["mean"])
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(loaded) + 1.5))
    names = [r["path"].name if "path" in r else r["config"]["name"] for r in loaded][::-1]
    means = [r["metrics"]["headline"]["mean"] for r in loaded][::-1]
    stds = [r["metrics"]["headline"]["std"] for r in loaded][::-1]
    ax.errorbar(means, names, xerr=stds, fmt="o", capsize=3, color="#4878a8")
    for y, (mean, std) in enumerate(zip(means, stds)):
        ax.annotate(f"{mean:.3f} ± {std:.3f}", (mean, y), textcoords="offset points", xytext=(0, 7), ha="center",
                    fontsize=8)
    metric = loaded[0]["metrics"]["headline"]["metric"] if loaded else ""
    ax.set_xlabel(metric)
    if means:  # the axis spans the runs' range, so small differences stay visible
        low = min(m - s for m, s in zip(means, stds))
        high = max(m + s for m, s in zip(means, stds))
        pad = max(0.01, (high - low) * 0.15)
        ax.set_xlim(max(0.0, low - pad), min(1.0, high + pad))
    ax.set_title("Runs (mean ± std over folds)")
    fig.tight_layout()
    return fig
