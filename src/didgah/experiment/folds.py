"""Train/test splits: seeded, stratified (iterative stratification for multi-label), grouped when asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold, MultilabelStratifiedShuffleSplit
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    ShuffleSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
)

from didgah.errors import ConfigError
from didgah.metrics import indicator

Split = tuple[np.ndarray, np.ndarray]


def kfold(
    labels: list[Any], classes: list[str], folds: int, seed: int, multilabel: bool, groups: list[str] | None = None
) -> Iterator[Split]:
    """Stratified k-fold splits (grouped by ``groups`` when given: no group is in two folds)."""
    n = len(labels)
    if folds < 2 or folds > n:
        raise ConfigError(f"evaluation.folds: {folds} folds for {n} examples; use 2..{n}")
    X = np.zeros((n, 1))
    if groups is not None:
        if len(set(groups)) < folds:
            raise ConfigError(f"evaluation.folds: {folds} folds but only {len(set(groups))} groups")
        if multilabel:
            # Stratify groups by their label signature through StratifiedGroupKFold on the commonest label.
            Y = indicator(labels, classes)
            signature = np.array(["".join(map(str, row)) for row in Y])
            yield from StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(X, signature, groups)
        else:
            counts = np.unique(labels, return_counts=True)[1]
            splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed) if counts.min() >= folds \
                else GroupKFold(folds)
            yield from splitter.split(X, labels, groups)
        return
    if multilabel:
        yield from MultilabelStratifiedKFold(folds, shuffle=True, random_state=seed).split(X, indicator(labels, classes))
        return
    counts = np.unique(labels, return_counts=True)[1]
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed) if counts.min() >= folds \
        else KFold(folds, shuffle=True, random_state=seed)
    yield from splitter.split(X, labels)


def holdout(
    labels: list[Any], classes: list[str], test_size: float, seed: int, multilabel: bool,
    groups: list[str] | None = None, stratify: bool = True,
) -> Split:
    """One seeded train/test split: stratified, or grouped when ``groups`` is given.

    ``stratify=False`` gives exactly scikit-learn's ``train_test_split(..., test_size, random_state=seed)``
    split, for comparison with results published on it.
    """
    if not 0 < test_size < 1:
        raise ConfigError(f"evaluation.test_size: {test_size} must be between 0 and 1")
    n = len(labels)
    X = np.zeros((n, 1))
    if groups is not None:
        return next(GroupShuffleSplit(1, test_size=test_size, random_state=seed).split(X, labels, groups))
    if not stratify:
        return next(ShuffleSplit(1, test_size=test_size, random_state=seed).split(X))
    if multilabel:
        splitter = MultilabelStratifiedShuffleSplit(1, test_size=test_size, random_state=seed)
        return next(splitter.split(X, indicator(labels, classes)))
    counts = np.unique(labels, return_counts=True)[1]
    splitter = StratifiedShuffleSplit(1, test_size=test_size, random_state=seed) if counts.min() >= 2 \
        else ShuffleSplit(1, test_size=test_size, random_state=seed)
    return next(splitter.split(X, labels))
