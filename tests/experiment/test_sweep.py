"""Sweeps: planning, validation, running with seeds, skipping finished points, grouped compare."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from didgah.errors import ConfigError, DidgahError
from didgah.experiment.compare import find_run, format_groups, group_runs, list_runs, significance
from didgah.experiment.sweep import plan_sweep, remove_stale_partials, run_sweep

FEATURE_SETS = {"words": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}],
                "lexicon": [{"name": "topic_lexicon.v1"}]}


@pytest.fixture(scope="session")
def sweep_config(make_config):
    """``sweep_config(folder, data, sweep, **changes) -> path``: a small two-fold config with a sweep section."""

    def write(tmp_path, data, sweep, **changes):
        settings = {"evaluation": {"method": "kfold", "folds": 2},
                    "model": {"name": "logistic_regression.v1", "thresholds": {"cv": 2}}, **changes}
        path = make_config(tmp_path, data, **settings)
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        config["sweep"] = sweep
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.fixture
def tiny_data(tmp_path, small_rows, write_jsonl):
    return write_jsonl(tmp_path / "tiny.jsonl", small_rows[:36])


def test_grid_points_are_stable_and_cover_every_combination(tmp_path, tiny_data, sweep_config):
    sweep = {"seeds": [1, 2], "feature_sets": FEATURE_SETS,
             "params": {"model.name": ["logistic_regression.v1", "complement_nb.v1"], "features": ["words", "lexicon"]}}
    path = sweep_config(tmp_path, tiny_data, sweep)
    points = plan_sweep(path)
    assert len(points) == 8 and len({p.point for p in points}) == 4
    assert {(p.shown["model.name"], p.shown["features"]) for p in points} == {
        (m, f) for m in ("logistic_regression.v1", "complement_nb.v1") for f in ("words", "lexicon")}
    assert [p.point for p in plan_sweep(path)] == [p.point for p in points]  # stable
    assert {p.seed for p in points if p.point == points[0].point} == {1, 2}
    # another base config gives other ids for the same overrides
    other = plan_sweep(sweep_config(tmp_path, tiny_data, sweep, evaluation={"method": "kfold", "folds": 3}))
    assert not {p.point for p in other} & {p.point for p in points}


def test_random_search_draws_the_budget_within_the_ranges(tmp_path, tiny_data, sweep_config):
    sweep = {"method": "random", "budget": 5, "seed": 3,
             "params": {"model.params.C": {"low": 0.01, "high": 100, "log": True},
                        "model.params.max_iter": {"low": 100, "high": 500, "int": True},
                        "model.params.class_weight": ["balanced", None]}}
    points = plan_sweep(sweep_config(tmp_path, tiny_data, sweep))
    assert len(points) == 5 and len({p.point for p in points}) == 5
    for p in points:
        assert 0.01 <= p.shown["model.params.C"] <= 100
        assert isinstance(p.shown["model.params.max_iter"], int) and 100 <= p.shown["model.params.max_iter"] <= 500
    assert [p.shown for p in plan_sweep(sweep_config(tmp_path, tiny_data, sweep))] == [p.shown for p in points]


def test_grid_budget_keeps_a_subset(tmp_path, tiny_data, sweep_config):
    sweep = {"budget": 3, "params": {"model.params.C": [0.1, 1, 10, 100]}}
    points = plan_sweep(sweep_config(tmp_path, tiny_data, sweep))
    assert len(points) == 3 and len({p.shown["model.params.C"] for p in points}) == 3


@pytest.mark.parametrize("sweep, message", [
    ({"params": {"model.nme": ["x"]}}, "model.nme: unknown key (did you mean 'name'?)"),
    ({"params": {"model.name": ["logistic_regresion.v1"]}}, "unknown model 'logistic_regresion.v1'"),
    ({"params": {"model.params.C": {"low": 1, "high": 2}}}, "sweep.params.model.params.C: a range needs method: random"),
    ({"method": "random", "params": {"seed": [1]}}, "sweep.budget: random search needs a budget"),
    ({"params": {"features": ["nope"]}, "feature_sets": FEATURE_SETS}, "'nope' is not a feature set"),
    ({"seeds": [1, 1], "params": {"seed": [1]}}, "sweep.seeds: repeated seed"),
    ({"params": {"model.params.C": []}}, "sweep.params.model.params.C: expected a non-empty list"),
    ({"budgt": 3, "params": {"seed": [1]}}, "sweep.budgt: unknown key (did you mean 'budget'?)"),
])
def test_bad_sweeps_are_one_line_config_errors(tmp_path, tiny_data, sweep, message, sweep_config):
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        plan_sweep(sweep_config(tmp_path, tiny_data, sweep))
    assert "\n" not in str(info.value) and str(tmp_path) in str(info.value)


@pytest.mark.slow
def test_sweep_runs_each_point_and_seed_groups_them_and_skips_finished_ones(tmp_path, tiny_data, sweep_config):
    sweep = {"seeds": [1, 2], "feature_sets": FEATURE_SETS,
             "params": {"model.name": ["logistic_regression.v1", "complement_nb.v1"], "features": ["lexicon"]}}
    path = sweep_config(tmp_path, tiny_data, sweep)
    runs_dir = tmp_path / "runs"
    lines: list[str] = []
    made = run_sweep(path, runs_dir=runs_dir, n_jobs=2, echo=lines.append)
    assert len(made) == 4 and len(set(made)) == 4 and sum("[" in line for line in lines) == 4
    for run in made:
        config = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))
        metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        assert metrics["sweep_point"] == config["sweep"]["point"] and config["seed"] == config["sweep"]["seed"]
        assert config["features"][0]["name"] == "topic_lexicon.v1" and config["sweep"]["params"]["features"] == "lexicon"

    groups = group_runs(list_runs(runs_dir))
    assert len(groups) == 2 and all(g["runs"] == 2 and g["seeds"] == [1, 2] and g["folds"] == 4 for g in groups)
    for g in groups:
        means = [json.loads((tmp_path / d / "metrics.json").read_text())["headline"]["mean"] for d in g["run_dirs"]]
        assert g["mean"] == pytest.approx(sum(means) / 2)
        assert g["std_seeds"] == pytest.approx(abs(means[0] - means[1]) / 2 ** 0.5)
    assert groups[0]["mean"] >= groups[1]["mean"]
    table = format_groups(groups)
    assert table.splitlines()[0].startswith("| config | model.name | runs | seeds |")  # features do not vary
    assert groups[0]["config"] in table.splitlines()[2]

    # again: nothing to do; after losing one run and leaving an interrupted one, only that one reruns
    lines.clear()
    assert run_sweep(path, runs_dir=runs_dir, echo=lines.append) == made
    assert "4 already finished" in lines[0] and len(lines) == 1
    shutil.rmtree(made[1])
    stale = runs_dir / f".partial-{made[1].name.rsplit('-', 3)[0]}-20260101-000000-abcdef12-999999999"
    stale.mkdir()
    lines.clear()
    again = run_sweep(path, runs_dir=runs_dir, echo=lines.append)
    # the lost run was made again (its folder was deleted; within the same second it may get the same id)
    assert "3 already finished" in lines[0] and again[0] == made[0] and again[1].is_dir()
    assert sum("[" in line for line in lines) == 1
    assert not stale.exists()


def test_remove_stale_partials_keeps_live_ones(tmp_path):
    import os

    live = tmp_path / f".partial-x-s1-a-{os.getpid()}"
    dead = tmp_path / ".partial-x-s1-b-999999999"
    other = tmp_path / ".partial-y-s1-b-999999999"
    for d in (live, dead, other):
        d.mkdir()
    assert remove_stale_partials(tmp_path, "x-s1") == 1
    assert live.exists() and not dead.exists() and other.exists()


def test_significance_needs_shared_examples(tmp_path, tiny_data, small_rows, make_config, write_jsonl):
    from didgah.experiment.runner import run_experiment

    other_data = write_jsonl(tmp_path / "other.jsonl", [dict(r, id=f"new-{i}") for i, r in enumerate(small_rows[:36])])
    a = run_experiment(make_config(tmp_path, tiny_data, evaluation={"folds": 2}), runs_dir=tmp_path / "runs")
    b = run_experiment(make_config(tmp_path, other_data, evaluation={"folds": 2}), runs_dir=tmp_path / "runs")
    runs = list_runs(tmp_path / "runs")
    with pytest.raises(DidgahError, match="share no evaluated example ids"):
        significance(runs, find_run(a, runs))
    assert b.is_dir()
