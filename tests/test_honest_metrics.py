"""Figures that say what they mean: correctly empty rows count as right, support is a total."""

from __future__ import annotations

import numpy as np

from didgah.metrics import multilabel_metrics, summarize


def test_samples_f1_counts_a_correctly_empty_row_as_right():
    truth = np.array([[1, 0], [0, 0], [0, 1]])
    predicted = np.array([[1, 0], [0, 0], [0, 0]])
    scores = multilabel_metrics(truth, predicted, ["a", "b"])
    assert scores["samples_f1"] == 2 / 3  # right, right (both empty), wrong (a label missed)


def test_support_over_folds_is_a_total():
    truth = np.array([[1, 0], [1, 1], [0, 1]])
    folds = [multilabel_metrics(truth, truth, ["a", "b"]), multilabel_metrics(truth[:2], truth[:2], ["a", "b"])]
    support = summarize(folds)["per_label"]["a"]["support"]
    assert support["total"] == 4 and support["mean"] == 2.0
