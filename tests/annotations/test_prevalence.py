"""Prevalence weights and weighted figures against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from didgah.annotations.prevalence import stratum_weights, weighted_scores
from didgah.annotations.store import Annotation


def _a(i, strategy, pool):
    return Annotation("c", str(i), (), "x", "2026-01-01T00:00:00", strategy=strategy, pool=pool)


def test_weights_are_pool_over_labelled_per_stratum():
    lines = [_a(1, "rules:refugees", 40), _a(2, "rules:refugees", 40), _a(3, "rules:refugees", 40),
             _a(4, "rules:none", 960), _a(5, "rules:none", 960), _a(6, "uncertainty", None)]
    assert stratum_weights(lines) == [40 / 3, 40 / 3, 40 / 3, 480.0, 480.0, None]


def test_weighted_figures_by_hand():
    # 2 items from a stratum of 10 (weight 5), 2 from a stratum of 100 (weight 50), one without weight
    truth = np.array([[1, 0], [1, 1], [0, 0], [1, 0], [1, 1]])
    predicted = np.array([[1, 0], [0, 1], [1, 0], [1, 0], [0, 0]])
    result = weighted_scores(truth, predicted, [5, 5, 50, 50, None], ["a", "b"])
    a = result["per_label"]["a"]
    # label a: tp = 5 + 50, fp = 50, fn = 5 -> precision 55/105, recall 55/60
    assert a["precision"] == pytest.approx(55 / 105, abs=1e-4) and a["recall"] == pytest.approx(55 / 60, abs=1e-4)
    assert a["f1"] == pytest.approx(2 * (55 / 105) * (55 / 60) / (55 / 105 + 55 / 60), abs=1e-4)
    assert a["support"] == 60.0
    b = result["per_label"]["b"]  # tp 5, no fp, no fn
    assert (b["precision"], b["recall"], b["f1"], b["support"]) == (1.0, 1.0, 1.0, 5.0)
    # micro: tp 60, fp 50, fn 5
    assert result["micro_f1"] == pytest.approx(120 / 175, abs=1e-4)
    assert result["n"] == 4 and result["left_out"] == 1
    # unweighted (all 1) the same code gives the plain figures
    plain = weighted_scores(truth, predicted, [1] * 5, ["a", "b"])["per_label"]["a"]
    assert plain["precision"] == pytest.approx(2 / 3, abs=1e-4) and plain["recall"] == pytest.approx(2 / 4, abs=1e-4)


def test_multiclass_indices():
    result = weighted_scores(np.array([0, 1, 1]), np.array([0, 1, 0]), [1.0, 2.0, 2.0], ["x", "y"])
    assert result["per_label"]["y"]["recall"] == 0.5 and result["micro_f1"] == pytest.approx(3 / 5, abs=1e-4)
