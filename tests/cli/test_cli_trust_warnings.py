"""``--trust``, ``--empty-text`` and the non-Persian warning, in ``run``, ``predict`` and ``evaluate``."""

from __future__ import annotations

import json

import pytest
import skops.io as sio

from didgah.cli import main
from didgah.experiment.runner import run_experiment
from didgah.persist import load_model

ENGLISH = [{"id": f"e{i}", "title": "Missile attack on the base" if i % 2 else "Rebuilding homes",
            "text": "gunfire troops" if i % 2 else "houses bricks",
            "labels": ["security"] if i % 2 else ["reconstruction"]} for i in range(12)]


class Foreign:
    """A type outside didgah's trusted list."""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, small_rows, make_config, write_jsonl):
    base = tmp_path_factory.mktemp("trust")
    data = write_jsonl(base / "train.jsonl", small_rows)
    return run_experiment(make_config(base, data), runs_dir=base / "runs")


@pytest.fixture
def foreign_model(run_dir, tmp_path):
    model = load_model(run_dir)
    model.metadata_ = {**model.metadata_, "extra": Foreign()}
    path = tmp_path / "foreign.skops"
    sio.dump(model, path)
    return path


def test_bare_trust_lists_needed_types_and_loads_nothing(foreign_model, capsys, monkeypatch):
    monkeypatch.setattr(sio, "load", lambda *a, **k: pytest.fail("a bare --trust must not load the model"))
    assert main(["predict", str(foreign_model), "--trust"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["  test_cli_trust_warnings.Foreign",
                       "to load it anyway, only if you trust the file: --trust test_cli_trust_warnings.Foreign"]
    assert main(["evaluate", str(foreign_model), "--trust"]) == 0
    assert "test_cli_trust_warnings.Foreign" in capsys.readouterr().out


def test_bare_trust_on_a_didgah_model(run_dir, capsys):
    assert main(["evaluate", str(run_dir), "--trust"]) == 0
    assert capsys.readouterr().out.strip().endswith("needs no types beyond didgah's trusted list")


def test_trust_named_types_loads(foreign_model, capsys):
    assert main(["predict", str(foreign_model), "--text", "حمله موشکی"]) == 2
    assert "--trust test_cli_trust_warnings.Foreign" in capsys.readouterr().err
    assert main(["predict", str(foreign_model), "--trust", "test_cli_trust_warnings.Foreign",
                 "--text", "حمله موشکی"]) == 0
    assert "scores" in json.loads(capsys.readouterr().out)


def test_trust_does_not_bypass_the_file_checks(tmp_path, capsys):
    import pickle

    path = tmp_path / "m.pkl"
    path.write_bytes(pickle.dumps([1]))
    assert main(["predict", str(path), "--trust"]) == 2
    assert "pickle/joblib" in capsys.readouterr().err


def test_non_persian_text_is_warned_with_its_share(run_dir, tmp_path, capsys, write_jsonl):
    assert main(["predict", str(run_dir), "--text", "Missile attack on the base"]) == 0
    captured = capsys.readouterr()
    assert "didgah: warning: --text: only 0% of letters are in Persian/Arabic script" in captured.err
    mixed = write_jsonl(tmp_path / "mixed.jsonl", [{"id": "m", "text": "حمله attack on the base", "labels": []}])
    assert main(["predict", str(run_dir), "--input", str(mixed), "--output", str(tmp_path / "o.jsonl")]) == 0
    share = round(100 * 4 / (4 + 15))
    assert f"only {share}% of letters" in capsys.readouterr().err
    english = write_jsonl(tmp_path / "english.jsonl", ENGLISH)
    assert main(["evaluate", str(run_dir), "--data", str(english), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["warnings"] == [f"--data: {english}: only 0% of letters are in Persian/Arabic script; "
                                  "is this a Persian corpus?"]
    assert "only 0% of letters" in captured.err


def test_persian_text_is_not_warned(run_dir, capsys):
    assert main(["predict", str(run_dir), "--text", "حمله موشکی به پایگاه نظامی"]) == 0
    assert capsys.readouterr().err == ""


def test_run_warns_on_a_non_persian_corpus(tmp_path, make_config, write_jsonl):
    data = write_jsonl(tmp_path / "english.jsonl", ENGLISH)
    config = make_config(tmp_path, data, features=[{"name": "tfidf_words.v1", "params": {"min_df": 1}}],
                          model={"name": "logistic_regression.v1", "thresholds": {"tune": False}},
                          evaluation={"method": "kfold", "folds": 2})
    lines = []
    run = run_experiment(config, runs_dir=tmp_path / "runs", echo=lines.append)
    expected = "data.train: only 0% of letters are in Persian/Arabic script; is this a Persian corpus?"
    assert f"warning: {expected}" in lines
    assert json.loads((run / "metrics.json").read_text())["warnings"] == [expected]


def test_empty_text_skip_in_predict_and_evaluate(run_dir, small_rows, tmp_path, capsys, read_jsonl, write_jsonl):
    rows = [{"id": "a", "text": "حمله موشکی"}, {"id": "b", "text": " \u200c "}, {"id": "c", "text": "بازسازی خانه"}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    assert main(["predict", str(run_dir), "--input", str(src), "--output", str(out), "--empty-text", "skip"]) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["a", "c"]
    assert f"--input: {src}: 1 row(s) with empty text in ['text'] (rows 1); left out" in capsys.readouterr().err
    labelled = [dict(r) for r in small_rows[:10]]
    labelled[4].update(title="", text="\t")
    data = write_jsonl(tmp_path / "eval.jsonl", labelled)
    assert main(["evaluate", str(run_dir), "--data", str(data), "--json", "--empty-text", "skip"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["data"]["n"] == 9 and result["data"]["skipped_empty_rows"] == [4]


def test_run_with_skip_names_the_skipped_rows(tmp_path, small_rows, make_config, write_jsonl):
    rows = [dict(r) for r in small_rows]
    rows[2].update(title="\u200c", text="  ")
    data = write_jsonl(tmp_path / "d.jsonl", rows)
    config = make_config(tmp_path, data, data={"empty_text": "skip"})
    lines = []
    run = run_experiment(config, runs_dir=tmp_path / "runs", echo=lines.append)
    assert any(line.startswith("warning: data.train:") and "(rows 2); left out" in line for line in lines)
    env = json.loads((run / "environment.json").read_text())
    assert env["data"]["train"]["skipped_empty_rows"] == [2] and env["data"]["train"]["n"] == 59
