import numpy as np
import pytest

from didgah.metrics import format_table, multiclass_metrics, multilabel_metrics, summarize


def test_multilabel_metrics_by_hand():
    Y = np.array([[1, 0], [1, 1], [0, 0], [0, 1]])
    P = np.array([[1, 0], [1, 0], [1, 0], [0, 1]])
    m = multilabel_metrics(Y, P, ["a", "b"])
    assert m["per_label"]["a"] == {"precision": pytest.approx(2 / 3), "recall": 1.0, "f1": pytest.approx(0.8),
                                   "support": 2}
    assert m["per_label"]["b"]["recall"] == 0.5
    assert m["micro_f1"] == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))
    assert m["subset_accuracy"] == 0.5 and m["hamming_loss"] == pytest.approx(2 / 8)


def test_multiclass_metrics_and_confusion():
    m = multiclass_metrics(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), ["x", "y", "z"])
    assert m["accuracy"] == 0.75
    assert m["confusion_matrix"] == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    assert m["per_label"]["y"]["precision"] == 0.5


def test_summary_mean_and_std():
    folds = [multiclass_metrics(np.array([0, 1]), np.array([0, 1]), ["x", "y"]),
             multiclass_metrics(np.array([0, 1]), np.array([1, 1]), ["x", "y"])]
    s = summarize(folds)
    assert s["accuracy"] == {"mean": 0.75, "std": 0.25}
    assert s["per_label"]["x"]["recall"]["mean"] == 0.5
    assert "accuracy=0.500" in format_table(folds[1], "multiclass")
