"""Sample weights checked against the data the meta-estimators fit."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from didgah.models import weights
from didgah.models.weights import check_sample_weight


def test_one_finite_weight_per_example():
    X = np.zeros((3, 2))
    assert check_sample_weight([1, 2, 3], X).dtype == np.float64
    assert check_sample_weight(0.5, X).tolist() == [0.5, 0.5, 0.5]
    with pytest.raises(ValueError, match="expected 3 weights"):
        check_sample_weight([1, 2], X)
    with pytest.raises(ValueError, match="expected 3 weights"):
        check_sample_weight([[1, 2, 3]], X)
    with pytest.raises(ValueError, match="finite"):
        check_sample_weight([1, np.nan, 3], X)


def test_docstring_examples():
    assert doctest.testmod(weights).failed == 0
