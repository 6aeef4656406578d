"""`didgah report` says what a reader of a run needs: folds, data, commit, mistakes, config; figures in
the format asked for; titles and axes that fit the run."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import yaml

import didgah
from didgah.cli import main
from didgah.reporting import plots


def _multiclass_run(tmp_path, small_rows):
    rows = [{"id": r["id"], "title": r["title"], "text": r["text"], "topic": (r["labels"] or ["other"])[0]}
            for r in small_rows]
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "name": "mc", "task": "multiclass",
        "data": {"train": str(data), "text_fields": ["title", "text"], "label_field": "topic"},
        "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}],
        "model": {"name": "logistic_regression.v1"}, "evaluation": {"method": "kfold", "folds": 3}}),
        encoding="utf-8")
    return didgah.run_experiment(config, runs_dir=tmp_path / "runs")


def test_report_page_has_folds_data_commit_mistakes_and_config(tmp_path, small_rows, capsys):
    run_dir = _multiclass_run(tmp_path, small_rows)
    assert main(["report", str(run_dir), "--output", str(tmp_path / "out"), "--format", "svg", "--dpi", "80"]) == 0
    page = (tmp_path / "out" / run_dir.name / "report.html").read_text(encoding="utf-8")
    for part in ("<h2>folds</h2>", "<h2>data</h2>", "<h2>mistakes</h2>", "git commit", "held-out predictions differ",
                 "name: mc", "task: multiclass", 'src="confusion.svg"'):
        assert part in page, part
    assert (tmp_path / "out" / run_dir.name / "precision_recall.svg").read_text().startswith("<?xml")
    assert page.count("<tr><td>") >= 3 + 3  # three folds and at least three labels


def test_titles_and_axes_fit_the_runs(tmp_path, small_rows):
    run_dir = _multiclass_run(tmp_path, small_rows)
    run = plots.load_run(run_dir)
    figure = plots.precision_recall_curves(run)
    assert "chosen thresholds" not in figure.axes[0].get_title()
    close = [dict(run, metrics={**run["metrics"], "headline": {"metric": "macro_f1", "mean": m, "std": 0.004}},
                  config={**run["config"], "name": f"r{m}"}) for m in (0.91, 0.92)]
    for r in close:
        r.pop("path", None)
    figure = plots.leaderboard(close)
    low, high = figure.axes[0].get_xlim()
    assert high - low < 0.2  # a difference of 0.01 is visible
    plt.close("all")
