import json

import pytest
import yaml

from didgah.errors import DataError
from didgah.experiment.runner import run_experiment
from didgah.rundir import RUN_FILES, is_finished_run


def test_run_directory_holds_everything(tmp_path, small_data, read_jsonl, make_config):
    run = run_experiment(make_config(tmp_path, small_data), runs_dir=tmp_path / "runs")
    assert is_finished_run(run)
    for name in RUN_FILES:
        assert (run / name).is_file()
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["headline"]["metric"] == "micro_f1" and 0 <= metrics["headline"]["mean"] <= 1
    assert len(metrics["folds"]) == 3 and set(metrics["summary"]["per_label"]) == {"security", "refugees", "reconstruction"}
    for key in ("precision", "recall", "f1", "support"):
        assert "mean" in metrics["summary"]["per_label"]["security"][key]
    assert {"subset_accuracy", "hamming_loss", "macro_f1", "weighted_f1"} <= set(metrics["summary"])
    predictions = read_jsonl(run / "predictions.jsonl")
    assert len(predictions) == 60 and {p["fold"] for p in predictions} == {0, 1, 2}
    env = json.loads((run / "environment.json").read_text())
    assert env["seed"] == 7 and env["packages"]["scikit-learn"] and env["data"]["train"]["n"] == 60
    assert env["data"]["train"]["file_fingerprint"].startswith("sha256:")
    config = yaml.safe_load((run / "config.yaml").read_text())
    assert config["features"][0]["params"]["min_df"] == 1 and config["model"]["params"]["C"] == 10.0
    card = (run / "model_card.md").read_text()
    assert "## Intended use" in card and "## Limitations" in card and "security" in card


def test_same_config_and_seed_give_identical_metrics(tmp_path, small_data, make_config):
    config = make_config(tmp_path, small_data)
    a = json.loads((run_experiment(config, runs_dir=tmp_path / "r1") / "metrics.json").read_text())
    b = json.loads((run_experiment(config, runs_dir=tmp_path / "r2") / "metrics.json").read_text())
    for m in (a, b):
        m.pop("fit_seconds")
        m.pop("model_sha256")
    assert a == b


def test_multiclass_holdout_and_test_methods(tmp_path, small_rows, read_jsonl, make_config, write_jsonl):
    rows = [dict(r, topic=(r["labels"][0] if r["labels"] else "other")) for r in small_rows]
    train = write_jsonl(tmp_path / "train.jsonl", rows[:45])
    test = write_jsonl(tmp_path / "test.jsonl", rows[45:])
    common = dict(task="multiclass", data={"train": str(train), "text_fields": ["title", "text"], "label_field": "topic",
                                           "labels": ["security", "refugees", "reconstruction", "other"]})
    run = run_experiment(make_config(tmp_path, train, evaluation={"method": "holdout", "test_size": 0.3}, **common),
                         runs_dir=tmp_path / "runs")
    m = json.loads((run / "metrics.json").read_text())
    assert m["headline"]["metric"] == "macro_f1" and len(m["folds"]) == 1
    assert len(m["folds"][0]["confusion_matrix"]) == 4
    common["data"]["test"] = str(test)
    run = run_experiment(make_config(tmp_path, train, evaluation={"method": "test"}, **common),
                         runs_dir=tmp_path / "runs")
    preds = read_jsonl(run / "predictions.jsonl")
    assert len(preds) == 15 and all(isinstance(p["predicted"], str) for p in preds)


def test_duplicates_between_folds_are_reported(tmp_path, small_rows, make_config, write_jsonl):
    rows = small_rows + [dict(small_rows[0], id="copy-0"), dict(small_rows[1], id="copy-1")]
    data = write_jsonl(tmp_path / "dups.jsonl", rows)
    run = run_experiment(make_config(tmp_path, data), runs_dir=tmp_path / "runs")
    dup = json.loads((run / "metrics.json").read_text())["duplicates"]
    assert dup["exact"] >= 1 and {p["test_id"] for p in dup["pairs"]} & {"copy-0", "copy-1", small_rows[0]["id"],
                                                                       small_rows[1]["id"]}


def test_failed_run_leaves_no_finished_directory(tmp_path, small_rows, monkeypatch, make_config, write_jsonl):
    data = write_jsonl(tmp_path / "d.jsonl", small_rows)
    import didgah.experiment.recording as recording

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(recording, "save_model", broken)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(make_config(tmp_path, data), runs_dir=tmp_path / "runs")
    assert list((tmp_path / "runs").iterdir()) == []


def test_bad_label_in_data_is_data_error(tmp_path, small_rows, make_config, write_jsonl):
    rows = small_rows[:10] + [dict(small_rows[10], labels=["sports"])]
    data = write_jsonl(tmp_path / "d.jsonl", rows)
    with pytest.raises(DataError, match="row 10: label 'sports'"):
        run_experiment(make_config(tmp_path, data), runs_dir=tmp_path / "runs")


def test_extra_training_source_skips_evaluated_groups(tmp_path, small_rows, make_config, write_jsonl):
    rows = [dict(r, story=f"s{i % 6}") for i, r in enumerate(small_rows)]
    data = write_jsonl(tmp_path / "main.jsonl", rows)
    extra_rows = [dict(r, id=f"x{i}", story=f"s{i % 6}") for i, r in enumerate(small_rows[:12])]
    extra = write_jsonl(tmp_path / "extra.jsonl", extra_rows)
    config = make_config(tmp_path, data, data={
        "train": str(data), "text_fields": ["title", "text"], "label_field": "labels", "group_field": "story",
        "labels": ["security", "refugees", "reconstruction"],
        "extra_train": [{"name": "more", "path": str(extra), "weight": 0.5}]})
    run = run_experiment(config, runs_dir=tmp_path / "runs")
    metrics = json.loads((run / "metrics.json").read_text())
    # each fold holds 2 of the 6 stories; the 2 extra rows of each evaluated story are left out
    assert sum(metrics["extra_rows_left_out"]) == 12 and all(n > 0 for n in metrics["extra_rows_left_out"])
    env = json.loads((run / "environment.json").read_text())
    assert env["data"]["more"]["n"] == 12 and env["data"]["more"]["weight"] == 0.5


def test_test_set_with_its_own_text_fields_and_several_files(tmp_path, small_rows, read_jsonl, make_config, write_jsonl):
    train = write_jsonl(tmp_path / "train.jsonl", small_rows[:40])
    bodies = [{"id": r["id"], "body": r["text"], "labels": r["labels"]} for r in small_rows[40:]]
    part1 = write_jsonl(tmp_path / "t1.jsonl", bodies[:10])
    part2 = write_jsonl(tmp_path / "t2.jsonl", bodies[10:])
    config = make_config(tmp_path, train, data={"test": [str(part1), str(part2)], "test_text_fields": ["body"]},
                          evaluation={"method": "test"})
    run_dir = run_experiment(config, runs_dir=tmp_path / "runs")
    predictions = read_jsonl(run_dir / "predictions.jsonl")
    assert [p["id"] for p in predictions] == [r["id"] for r in small_rows[40:]]
    assert predictions[0]["text"] == small_rows[40]["text"]


def test_weight_field_scales_each_extra_row(small_rows, tmp_path, make_config, write_jsonl):
    from didgah.experiment.config import load_config
    from didgah.experiment.sources import load_extra_training, load_training_data, with_extra

    extra_rows = [dict(r, id=f"x{i}", confidence=c) for i, (r, c) in enumerate(zip(small_rows[:3], [0.9, 0.5, 0.0]))]
    extra = write_jsonl(tmp_path / "silver.jsonl", extra_rows)
    config = make_config(tmp_path, write_jsonl(tmp_path / "main.jsonl", small_rows[3:10]), data={
        "extra_train": [{"name": "silver", "path": str(extra), "weight": 2.0, "weight_field": "confidence"}]})
    resolved = load_config(config)
    train, _ = load_training_data(resolved)
    _, _, weights, _ = with_extra(train, load_extra_training(resolved))
    assert weights == [1.0] * 7 + [1.8, 1.0, 0.0]
    bad = write_jsonl(tmp_path / "bad.jsonl", [dict(extra_rows[0], confidence="high")])
    resolved.data.extra_train[0].path = str(bad)
    with pytest.raises(DataError, match="row 0: confidence must be a non-negative number"):
        with_extra(train, load_extra_training(resolved))
