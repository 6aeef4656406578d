"""The leaderboard of finished runs."""

from didgah.experiment.compare import leaderboard, list_runs
from didgah.experiment.runner import run_experiment


def test_compare_ranks_finished_runs_only(tmp_path, small_data, make_config):
    runs = tmp_path / "runs"
    run_experiment(make_config(tmp_path, small_data), runs_dir=runs)
    run_experiment(make_config(tmp_path, small_data, model={"name": "complement_nb.v1"}), ["name=nb"], runs_dir=runs)
    (runs / ".partial-x").mkdir()
    (runs / "half-done").mkdir()
    found = list_runs(runs)
    assert len(found) == 2
    table = leaderboard(found)
    assert table.count("\n") == 3 and "complement_nb.v1" in table and "logistic_regression.v1" in table
    scores = [r["metrics"]["headline"]["mean"] for r in found]
    first_row = table.splitlines()[2]
    best = max(found, key=lambda r: r["metrics"]["headline"]["mean"])
    assert best["path"].name in first_row and f"{max(scores):.3f}" in first_row
