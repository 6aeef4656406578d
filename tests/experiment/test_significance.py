"""Paired significance statistics against scikit-learn, scipy and hand-computed cases."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from didgah.experiment.significance import mcnemar, metric_value, paired_bootstrap


def _random_multilabel(seed, n=80, k=4):
    rng = np.random.default_rng(seed)
    truth = rng.random((n, k)) < 0.4
    pred = truth ^ (rng.random((n, k)) < 0.25)
    return truth, pred


def _one_hot(labels, k):
    return np.eye(k, dtype=bool)[labels]


@pytest.mark.parametrize("metric, average", [("micro_f1", "micro"), ("macro_f1", "macro"), ("weighted_f1", "weighted")])
def test_f1_matches_scikit_learn_with_and_without_resampling(metric, average):
    truth, pred = _random_multilabel(1)
    assert metric_value(truth, pred, metric) == pytest.approx(f1_score(truth, pred, average=average, zero_division=0))
    idx = np.random.default_rng(2).integers(0, len(truth), len(truth))
    weights = np.bincount(idx, minlength=len(truth))
    expected = f1_score(truth[idx], pred[idx], average=average, zero_division=0)
    assert metric_value(truth, pred, metric, weights) == pytest.approx(expected)


def test_single_label_accuracy_and_macro_f1_match_scikit_learn():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 90)
    p = np.where(rng.random(90) < 0.7, y, rng.integers(0, 3, 90))
    assert metric_value(_one_hot(y, 3), _one_hot(p, 3), "accuracy") == pytest.approx(accuracy_score(y, p))
    assert metric_value(_one_hot(y, 3), _one_hot(p, 3), "macro_f1") == pytest.approx(
        f1_score(y, p, average="macro", labels=[0, 1, 2], zero_division=0))


def test_bootstrap_of_identical_systems_is_zero_with_p_one():
    truth, pred = _random_multilabel(4)
    result = paired_bootstrap(truth, pred, pred, "micro_f1", n_resamples=500)
    assert result["diff"] == 0 and result["diff_ci"] == [0.0, 0.0] and result["p_value"] == 1.0
    assert result["a_ci"][0] < result["a"] < result["a_ci"][1]


def test_bootstrap_of_perfect_versus_all_wrong():
    y = np.arange(40) % 2
    result = paired_bootstrap(_one_hot(y, 2), _one_hot(1 - y, 2), _one_hot(y, 2), "accuracy", n_resamples=300)
    assert result["a"] == 0 and result["b"] == 1 and result["diff_ci"] == [1.0, 1.0]
    assert result["p_value"] == pytest.approx(1 / 301)


def test_bootstrap_interval_of_an_accuracy_difference_matches_the_normal_approximation():
    # 200 examples: b right and a wrong on 30, the reverse on 10, the rest the same
    y = np.zeros(200, dtype=int)
    a = np.zeros(200, dtype=int)
    b = np.zeros(200, dtype=int)
    a[:30] = 1
    b[30:40] = 1
    result = paired_bootstrap(_one_hot(y, 2), _one_hot(a, 2), _one_hot(b, 2), "accuracy", n_resamples=4000, seed=5)
    d = np.r_[np.ones(30), -np.ones(10), np.zeros(160)]
    half = 1.96 * d.std() / np.sqrt(200)
    assert result["diff"] == pytest.approx(0.1)
    assert result["diff_ci"][0] == pytest.approx(0.1 - half, abs=0.01)
    assert result["diff_ci"][1] == pytest.approx(0.1 + half, abs=0.01)
    assert result["p_value"] < 0.01
    again = paired_bootstrap(_one_hot(y, 2), _one_hot(a, 2), _one_hot(b, 2), "accuracy", n_resamples=4000, seed=5)
    assert again == result


def test_mcnemar_hand_computed():
    # 10 examples only a gets right, 2 only b: exact p = 2 * (1 + 12 + 66) / 2**12; chi2 = (8 - 1)^2 / 12
    a = np.r_[np.ones(10), np.zeros(2), np.ones(5), np.zeros(3)].astype(bool)
    b = np.r_[np.zeros(10), np.ones(2), np.ones(5), np.zeros(3)].astype(bool)
    result = mcnemar(a, b)
    assert (result["b"], result["c"]) == (10, 2)
    assert result["p_exact"] == pytest.approx(158 / 4096)
    assert result["chi2"] == pytest.approx(49 / 12)
    assert result["p_chi2"] == pytest.approx(0.043308, abs=1e-6)
    assert mcnemar(a, a) == {"b": 0, "c": 0, "p_exact": 1.0, "chi2": 0.0, "p_chi2": 1.0}
