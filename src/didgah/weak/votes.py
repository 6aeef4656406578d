"""Apply labelling functions to texts, and describe what they did.

The votes form an array ``(n_texts, n_functions, n_labels)`` of ``POSITIVE`` (1), ``NEGATIVE`` (0) or
``ABSTAIN`` (-1). For each function and each label it votes on, :func:`function_stats` reports:

- coverage: share of texts on which it votes;
- overlap: share of texts on which it votes and some other function votes on the same label;
- conflicts: share of texts on which it votes and some other function votes the other way;
- with gold labels: accuracy (share of its votes that agree with the gold label) and the number of
  correct and wrong votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from didgah.progress import progress
from didgah.text.normalization import NORMALIZED_CACHE, normalize
from didgah.weak.functions import ABSTAIN, NEGATIVE, POSITIVE, LabellingFunction


@dataclass
class VoteMatrix:
    """Votes of ``functions`` (names) on ``labels`` for each text: ``votes[text, function, label]``."""

    votes: np.ndarray
    functions: list[str]
    labels: list[str]

    def fired(self, i: int) -> dict[str, dict[str, int]]:
        """Which functions voted on text ``i``, per label: ``{label: {function: 1 | 0}}``."""
        out: dict[str, dict[str, int]] = {}
        for k, label in enumerate(self.labels):
            out[label] = {self.functions[j]: int(v) for j, v in enumerate(self.votes[i, :, k]) if v != ABSTAIN}
        return out


def normalize_texts(texts: Sequence[str], normalizer: str = "persian_normalizer.v1") -> list[str]:
    """Normalize texts once per process (shared with the models' cache)."""
    out = []
    for text in texts:
        key = (normalizer, text)
        cached = NORMALIZED_CACHE.get(key)
        if cached is None:
            cached = normalize(text, normalizer)
            NORMALIZED_CACHE.put(key, cached)
        out.append(cached)
    return out


def apply_functions(functions: Sequence[LabellingFunction], texts: Sequence[str], labels: Sequence[str],
                    normalizer: str | None = "persian_normalizer.v1") -> VoteMatrix:
    """Vote matrix of ``functions`` on ``texts`` (normalized first unless ``normalizer`` is None).

    Votes on labels outside ``labels`` are ignored.
    """
    texts = normalize_texts(texts, normalizer) if normalizer else list(texts)
    index = {label: k for k, label in enumerate(labels)}
    votes = np.full((len(texts), len(functions), len(labels)), ABSTAIN, dtype=np.int8)
    for j, lf in enumerate(progress(functions, "labelling functions", unit="function")):
        for i, text in enumerate(texts):
            for label, vote in lf(text).items():
                if label in index:
                    votes[i, j, index[label]] = vote
    return VoteMatrix(votes, [lf.name for lf in functions], list(labels))


def function_stats(matrix: VoteMatrix, gold: np.ndarray | None = None) -> list[dict[str, Any]]:
    """One row per (function, label) the function votes on at least once.

    ``gold`` is an optional 0/1 array ``(n_texts, n_labels)`` (rows of texts without gold: -1).
    """
    votes = matrix.votes
    n = votes.shape[0]
    rows = []
    for k, label in enumerate(matrix.labels):
        v = votes[:, :, k]
        voted = v != ABSTAIN
        n_pos = (v == POSITIVE).sum(axis=1)
        n_neg = (v == NEGATIVE).sum(axis=1)
        n_voted = voted.sum(axis=1)
        for j, name in enumerate(matrix.functions):
            mine = voted[:, j]
            if not mine.any():
                continue
            others = n_voted - 1
            polarity = sorted({int(x) for x in v[mine, j]})
            opposite = np.where(v[:, j] == POSITIVE, n_neg, np.where(v[:, j] == NEGATIVE, n_pos, 0))
            row: dict[str, Any] = {
                "function": name,
                "label": label,
                "polarity": "+".join("positive" if p == POSITIVE else "negative" for p in polarity),
                "votes": int(mine.sum()),
                "coverage": float(mine.sum() / n) if n else 0.0,
                "overlap": float((mine & (others > 0)).sum() / n) if n else 0.0,
                "conflicts": float((mine & (opposite > 0)).sum() / n) if n else 0.0,
            }
            if gold is not None:
                known = mine & (gold[:, k] >= 0)
                correct = int((v[known, j] == gold[known, k]).sum())
                row["gold_votes"] = int(known.sum())
                row["correct"] = correct
                row["accuracy"] = float(correct / known.sum()) if known.any() else None
            rows.append(row)
    return rows


def label_coverage(matrix: VoteMatrix) -> dict[str, dict[str, float]]:
    """Per label: share of texts with at least one vote, with a positive vote, with only abstentions."""
    out = {}
    for k, label in enumerate(matrix.labels):
        v = matrix.votes[:, :, k]
        n = max(1, v.shape[0])
        out[label] = {
            "any_vote": float((v != ABSTAIN).any(axis=1).sum() / n),
            "positive_vote": float((v == POSITIVE).any(axis=1).sum() / n),
            "negative_vote": float((v == NEGATIVE).any(axis=1).sum() / n),
            "conflict": float(((v == POSITIVE).any(axis=1) & (v == NEGATIVE).any(axis=1)).sum() / n),
        }
    return out
