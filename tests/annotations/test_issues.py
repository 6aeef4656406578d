"""Likely label errors from a finished run's out-of-fold scores (cleanlab)."""

from __future__ import annotations

import pytest

from didgah.errors import DidgahError

pytest.importorskip("cleanlab")


@pytest.mark.slow
def test_planted_label_errors_rank_first(tmp_path, small_rows, make_config, write_jsonl):
    from didgah.annotations.issues import label_issues
    from didgah.experiment.runner import run_experiment

    rows = [dict(r) for r in small_rows]
    planted = []
    for row in rows:
        if len(planted) < 5 and row["labels"] == ["security"]:
            row["labels"] = ["reconstruction"]
            planted.append(str(row["id"]))
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    run = run_experiment(make_config(tmp_path, data, evaluation={"method": "kfold", "folds": 3}), runs_dir=tmp_path / "runs")
    issues = label_issues(run)
    top = [row["id"] for row in issues[:10]]
    assert len(set(planted) & set(top)) >= 4, (planted, top)
    assert issues[0]["rank"] == 1 and {"gold", "predicted", "scores", "text"} <= set(issues[0])
    assert len(label_issues(run, top=3)) == 3


def test_needs_a_cross_validated_run(finished_run, tmp_path):
    import shutil

    import yaml

    from didgah.annotations.issues import label_issues

    run, _ = finished_run
    copy = tmp_path / run.name
    shutil.copytree(run, copy)
    config = yaml.safe_load((copy / "config.yaml").read_text(encoding="utf-8"))
    config["evaluation"]["method"] = "holdout"
    (copy / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DidgahError, match="evaluation.method kfold"):
        label_issues(copy)
