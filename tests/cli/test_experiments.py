"""The experiment commands as a user types them: sweep, compare --group/--baseline, rerun, export."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from didgah.cli import main
from didgah.experiment.sweep import plan_sweep

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["security", "refugees", "reconstruction", "other"]


@pytest.fixture(scope="module")
def multiclass_runs(tmp_path_factory, small_rows, make_config, write_jsonl):
    """Two configurations x two seeds of a single-label task, run one by one with --set."""
    folder = tmp_path_factory.mktemp("cli-experiments")
    rows = [dict(r, topic=(r["labels"][0] if r["labels"] else "other")) for r in small_rows[:48]]
    data = write_jsonl(folder / "topics.jsonl", rows)
    config = make_config(folder, data, task="multiclass", evaluation={"method": "kfold", "folds": 2},
                          data={"train": str(data), "text_fields": ["title", "text"], "label_field": "topic",
                                "labels": LABELS})
    runs = folder / "runs"
    for model in ("logistic_regression.v1", "complement_nb.v1"):
        for seed in (1, 2):
            assert main(["run", str(config), "--runs-dir", str(runs), "--set", f"model.name={model}",
                         "--set", f"seed={seed}", "--set", f"name={model.split('.')[0]}-s{seed}"]) == 0
    return runs, config


def test_compare_groups_seeds_and_tests_against_the_baseline(multiclass_runs, capsys):
    runs, _ = multiclass_runs
    capsys.readouterr()
    assert main(["compare", str(runs), "--group", "--baseline", "complement_nb-s1", "--format", "json",
                 "--resamples", "500"]) == 0
    out = json.loads(capsys.readouterr().out)
    groups = out["groups"]
    assert [g["runs"] for g in groups] == [2, 2] and {g["model.name"] for g in groups} == {
        "logistic_regression.v1", "complement_nb.v1"}
    assert all(g["metric"] == "macro_f1" and g["seeds"] == [1, 2] and g["folds"] == 4 for g in groups)
    [test] = out["significance"]  # one other configuration, its run with the baseline's seed
    assert "logistic_regression-s1" in test["run"] and "complement_nb-s1" in test["baseline"]
    assert test["n"] == 48 and test["n_resamples"] == 500 and 0 < test["p_value"] <= 1
    assert test["diff_ci"][0] <= test["diff"] <= test["diff_ci"][1]
    mc = test["mcnemar"]
    predictions = {}
    for name in ("logistic_regression-s1", "complement_nb-s1"):
        run = next(p for p in runs.iterdir() if p.name.startswith(name))
        predictions[name] = {r["id"]: r["predicted"] == r["gold"] for r in map(json.loads, open(run / "predictions.jsonl"))}
    a, b = predictions["complement_nb-s1"], predictions["logistic_regression-s1"]
    assert (mc["b"], mc["c"]) == (sum(a[k] and not b[k] for k in a), sum(b[k] and not a[k] for k in a))

    assert main(["compare", str(runs), "--group", "--baseline", "complement_nb-s1", "--resamples", "500"]) == 0
    text = capsys.readouterr().out
    assert "| config | model.name | runs | seeds | macro_f1 (runs: mean ± sd) |" in text
    assert "McNemar b/c, p (exact)" in text and "difference [95% CI]" in text
    assert main(["compare", str(runs), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 4 and {r["seed"] for r in rows} == {"1", "2"}


def test_rerun_and_export_commands(multiclass_runs, tmp_path, capsys):
    runs, _ = multiclass_runs
    run = next(p for p in sorted(runs.iterdir()) if p.name.startswith("complement_nb-s2"))
    capsys.readouterr()
    assert main(["rerun", str(run), "--runs-dir", str(tmp_path / "again")]) == 0
    out = capsys.readouterr().out
    assert "every metric is identical" in out and "0 of 48 predictions differ" in out
    assert main(["export", str(run), "--output", str(tmp_path / "shared-model")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "shared-model")
    assert main(["predict", str(tmp_path / "shared-model"), "--text", "حمله موشکی به پایگاه"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] in LABELS


def test_sweep_command_logs_to_mlflow_when_asked(tmp_path, small_rows, capsys, make_config, write_jsonl):
    mlflow = pytest.importorskip("mlflow", reason="the optional extra didgah[track] is not installed")
    data = write_jsonl(tmp_path / "d.jsonl", small_rows[:30])
    path = make_config(tmp_path, data, evaluation={"method": "kfold", "folds": 2},
                        features=[{"name": "topic_lexicon.v1"}])
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["sweep"] = {"seeds": [1, 2], "params": {"model.name": ["complement_nb.v1"]}}
    config["tracking"] = {"backend": "mlflow", "experiment": "swept"}
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    assert main(["sweep", str(path), "--runs-dir", str(tmp_path / "runs"), "--tracking-uri", uri]) == 0
    out = capsys.readouterr().out
    assert out.count("logged to mlflow") == 2 and "| config | runs | seeds |" in out
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("swept")
    logged = client.search_runs([experiment.experiment_id])
    assert sorted(r.data.params["seed"] for r in logged) == ["1", "2"]
    assert len({r.data.tags["didgah.sweep_point"] for r in logged}) == 1


def test_the_sample_sweep_is_three_models_by_two_feature_sets_by_three_seeds(root_dir):
    points = plan_sweep(root_dir / "experiments" / "sweep_topics.yaml")
    assert len(points) == 18 and len({p.point for p in points}) == 6 and {p.seed for p in points} == {1, 2, 3}
    assert {p.shown["model.name"] for p in points} == {"logistic_regression.v1", "linear_svm.v1", "complement_nb.v1"}


@pytest.mark.parametrize("args, message", [
    (["run", str(ROOT / "experiments" / "sweep_topics.yaml")], "has a sweep: section; run it with `didgah sweep"),
    (["sweep", str(ROOT / "experiments" / "topics.yaml")], "sweep: expected a mapping with params"),
    (["rerun", "/nonexistent/run"], "/nonexistent/run: not a finished run directory"),
    (["export", "/nonexistent/run", "--output", "/tmp/x"], "neither a run directory with model.skops nor a model file"),
])
def test_experiment_command_errors_are_one_line(args, message):
    done = subprocess.run([sys.executable, "-m", "didgah.cli", *args], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_a_hub_dataset_id_offline_is_a_one_line_error(tmp_path):
    config = tmp_path / "hub.yaml"
    config.write_text("name: hub\ndata: {train: someone/persian-news, train_split: train}\n"
                      "features: [{name: tfidf_words.v1}]\nmodel: {name: logistic_regression.v1}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "run", str(config), "--runs-dir", str(tmp_path / "r")],
                          capture_output=True, text=True)  # the tests' environment keeps the hub offline
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "data.train: 'someone/persian-news' is not a local file and the hub is offline" in done.stderr
    assert not any((tmp_path / "r").iterdir())  # no run directory, finished or partial
