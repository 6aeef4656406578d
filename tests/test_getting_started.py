"""A researcher's first steps with their own data: init, check, components, open_run, and the guard
against a multi-class corpus read with the multi-label default."""

from __future__ import annotations

import json

import pytest
import yaml

import didgah
from didgah.cli import main
from didgah.errors import DataError
from didgah.experiment.inspect import check_config, infer_schema


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _holdout_run(tmp_path, data):
    """A small multi-label run with a held-out split, for the tests that need a trained model."""
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "name": "small", "task": "multilabel",
        "data": {"train": str(data), "text_fields": ["title", "text"],
                 "labels": ["security", "refugees", "reconstruction"]},
        "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}],
        "model": {"name": "logistic_regression.v1", "thresholds": {"tune": False}},
        "evaluation": {"method": "holdout"}}), encoding="utf-8")
    return didgah.run_experiment(config, runs_dir=tmp_path / "runs")


@pytest.fixture
def multiclass_data(tmp_path, small_rows):
    rows = [{"id": r["id"], "title": r["title"], "text": r["text"], "topic": (r["labels"] or ["other"])[0]}
            for r in small_rows]
    return _write_jsonl(tmp_path / "topics.jsonl", rows)


def test_init_infers_a_multiclass_config_that_checks_and_runs(multiclass_data, tmp_path, capsys):
    config = tmp_path / "mine.yaml"
    assert main(["init", "--data", str(multiclass_data), "--output", str(config)]) == 0
    note = capsys.readouterr().err
    assert "labels topic (multiclass" in note and "text title + text" in note
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert raw["task"] == "multiclass" and raw["data"]["label_field"] == "topic"
    assert raw["data"]["text_fields"] == ["title", "text"] and raw["data"]["id_field"] == "id"
    assert set(raw["data"]["labels"]) == {"security", "refugees", "reconstruction", "other"}
    assert main(["init", "--data", str(multiclass_data), "--output", str(config)]) == 2  # never overwrites
    assert "exists" in capsys.readouterr().err
    assert main(["check", str(config), "--set", "evaluation.folds=3"]) == 0
    out = capsys.readouterr().out
    assert "valid; task multiclass" in out and f"train: 60 texts from {multiclass_data}" in out
    assert main(["run", str(config), "--set", "evaluation.folds=3", "--runs-dir", str(tmp_path / "runs")]) == 0


def test_init_reads_label_lists_as_multilabel(small_data):
    schema = infer_schema(small_data)
    assert schema["task"] == "multilabel" and schema["label_field"] == "labels"
    assert schema["label_counts"]["security"] > 0 and schema["words"]["median"] > 0


def test_check_reports_sizes_labels_and_duplicates(tmp_path, small_rows):
    rows = [dict(r) for r in small_rows] + [dict(small_rows[0], id="copy")]
    data = _write_jsonl(tmp_path / "d.jsonl", rows)
    test = _write_jsonl(tmp_path / "t.jsonl", [dict(small_rows[1], id="t1"), dict(small_rows[2], id="t2")])
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "name": "c", "task": "multilabel",
        "data": {"train": str(data), "test": str(test), "text_fields": ["title", "text"],
                 "labels": ["security", "refugees", "reconstruction"]},
        "features": [{"name": "tfidf_words.v1"}], "model": {"name": "logistic_regression.v1"},
        "evaluation": {"method": "test"}}), encoding="utf-8")
    report = check_config(config)
    assert report["train"]["n"] == 61 and report["train"]["repeated_within"] == 1
    assert report["test"]["n"] == 2 and report["train_test_duplicates"] == {"exact": 2, "near": 0}
    assert sum(report["train"]["label_counts"].values()) >= 61


def test_a_multiclass_corpus_with_the_multilabel_task_is_refused(multiclass_data, tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "name": "c", "task": "multilabel", "data": {"train": str(multiclass_data), "label_field": "topic"},
        "features": [{"name": "tfidf_words.v1"}], "model": {"name": "logistic_regression.v1"}}), encoding="utf-8")
    with pytest.raises(DataError, match="holds one label per row as text .* set task: multiclass"):
        check_config(config)


def test_components_lists_every_kind_with_defaults(capsys):
    assert main(["components"]) == 0
    out = capsys.readouterr().out
    for expected in ("feature:", "  tfidf_words.v1  ngram_range=[1, 2], min_df=2", "model:",
                     "label_model:", "  learned.v1", "lexicon:", "  topics.v1  (file topic_lexicon.yaml)"):
        assert expected in out


def test_open_run_gives_config_metrics_predictions_and_model(tmp_path, small_data, capsys):
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "name": "small", "task": "multilabel", "seed": 3,
        "data": {"train": str(small_data), "text_fields": ["title", "text"],
                 "labels": ["security", "refugees", "reconstruction"]},
        "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}],
        "model": {"name": "logistic_regression.v1", "thresholds": {"cv": 3}},
        "evaluation": {"method": "kfold", "folds": 3}}), encoding="utf-8")
    run_dir = didgah.run_experiment(config, runs_dir=tmp_path / "runs")
    run = didgah.open_run(run_dir)
    assert didgah.latest_run("small", tmp_path / "runs").path == run_dir
    assert run.config["seed"] == 3 and run.headline["metric"] == "micro_f1"
    assert len(run.predictions) == 60 and {"id", "gold", "predicted", "scores"} <= set(run.predictions[0])
    assert run.model().predict(["حمله موشکی به پایگاه نظامی"])[0] is not None
    assert "open_run" in dir(didgah) and "load_model" in dir(didgah)
    with pytest.raises(didgah.DidgahError, match="not a finished run directory"):
        didgah.open_run(tmp_path)


def test_evaluating_a_predicted_file_is_refused_not_scored_perfect(tmp_path, small_data, capsys):
    run_dir = _holdout_run(tmp_path, small_data)
    predicted = tmp_path / "predicted.jsonl"
    assert main(["predict", str(run_dir), "--input", str(small_data), "--output", str(predicted)]) == 0
    assert main(["evaluate", str(run_dir), "--data", str(predicted)]) == 2
    assert "looks like the output of didgah predict" in capsys.readouterr().err
    assert main(["evaluate", str(run_dir), "--data", str(small_data)]) == 0


def test_predict_streams_batches_to_stdout_with_rows_numbered_in_the_file(tmp_path, small_data, capsys):
    from didgah.predict import predict_file

    run_dir = _holdout_run(tmp_path, small_data)
    capsys.readouterr()
    assert main(["predict", str(run_dir), "--input", str(small_data), "--output", "-"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 60 and all("scores" in json.loads(line) for line in lines)
    assert "labelled 60 rows" in captured.err
    whole = tmp_path / "whole.jsonl"
    batched = tmp_path / "batched.jsonl"
    model = didgah.load_model(run_dir)
    assert predict_file(model, small_data, whole) == predict_file(model, small_data, batched, batch_rows=7) == 60
    assert whole.read_text(encoding="utf-8") == batched.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in small_data.read_text(encoding="utf-8").splitlines()]
    rows[23].update(title="", text=" ")
    broken = _write_jsonl(tmp_path / "broken.jsonl", rows)
    with pytest.raises(DataError, match="rows 23"):
        predict_file(model, broken, tmp_path / "out.jsonl", batch_rows=7)
    assert not (tmp_path / "out.jsonl").exists()
