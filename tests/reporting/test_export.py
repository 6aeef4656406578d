"""Reproducing and sharing runs: rerun, hub-layout export, MLflow logging (offline, local SQLite store)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import yaml

from didgah.errors import DataError, DidgahError, ModelFileError
from didgah.experiment.rerun import rerun
from didgah.experiment.runner import run_experiment
from didgah.persist import load_model
from didgah.reporting.export import export_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory, small_rows, make_config, write_jsonl):
    """One finished run on 40 articles (2 folds) and its data file."""
    folder = tmp_path_factory.mktemp("sharing")
    data = write_jsonl(folder / "data.jsonl", small_rows[:40])
    config = make_config(folder, data, evaluation={"method": "kfold", "folds": 2})
    return run_experiment(config, runs_dir=folder / "runs"), data


def test_rerun_with_the_same_seed_gives_the_same_metrics(trained, tmp_path):
    run, _ = trained
    result = rerun(run, tmp_path / "again")
    assert result["metric_differences"] == {} and result["predictions_changed"] == 0 and result["data_changes"] == []
    assert result["run"].parent == tmp_path / "again" and result["run"] != run
    original = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))
    repeated = yaml.safe_load((result["run"] / "config.yaml").read_text(encoding="utf-8"))
    assert repeated["config_file"] == str(run / "config.yaml")
    assert {k: v for k, v in repeated.items() if k != "config_file"} == \
        {k: v for k, v in original.items() if k != "config_file"}


def test_rerun_refuses_changed_data_unless_allowed_and_reports_the_differences(tmp_path, small_rows, make_config, write_jsonl):
    data = write_jsonl(tmp_path / "data.jsonl", small_rows[:40])
    run = run_experiment(make_config(tmp_path, data, evaluation={"method": "kfold", "folds": 2}),
                         runs_dir=tmp_path / "runs")
    changed = [dict(r, labels=[]) if i < 8 else r for i, r in enumerate(small_rows[:40])]
    write_jsonl(data, changed)
    with pytest.raises(DataError, match=r"the data changed since the run \(train: .*data.jsonl changed"):
        rerun(run, tmp_path / "again")
    result = rerun(run, tmp_path / "again", allow_data_change=True)
    assert any("changed" in c for c in result["data_changes"])
    assert result["metric_differences"] and "summary.micro_f1.mean" in result["metric_differences"]
    old, new = result["metric_differences"]["summary.micro_f1.mean"]
    assert old != new


def test_export_writes_hub_layout_and_loads_again(trained, tmp_path):
    from huggingface_hub import ModelCard

    run, data = trained
    folder = export_model(run, tmp_path / "hub" / "topics-model", license="apache-2.0")
    assert {p.name for p in folder.iterdir()} == {"README.md", "config.json", "model.skops", "model.skops.sha256"}
    card = ModelCard.load(folder / "README.md")  # the hub's own parser, offline
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    assert card.data.language == ["fa"] and card.data.library_name == "sklearn" and card.data.license == "apache-2.0"
    assert card.data.datasets == ["data"] and "f1" in card.data.metrics
    micro = next(r for r in card.data.eval_results if r.metric_name.startswith("micro_f1"))
    assert micro.metric_value == pytest.approx(metrics["summary"]["micro_f1"]["mean"], abs=1e-4)
    assert "## Intended use" in card.text and "didgah.load_model" in card.text
    settings = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert settings["labels"] == ["security", "refugees", "reconstruction"] and settings["model_file"] == "model.skops"
    texts = ["حمله تروریستی به پایگاه نظامی", "بازسازی مدرسه پس از زلزله"]
    assert np.allclose(load_model(folder).predict_proba(texts), load_model(run / "model.skops").predict_proba(texts))
    # a bare model file exports too (card from the model's own metadata)
    bare = export_model(folder / "model.skops", tmp_path / "bare")
    assert load_model(bare).labels == settings["labels"]


def test_export_refuses_a_non_empty_folder_and_a_tampered_model(trained, tmp_path):
    run, _ = trained
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    with pytest.raises(DidgahError, match="already exists and is not empty"):
        export_model(run, tmp_path / "taken")
    folder = export_model(run, tmp_path / "out")
    settings = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**settings, "sha256": "0" * 64}))
    with pytest.raises(ModelFileError, match="checksum does not match config.json"):
        load_model(folder)
    with pytest.raises(ModelFileError, match="without config.json"):
        load_model(tmp_path / "taken")


def test_mlflow_logs_params_fold_metrics_artifacts_and_environment(trained, tmp_path):
    mlflow = pytest.importorskip("mlflow", reason="the optional extra didgah[track] is not installed")
    from didgah.experiment.tracking import log_run

    run, _ = trained
    uri = f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
    run_id = log_run(run, uri, "tests")
    client = mlflow.MlflowClient(tracking_uri=uri)
    logged = client.get_run(run_id)
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    assert logged.data.params["model.name"] == "logistic_regression.v1" and logged.data.params["seed"] == "7"
    assert logged.data.params["features.0.name"] == "tfidf_words.v1"
    history = client.get_metric_history(run_id, "micro_f1")
    assert sorted((m.step, m.value) for m in history) == [(k, f["micro_f1"]) for k, f in enumerate(metrics["folds"])]
    assert logged.data.metrics["micro_f1_mean"] == pytest.approx(metrics["summary"]["micro_f1"]["mean"])
    assert logged.data.metrics["pooled_micro_f1"] == pytest.approx(metrics["pooled"]["micro_f1"])
    artifacts = {a.path for a in client.list_artifacts(run_id)} | {a.path for a in client.list_artifacts(run_id, "model")}
    assert {"config.yaml", "metrics.json", "predictions.jsonl", "environment.json", "model/model.skops"} <= artifacts
    assert logged.data.tags["package.scikit-learn"] and logged.data.tags["python"] == sys.version.split()[0]
    assert logged.info.artifact_uri.startswith((tmp_path / "store" / "mlartifacts").as_uri())
    assert client.get_experiment(logged.info.experiment_id).name == "tests"


def test_without_the_extra_tracking_is_a_one_line_error(trained, tmp_path):
    run, _ = trained
    code = ("import sys; sys.modules['mlflow'] = None\n"
            "from didgah.cli import main\n"
            f"sys.exit(main(['run', {str(run / 'config.yaml')!r}, '--runs-dir', {str(tmp_path)!r}, '--track', 'mlflow']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "pip install 'didgah[track]'" in done.stderr and not list(tmp_path.iterdir())
