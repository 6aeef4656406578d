"""The stance task end to end: config checks, the sample stance experiment and predict on pairs, the real stance corpora."""

from __future__ import annotations

import json

import pytest

from didgah.cli import main
from didgah.errors import ConfigError
from didgah.experiment.config import load_config
from didgah.experiment.runner import run_experiment


def test_pair_features_need_stance_task(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\ndata: {train: d.jsonl}\nfeatures: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs task: stance"):
        load_config(path)
    path.write_text("name: x\ntask: stance\ndata: {train: d.jsonl}\nfeatures: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="target_field"):
        load_config(path)


def test_sample_stance_experiment_and_predict(tmp_path, capsys, root_dir, read_jsonl, write_jsonl):
    run = run_experiment(root_dir / "experiments" / "stance_sample.yaml", ["evaluation.folds=3"], runs_dir=tmp_path)
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["task"] == "stance" and "f_avg" in metrics["summary"]
    assert metrics["headline"]["mean"] > 0.4  # well above chance (0.33) on 3 classes
    preds = read_jsonl(run / "predictions.jsonl")
    assert len(preds) == 160 and all("target" in p for p in preds)
    rows = [{"target": "بازگشت آوارگان سوری به کشورشان", "text": "دولت از بازگشت داوطلبانه آوارگان استقبال کرد."}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    assert main(["predict", str(run / "model.skops"), "--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 0
    out = read_jsonl(tmp_path / "o.jsonl")[0]
    assert out["label"] in {"favor", "against", "none"} and set(out["scores"]) == {"favor", "against", "none"}
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "بدون هدف"}])
    assert main(["predict", str(run / "model.skops"), "--input", str(bad), "--output", str(tmp_path / "b.jsonl")]) == 2
    assert "no field 'target'" in capsys.readouterr().err
    labelled = write_jsonl(tmp_path / "labelled.jsonl", read_jsonl(root_dir / "data" / "sample_stance.jsonl")[:30])
    assert main(["evaluate", str(run), "--data", str(labelled), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["data"]["n"] == 30 and 0 <= result["f_avg"] <= 1


@pytest.mark.shared
@pytest.mark.parametrize("name", ["stance_farexstance_h2c", "stance_farexstance_b2c", "stance_2019_split",
                                  "stance_2019_cv"])
def test_real_stance_configs_validate_and_find_their_data(name, root_dir, shared_dir):
    config = load_config(root_dir / "experiments" / f"{name}.yaml")
    assert str(shared_dir) in config.data.train or str(shared_dir.resolve()) in config.data.train
    from didgah.experiment.sources import load_training_data

    train, test = load_training_data(config)
    assert len(train) > 1000 and train.targets is not None
    assert all(label in config.data.labels for label in set(train.labels))


@pytest.mark.shared
@pytest.mark.slow
def test_2019_split_reproduces_the_published_split_size(tmp_path, root_dir):
    run = run_experiment(root_dir / "experiments" / "stance_2019_split.yaml", runs_dir=tmp_path)
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["folds"][0]["n"] == 406  # 20% of 2,029 pairs
    assert metrics["summary"]["accuracy"]["mean"] > 0.69  # the dataset's own baseline
