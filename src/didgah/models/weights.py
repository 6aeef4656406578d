"""Sample weights for the meta-estimators: one array of per-example weights, checked against the data."""

from __future__ import annotations

from typing import Any

import numpy as np


def check_sample_weight(sample_weight: Any, X: Any) -> np.ndarray:
    """``sample_weight`` as a float array with one finite value per row of ``X`` (a number: that weight
    for every row), as scikit-learn's estimators take it; a ValueError names what is wrong.

    >>> check_sample_weight([1, 2], np.zeros((2, 3))).tolist(), check_sample_weight(2, np.zeros((2, 1))).tolist()
    ([1.0, 2.0], [2.0, 2.0])
    """
    n_samples = X.shape[0] if hasattr(X, "shape") else len(X)
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight: expected {n_samples} weights (one per example), got shape {weights.shape}")
    if not np.isfinite(weights).all():
        raise ValueError("sample_weight: weights must be finite numbers")
    return weights
