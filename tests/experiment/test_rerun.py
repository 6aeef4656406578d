"""Rerunning a finished run: same seed, same metrics; changed data refused unless allowed."""

from __future__ import annotations

import pytest
import yaml

from didgah.errors import DataError
from didgah.experiment.rerun import rerun
from didgah.experiment.runner import run_experiment


def test_rerun_with_the_same_seed_gives_the_same_metrics(finished_run, tmp_path):
    run, _ = finished_run
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
