import numpy as np
import pytest

from didgah.metrics import fnc_score, format_table, multiclass_metrics, multilabel_metrics, stance_metrics, summarize


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


def test_fnc_score_by_hand():
    truth = ["agree", "unrelated", "discuss", "disagree"]
    # related/unrelated right on all four (4 x 0.25), stance right on 2 of 3 related (2 x 0.75)
    assert fnc_score(truth, ["agree", "unrelated", "agree", "disagree"]) == pytest.approx((1 + 1.5) / 3.25)
    assert fnc_score(truth, truth) == 1.0


def test_stance_metrics_add_conventions():
    fnc = stance_metrics(np.array([0, 1, 2, 3]), np.array([0, 1, 2, 2]), ["agree", "disagree", "discuss", "unrelated"])
    assert {"fnc_score", "f1m", "macro_f1", "confusion_matrix"} <= set(fnc) and fnc["f1m"] == fnc["macro_f1"]
    sem = stance_metrics(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), ["favor", "against", "none"])
    assert sem["f_avg"] == pytest.approx((sem["per_label"]["favor"]["f1"] + sem["per_label"]["against"]["f1"]) / 2)
    assert "fnc_score" not in sem


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
