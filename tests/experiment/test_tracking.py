"""MLflow logging of a finished run (offline, local SQLite store)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def test_mlflow_logs_params_fold_metrics_artifacts_and_environment(finished_run, tmp_path):
    mlflow = pytest.importorskip("mlflow", reason="the optional extra didgah[track] is not installed")
    from didgah.experiment.tracking import log_run

    run, _ = finished_run
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


def test_the_model_is_an_mlflow_pyfunc_that_loads_predicts_and_registers(finished_run, tmp_path, small_rows):
    mlflow = pytest.importorskip("mlflow", reason="the optional extra didgah[track] is not installed")
    import pandas as pd

    from didgah import load_model
    from didgah.experiment.tracking import log_run

    run, _ = finished_run
    uri = f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
    run_id = log_run(run, uri, "tests")
    mlflow.set_tracking_uri(uri)
    try:
        pyfunc = mlflow.pyfunc.load_model(f"runs:/{run_id}/pyfunc")
        rows = small_rows[:6]
        frame = pd.DataFrame([{"title": r["title"], "text": r["text"]} for r in rows])
        out = pyfunc.predict(frame)
        model = load_model(run / "model.skops")
        texts = [f"{r['title']}\n{r['text']}" for r in rows]
        expected = model.predict_proba(texts)
        assert list(out.columns) == ["labels"] + [f"score_{c}" for c in model.classes_]
        assert out[[f"score_{c}" for c in model.classes_]].to_numpy() == pytest.approx(expected, abs=1e-6)
        assert [list(x) for x in out["labels"]] == [[c for c in lab] for lab in model.predict(texts)]
        # a plain list of strings works too, and the model registers under a name
        assert len(pyfunc.predict(["حمله تروریستی در مرز"])) == 1
        version = mlflow.register_model(f"runs:/{run_id}/pyfunc", "didgah-topics")
        assert str(version.version) == "1"
    finally:
        mlflow.set_tracking_uri(None)


def test_without_the_extra_tracking_is_a_one_line_error(finished_run, tmp_path):
    run, _ = finished_run
    code = ("import sys; sys.modules['mlflow'] = None\n"
            "from didgah.cli import main\n"
            f"sys.exit(main(['run', {str(run / 'config.yaml')!r}, '--runs-dir', {str(tmp_path)!r}, '--track', 'mlflow']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "pip install 'didgah[track]'" in done.stderr and not list(tmp_path.iterdir())
