"""Calibration of multi-label scores, abstention decisions and their coverage report, through the CLI too."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from didgah.abstain import UNSURE, coverage_report, decide
from didgah.experiment.runner import run_experiment
from didgah.models.multilabel import ThresholdedMultiLabel


@pytest.fixture
def trained_run(tmp_path, small_data, make_config):
    config = make_config(tmp_path, small_data, model={"name": "logistic_regression.v1", "calibration": "sigmoid",
                                                       "thresholds": {"cv": 3}})
    return run_experiment(config, runs_dir=tmp_path / "runs")


def _overconfident_problem(seed=0):
    X, y = make_classification(n_samples=600, n_features=200, n_informative=5, flip_y=0.15, random_state=seed)
    return X[:300], y[:300], X[300:], y[300:]


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_calibration_on_held_out_folds_improves_probabilities(method):
    X, y, X_new, y_new = _overconfident_problem()
    raw = ThresholdedMultiLabel(LogisticRegression(C=100.0, max_iter=2000), random_state=0).fit(X, y[:, None])
    cal = ThresholdedMultiLabel(LogisticRegression(C=100.0, max_iter=2000), random_state=0,
                                calibration=method).fit(X, y[:, None])
    brier = lambda m: float(np.mean((m.predict_proba(X_new)[:, 0] - y_new) ** 2))  # noqa: E731
    assert brier(cal) < brier(raw) - 0.02
    p = cal.predict_proba(X_new)[:, 0]
    assert p.min() >= 0.0 and p.max() <= 1.0
    order = np.argsort(raw.predict_proba(X_new)[:, 0])
    assert np.all(np.diff(p[order]) >= -1e-9)  # a monotone map of the raw scores


def test_unknown_calibration_is_refused():
    X, y, _, _ = _overconfident_problem()
    with pytest.raises(ValueError, match="calibration"):
        ThresholdedMultiLabel(LogisticRegression(), calibration="platt").fit(X, y[:, None])


def test_multilabel_decisions_leave_unconfident_labels_unsure():
    proba = np.array([[0.95, 0.40, 0.05], [0.55, 0.10, 0.70]])
    out = decide("multilabel", ["security", "refugees", "reconstruction"], proba, np.array([0.5, 0.3, 0.5]), 0.8)
    assert out[0] == {"labels": ["security"], "unsure": ["refugees"]}
    assert out[1] == {"labels": [], "unsure": ["security", "reconstruction"]}


def test_single_label_decisions_abstain_below_the_confidence():
    proba = np.array([[0.7, 0.2, 0.1], [0.4, 0.35, 0.25]])
    out = decide("multiclass", ["a", "b", "c"], proba, None, 0.6)
    assert [o["label"] for o in out] == ["a", UNSURE]
    assert out[1]["best_guess"] == "a" and out[1]["confidence"] == 0.4


def test_coverage_report_counts_kept_and_left_out_decisions():
    truth = np.array([1, 0, 1, 1])
    predicted = np.array([1, 0, 0, 1])
    conf = np.array([0.9, 0.95, 0.55, 0.6])
    report = coverage_report("multiclass", truth, predicted, conf, 0.7)
    assert report["kept"] == 2 and report["coverage"] == 0.5
    assert report["accuracy_kept"] == 1.0 and report["accuracy_unsure"] == 0.5 and report["accuracy_all"] == 0.75


def test_cli_predict_and_evaluate_with_min_confidence(trained_run, tmp_path):
    model = trained_run / "model.skops"
    cmd = [sys.executable, "-m", "didgah.cli"]
    text = "حمله تروریستی در مرز، ده‌ها خانواده را آواره کرد و بازسازی خانه‌ها هنوز آغاز نشده است."
    lenient = json.loads(subprocess.run(cmd + ["predict", str(model), "--text", text, "--min-confidence", "0"],
                                        capture_output=True, text=True, check=True).stdout)
    strict = json.loads(subprocess.run(cmd + ["predict", str(model), "--text", text, "--min-confidence", "1"],
                                       capture_output=True, text=True, check=True).stdout)
    assert lenient["unsure"] == [] and lenient["labels"]
    assert strict["labels"] == [] and len(strict["unsure"]) == 3
    bad = subprocess.run(cmd + ["predict", str(model), "--text", text, "--min-confidence", "1.5"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--min-confidence" in bad.stderr and "Traceback" not in bad.stderr
    result = json.loads(subprocess.run(
        cmd + ["evaluate", str(model), "--data", str(trained_run / "predictions.jsonl"), "--label-field", "gold",
               "--json", "--min-confidence", "0.9"], capture_output=True, text=True, check=True).stdout)
    a = result["abstention"]
    assert 0 < a["kept"] <= a["decisions"] == 3 * result["data"]["n"]


def test_unwritable_output_is_one_line_error(trained_run, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "حمله تروریستی در مرز"}\n', encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "predict", str(trained_run / "model.skops"),
                           "--input", str(source), "--output", str(blocker / "out.jsonl")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and "--output: cannot write" in done.stderr


def test_label_rows_gives_the_models_own_labels(trained_run, small_rows):
    from didgah.persist import load_model
    from didgah.predict import label_rows

    model = load_model(trained_run / "model.skops")
    rows = [{"text": r["text"]} for r in small_rows[:20]]
    assert [r["labels"] for r in label_rows(model, rows, ["text"], "rows")] == model.predict([r["text"] for r in rows])
