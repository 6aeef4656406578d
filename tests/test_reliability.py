"""What didgah promises when the machine or the input misbehaves: a full disk, Ctrl-C while writing, a
lone surrogate, a huge text, damaged runs, foreign warnings. Each ends in one line and loses nothing."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
import warnings

import pytest

from didgah.cli import main
from didgah.data import bound_length, json_line
from didgah.errors import DataError, DidgahWarning
from didgah.persist import load_model
from didgah.text.normalizer import PersianNormalizer


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, small_rows, make_config, write_jsonl):
    base = tmp_path_factory.mktemp("reliability")
    data = write_jsonl(base / "train.jsonl", small_rows)
    assert main(["run", str(make_config(base, data)), "--runs-dir", str(base / "runs")]) == 0
    return next(p for p in (base / "runs").iterdir() if not p.name.startswith("."))


def test_full_disk_during_run_is_one_line_and_leaves_nothing(tmp_path, small_data, monkeypatch, capsys, make_config):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "runs" / "x" / "model.skops"))

    monkeypatch.setattr("didgah.experiment.recording.save_model", full)
    code = main(["run", str(make_config(tmp_path, small_data)), "--runs-dir", str(tmp_path / "runs")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("didgah: error: ") and "No space left on device" in err[0]
    assert list((tmp_path / "runs").iterdir()) == []


def test_ctrl_c_while_predict_writes_leaves_no_partial_file(run_dir, tmp_path, monkeypatch, capsys, write_jsonl):
    rows = [{"id": i, "text": "حمله موشکی به پایگاه"} for i in range(50)]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    out.write_text("an earlier result\n", encoding="utf-8")
    written = []

    def line_then_interrupt(row):
        written.append(row)
        if len(written) == 10:
            raise KeyboardInterrupt
        return json.dumps(row, ensure_ascii=False) + "\n"

    monkeypatch.setattr("didgah.predict.json_line", line_then_interrupt)
    assert main(["predict", str(run_dir), "--input", str(source), "--output", str(out)]) == 130
    assert out.read_text(encoding="utf-8") == "an earlier result\n"  # the old output is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_lone_surrogate_is_labelled(run_dir):
    """Invalid UTF-8 on the command line reaches Python as lone surrogates (surrogateescape)."""
    model = load_model(run_dir)
    assert len(model.predict(["حمله \ud800 موشکی", "\udfff"])) == 2
    assert PersianNormalizer(cache=False).fit_transform(["a\ud800b"]) == ["a\ufffdb"]
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "predict", str(run_dir), "--text",
                           "حمله موشکی ".encode() + b"\xed\xa0\x80"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)) == {"labels", "scores"}


def test_json_line_escapes_lone_surrogates():
    line = json_line({"text": "حمله \ud800"})
    line.encode("utf-8")  # strict: fails on a raw surrogate
    assert json.loads(line) == {"text": "حمله \ud800"}


def test_long_text_is_cut_with_a_warning_or_refused():
    texts = ["کوتاه", "ب" * 50]
    with pytest.warns(DidgahWarning, match=r"1 text\(s\) over preprocess.max_chars \(20 characters\)"):
        assert bound_length(texts, 20) == ["کوتاه", "ب" * 20]
    with pytest.raises(DataError, match="text 1 has 50 characters, over preprocess.max_chars"):
        bound_length(texts, 20, "error")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bound_length(texts, None) == texts
        normalizer = PersianNormalizer(max_chars=30, cache=False)
    with pytest.warns(DidgahWarning):
        assert len(normalizer.fit_transform(["حمله " * 100])[0]) <= 30


def test_long_text_through_predict_is_one_warning_line(run_dir, tmp_path, capsys, write_jsonl):
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "حمله موشکی " * 20_000}, {"text": "بازسازی"}])
    assert main(["predict", str(run_dir), "--input", str(source), "--output", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["didgah: warning: 1 text(s) over preprocess.max_chars (100,000 characters) were cut to that "
                   "length (the longest had 219,999)"]


def test_compare_leaves_out_a_damaged_run_with_one_warning(run_dir, tmp_path, capsys):
    runs = tmp_path / "runs"
    shutil.copytree(run_dir, runs / "good")
    shutil.copytree(run_dir, runs / "edited")
    (runs / "edited" / "metrics.json").write_text('{"headline": ', encoding="utf-8")
    assert main(["compare", str(runs)]) == 0
    captured = capsys.readouterr()
    assert "good" in captured.out and "edited" not in captured.out
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("didgah: warning: ")
    assert str(runs / "edited" / "metrics.json") in err[0] and "damaged run file" in err[0]


def test_warnings_are_one_line_once_and_scikit_learns_class_note_is_silent(monkeypatch, capsys):
    def noisy(args):
        warnings.warn("The least populated class in y has only 1 members, which is less than n_splits=5.",
                      UserWarning, stacklevel=1)
        warnings.simplefilter("always")  # as when other libraries reset the filters: every fold warns again
        for _ in range(3):
            warnings.warn("normalization cache /x is not usable (disk I/O error); normalizing without it",
                          DidgahWarning, stacklevel=1)
        warnings.warn("something\nelse", FutureWarning, stacklevel=1)
        return 0

    monkeypatch.setattr("didgah.cli.cmd_normalize", noisy)
    assert main(["normalize"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "didgah: warning: normalization cache /x is not usable (disk I/O error); normalizing without it",
        "didgah: warning: FutureWarning: something else",
    ]


def test_normalize_refuses_invalid_utf8():
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "normalize"], input=b"ok\ncaf\xe9\n",
                          capture_output=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == ["didgah: error: stdin line 2: not valid UTF-8 (save the text as UTF-8)"]


def test_report_and_export_never_write_into_a_run(run_dir, tmp_path, capsys):
    before = {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()}
    assert main(["report", str(run_dir), "--output", str(run_dir.parent)]) == 2
    assert "is a run directory" in capsys.readouterr().err
    assert main(["export", str(run_dir), "--output", str(run_dir)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()} == before
    assert main(["export", str(run_dir), "--output", str(tmp_path / "hub")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub"]  # no temporary folder left beside it


def test_a_run_reads_long_texts_already_cut(tmp_path, small_rows, capsys, make_config, write_jsonl):
    rows = [dict(r) for r in small_rows]
    rows[0]["text"] = "حمله موشکی به پایگاه. " * 10_000
    data = write_jsonl(tmp_path / "long.jsonl", rows)
    config = make_config(tmp_path, data, preprocess={"max_chars": 5_000})
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "runs")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "data.train" in err[0] and "1 text(s) over preprocess.max_chars (5,000" in err[0]
    run = next((tmp_path / "runs").iterdir())
    texts = [json.loads(line)["text"] for line in (run / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert max(len(t) for t in texts) <= 5_000  # duplicates, fingerprints and predictions saw the cut text
    config = make_config(tmp_path, data, preprocess={"max_chars": 5_000, "long_text": "error"})
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "runs2")]) == 2
    assert "long.jsonl text 0 has 220,053 characters, over preprocess.max_chars (5,000)" in capsys.readouterr().err
