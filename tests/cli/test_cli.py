"""The command line as a user types it: exit codes, one-line errors, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from didgah.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def trained_run(tmp_path, small_data, capsys, make_config):
    assert main(["run", str(make_config(tmp_path, small_data)), "--runs-dir", str(tmp_path / "runs")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    return out


def test_run_prints_metrics_model_and_run_dir_last(trained_run, tmp_path):
    run_dir = trained_run[-1]
    assert run_dir.startswith(str(tmp_path / "runs"))
    assert any(line.startswith("model: ") and line.endswith("model.skops") for line in trained_run)
    assert any(line.startswith("| security |") for line in trained_run)


def test_run_set_overrides(tmp_path, small_data, capsys, make_config):
    config = make_config(tmp_path, small_data)
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "r"), "--set", "name=renamed",
                 "--set", "evaluation.folds=2"]) == 0
    run_dir = capsys.readouterr().out.strip().splitlines()[-1]
    assert "renamed-" in run_dir
    assert len(json.loads(open(f"{run_dir}/metrics.json").read())["folds"]) == 2


def test_compare_prints_leaderboard(trained_run, tmp_path, capsys):
    assert main(["compare", str(tmp_path / "runs")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| rank | run |") and "micro_f1" in out


def test_predict_text_and_file(trained_run, tmp_path, capsys, read_jsonl, write_jsonl):
    model = f"{trained_run[-1]}/model.skops"
    assert main(["predict", model, "--text", "حمله تروریستی داعش به پایگاه نظامی"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["scores"]) == {"security", "refugees", "reconstruction"} and isinstance(result["labels"], list)
    rows = [{"id": 1, "text": "بازسازی خانه‌های زلزله‌زده", "source": "x"}, {"id": 2, "text": "بازی فوتبال", "source": "y"}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out_path = tmp_path / "out" / "labelled.jsonl"
    assert main(["predict", model, "--input", str(src), "--output", str(out_path)]) == 0
    labelled = read_jsonl(out_path)
    assert [r["source"] for r in labelled] == ["x", "y"] and all("labels" in r and "scores" in r for r in labelled)
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("id,text\n1,حمله موشکی\n", encoding="utf-8")
    assert main(["predict", model, "--input", str(csv_path), "--output", str(tmp_path / "o2.jsonl")]) == 0
    assert read_jsonl(tmp_path / "o2.jsonl")[0]["text"] == "حمله موشکی"


def test_evaluate_json(trained_run, small_data, capsys):
    assert main(["evaluate", f"{trained_run[-1]}/model.skops", "--data", str(small_data), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["data"]["n"] == 60 and 0 <= result["micro_f1"] <= 1


def test_normalize_stdin_to_stdout():
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "normalize"], input="كتاب ها و گروههاي مسلح",
                          capture_output=True, text=True, check=True)
    assert done.stdout == "کتاب\u200cها و گروه\u200cهای مسلح\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "missing.yaml"], "missing.yaml: no such config file"),
        (["predict", "nope.skops", "--text", "x"], "nope.skops: no such model file"),
        (["evaluate", str(FIXTURES / "heldout_articles.jsonl"), "--data", "x.jsonl"], "not a skops model file"),
        (["compare", "/nonexistent/runs"], "no such runs directory"),
    ],
)
def test_errors_are_one_line_exit_2_no_traceback(args, message):
    done = subprocess.run([sys.executable, "-m", "didgah.cli", *args], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_bad_rows_in_predict_input(trained_run, tmp_path, capsys, write_jsonl):
    src = write_jsonl(tmp_path / "in.jsonl", [{"body": "x"}])
    assert main(["predict", f"{trained_run[-1]}/model.skops", "--input", str(src), "--output",
                 str(tmp_path / "o.jsonl")]) == 2
    assert "row 0: no field 'text'" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_predict_file_in_two_processes_matches_one(trained_run, tmp_path, sample_rows, monkeypatch, capsys, read_jsonl, write_jsonl):
    from didgah.models import workers

    monkeypatch.setattr(workers, "MIN_PARALLEL_TEXTS", 10)
    model = f"{trained_run[-1]}/model.skops"
    src = write_jsonl(tmp_path / "many.jsonl", [{"id": r["id"], "text": r["text"]} for r in sample_rows[:60]])
    try:
        for jobs in ("1", "2"):
            assert main(["predict", model, "--input", str(src), "--output", str(tmp_path / f"o{jobs}.jsonl"),
                         "--n-jobs", jobs]) == 0
    finally:
        workers._close()
    assert read_jsonl(tmp_path / "o1.jsonl") == read_jsonl(tmp_path / "o2.jsonl")


def test_cli_hamza_choice():
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "normalize", "--hamza", "fold"], input="تأمین",
                          capture_output=True, text=True, check=True)
    assert done.stdout == "تامین\n"
