"""Bad input through the real ``didgah`` command: every case exits with code 2 and one stderr line that
names the file, row or key at fault, and never prints a traceback.

Every case runs ``python -m didgah.cli`` in its own process. The processes start together (a pool of
four) in one module fixture, because each one pays the import cost of the toolkit.
"""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from didgah.experiment.runner import run_experiment

LABELS = ["security", "refugees", "reconstruction"]


class Stranger:
    """A type outside didgah's trusted list (the subprocess only reads its name, never imports it)."""


def _config(ctx, folder: Path, source: Path, **changes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return ctx["make_config"](folder, source, **changes)


def _raw_config(ctx, folder: Path, data: Path, edit) -> Path:
    """A valid small config, changed by ``edit(dict)`` before it is written."""
    path = _config(ctx, folder, data)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _run(folder: Path, config: Path, *extra: str) -> list[str]:
    return ["run", str(config), "--runs-dir", str(folder / "runs"), *extra]


# ------------------------------------------------------------------------------------------------
# Each case: (folder, ctx) -> (arguments, substrings the error line must contain)
# ctx holds "rows" (60 labelled Persian articles), "data" (them as JSONL), "model" (a trained model
# file in its run directory), "run" (that run directory) and the conftest helpers "make_config" and
# "write_jsonl".
# ------------------------------------------------------------------------------------------------


def config_missing(folder, ctx):
    return _run(folder, folder / "missing.yaml"), ["missing.yaml", "no such config file"]


def config_not_utf8(folder, ctx):
    path = _config(ctx, folder, ctx["data"])
    path.write_bytes(path.read_text(encoding="utf-8").replace("small", "caf\u00e9").encode("latin-1"))
    return _run(folder, path), [str(path), "not valid UTF-8"]


def config_invalid_yaml(folder, ctx):
    path = folder / "bad.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("name: x\ndata: {train: a.jsonl\nmodel: [\n", encoding="utf-8")
    return _run(folder, path), [str(path), "line 3", "invalid YAML"]


def config_unknown_key(folder, ctx):
    path = _raw_config(ctx, folder, ctx["data"], lambda raw: raw.update(modle={"name": "x"}))
    return _run(folder, path), [str(path), "modle: unknown key", "did you mean 'model'"]


def config_unknown_nested_key(folder, ctx):
    path = _raw_config(ctx, folder, ctx["data"], lambda raw: raw["evaluation"].update(fold=3))
    return _run(folder, path), ["evaluation.fold: unknown key", "did you mean 'folds'"]


def config_unknown_model_param(folder, ctx):
    path = _raw_config(ctx, folder, ctx["data"], lambda raw: raw["model"].update(params={"c": 3}))
    return _run(folder, path), ["model.params.c", "did you mean 'C'"]


def config_wrong_type(folder, ctx):
    path = _raw_config(ctx, folder, ctx["data"], lambda raw: raw["evaluation"].update(folds="three"))
    return _run(folder, path), [str(path), "evaluation.folds: expected an integer", "'three'"]


def override_wrong_type(folder, ctx):
    return _run(folder, _config(ctx, folder, ctx["data"]), "--set", "seed=[1, 2]"), ["seed: expected an integer"]


def data_missing(folder, ctx):
    path = _config(ctx, folder, folder / "nowhere.jsonl")
    return _run(folder, path), ["data.train", "no such file", "nowhere.jsonl"]


def data_not_utf8(folder, ctx):
    data = folder / "cp1256.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in ctx["rows"][:5]]
    data.write_bytes("\n".join(lines).encode("cp1256", "replace"))  # Windows Arabic code page
    return _run(folder, _config(ctx, folder, data)), ["data.train", str(data), "line 1", "not valid UTF-8"]


def data_utf16(folder, ctx):
    data = folder / "utf16.csv"
    folder.mkdir(parents=True, exist_ok=True)
    data.write_text("id,title,text,labels\n1,خبر,متن,security\n", encoding="utf-16")
    return _run(folder, _config(ctx, folder, data)), ["data.train", str(data), "not valid UTF-8"]


def data_empty_file(folder, ctx):
    data = folder / "empty.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    data.write_text("\n", encoding="utf-8")
    return _run(folder, _config(ctx, folder, data)), [str(data), "is empty"]


def data_malformed_jsonl(folder, ctx):
    data = folder / "broken.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    data.write_text(json.dumps(ctx["rows"][0], ensure_ascii=False) + "\n{\"id\": 2, \"title\": \n",
                    encoding="utf-8")
    return _run(folder, _config(ctx, folder, data)), ["data.train", str(data), "line 2", "not valid JSON"]


def missing_text_column(folder, ctx):
    path = _config(ctx, folder, ctx["data"], data={"text_fields": ["title", "body"]})
    return _run(folder, path), ["data.train", str(ctx["data"]), "no column 'body'"]


def missing_label_column(folder, ctx):
    path = _config(ctx, folder, ctx["data"], data={"label_field": "topics"})
    return _run(folder, path), ["data.train", str(ctx["data"]), "no column 'topics'"]


def empty_texts(folder, ctx):
    rows = [dict(r) for r in ctx["rows"]]
    rows[3].update(title="", text="")
    rows[7].update(title=None, text=None)
    data = ctx["write_jsonl"](folder / "empty_rows.jsonl", rows)
    return _run(folder, _config(ctx, folder, data)), [str(data), "2 row(s) with empty text", "rows 3, 7", "empty_text: skip"]


def whitespace_texts(folder, ctx):
    rows = [dict(r) for r in ctx["rows"]]
    rows[5].update(title=" \t", text="\u00a0\n  ")
    data = ctx["write_jsonl"](folder / "blank_rows.jsonl", rows)
    return _run(folder, _config(ctx, folder, data)), [str(data), "1 row(s) with empty text", "rows 5"]


def label_outside_declared(folder, ctx):
    rows = [dict(r) for r in ctx["rows"]]
    rows[10]["labels"] = ["sports"]
    data = ctx["write_jsonl"](folder / "labels.jsonl", rows)
    return _run(folder, _config(ctx, folder, data)), [str(data), "row 10", "label 'sports'", "declared labels"]


def empty_label_multiclass(folder, ctx):
    rows = [dict(r, topic=(r["labels"] or ["none"])[0]) for r in ctx["rows"]]
    rows[4]["topic"] = " "
    data = ctx["write_jsonl"](folder / "topics.jsonl", rows)
    path = _config(ctx, folder, data, task="multiclass", data={"label_field": "topic", "labels": LABELS + ["none"]})
    return _run(folder, path), [str(data), "row 4", "field 'topic' is empty"]


def duplicate_ids(folder, ctx):
    rows = [dict(r) for r in ctx["rows"]]
    rows[9]["id"] = rows[2]["id"]
    data = ctx["write_jsonl"](folder / "dups.jsonl", rows)
    return _run(folder, _config(ctx, folder, data)), [str(data), "1 duplicate id(s) in field 'id'", repr(rows[2]["id"])]


def no_terms_left(folder, ctx):
    rows = [{"id": i, "title": "Attack", "text": "base", "labels": ["security"] if i % 2 else []} for i in range(12)]
    data = ctx["write_jsonl"](folder / "same.jsonl", rows)
    path = _config(ctx, folder, data, features=[{"name": "tfidf_words.v1", "params": {"min_df": 1}}])
    return _run(folder, path), ["features: no TF-IDF terms left"]


def runs_dir_is_a_file(folder, ctx):
    config = _config(ctx, folder, ctx["data"])
    (folder / "runs").write_text("not a folder", encoding="utf-8")
    return ["run", str(config), "--runs-dir", str(folder / "runs")], [str(folder / "runs"), "cannot create a run folder"]


def predict_input_missing(folder, ctx):
    return (["predict", str(ctx["model"]), "--input", str(folder / "none.jsonl"), "--output", str(folder / "o.jsonl")],
            ["--input", "no such file", "none.jsonl"])


def predict_input_not_utf8(folder, ctx):
    src = folder / "latin1.csv"
    folder.mkdir(parents=True, exist_ok=True)
    src.write_bytes("id,text\n1,ok\n2,caf\u00e9\n".encode("latin-1"))
    return (["predict", str(ctx["model"]), "--input", str(src), "--output", str(folder / "o.jsonl")],
            [str(src), "line 3", "not valid UTF-8"])


def predict_input_missing_text_field(folder, ctx):
    src = ctx["write_jsonl"](folder / "in.jsonl", [{"id": 1, "body": "خبر"}])
    return (["predict", str(ctx["model"]), "--input", str(src), "--output", str(folder / "o.jsonl")],
            [str(src), "row 0", "no field 'text'"])


def predict_input_empty_texts(folder, ctx):
    src = ctx["write_jsonl"](folder / "in.jsonl", [{"text": "حمله موشکی"}, {"text": "  "}, {"text": ""}])
    return (["predict", str(ctx["model"]), "--input", str(src), "--output", str(folder / "o.jsonl")],
            [str(src), "2 row(s) with empty text", "rows 1, 2", "--empty-text skip"])


def predict_text_empty(folder, ctx):
    return ["predict", str(ctx["model"]), "--text", " \u200c "], ["--text", "row(s) with empty text"]


def evaluate_label_outside_model(folder, ctx):
    rows = [dict(r) for r in ctx["rows"][:20]]
    rows[6]["labels"] = ["weather"]
    data = ctx["write_jsonl"](folder / "eval.jsonl", rows)
    return (["evaluate", str(ctx["model"]), "--data", str(data)],
            ["--data", str(data), "row 6", "label 'weather'"])


def evaluate_missing_label_column(folder, ctx):
    data = ctx["write_jsonl"](folder / "eval.jsonl", [{k: v for k, v in r.items() if k != "labels"} for r in ctx["rows"][:5]])
    return ["evaluate", str(ctx["model"]), "--data", str(data)], ["--data", str(data), "no column 'labels'"]


def evaluate_duplicate_ids(folder, ctx):
    rows = [dict(r) for r in ctx["rows"][:8]]
    rows[7]["id"] = rows[0]["id"]
    data = ctx["write_jsonl"](folder / "eval.jsonl", rows)
    return ["evaluate", str(ctx["model"]), "--data", str(data)], [str(data), "duplicate id(s)"]


def evaluate_empty_texts(folder, ctx):
    rows = [dict(r) for r in ctx["rows"][:8]]
    rows[2].update(title="", text=" ")
    data = ctx["write_jsonl"](folder / "eval.jsonl", rows)
    return (["evaluate", str(ctx["model"]), "--data", str(data)],
            [str(data), "rows 2", "--empty-text skip"])


def config_bad_model_param_value(folder, ctx):
    return _run(folder, _config(ctx, folder, ctx["data"]), "--set", "model.params.C=high"), ["model.params.C", "'high'"]


def config_bad_feature_param_value(folder, ctx):
    path = _raw_config(ctx, folder, ctx["data"], lambda raw: raw["features"][0]["params"].update(min_df="two"))
    return _run(folder, path), [str(path), "features[0].params.min_df", "'two'"]


def override_bad_ngram_range(folder, ctx):
    path = _config(ctx, folder, ctx["data"])
    return _run(folder, path, "--set", "features.0.params.ngram_range=3"), ["features[0].params.ngram_range", "got 3"]


def config_bad_normalizer_option(folder, ctx):
    path = _raw_config(ctx, folder, ctx["data"], lambda raw: raw.update(preprocess={"max_chars": 0}))
    return _run(folder, path), ["preprocess.max_chars", "got 0"]


def data_label_cell_not_json(folder, ctx):
    data = folder / "labels.csv"
    folder.mkdir(parents=True, exist_ok=True)
    data.write_text("id,title,text,labels\n1,خبر,حمله موشکی,[security\n2,خبر,بازسازی,[]\n", encoding="utf-8")
    return _run(folder, _config(ctx, folder, data)), [str(data), "row 0", "'labels'", "not one"]


def data_jsonl_broken_line(folder, ctx):
    data = folder / "broken.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    good = [json.dumps(r, ensure_ascii=False) for r in ctx["rows"][:3]]
    data.write_text("\n".join([good[0], '{"id": 2, "title": "x', good[1], good[2]]) + "\n", encoding="utf-8")
    return _run(folder, _config(ctx, folder, data)), [str(data), "line 2", "not valid JSON"]


def data_is_a_folder(folder, ctx):
    (folder / "corpus").mkdir(parents=True, exist_ok=True)
    return _run(folder, _config(ctx, folder, folder / "corpus")), ["data.train", "corpus", "is a folder"]


def predict_output_is_input(folder, ctx):
    src = ctx["write_jsonl"](folder / "in.jsonl", [{"text": "حمله موشکی"}])
    return (["predict", str(ctx["model"]), "--input", str(src), "--output", str(src)],
            ["--output", str(src), "is --input"])


def predict_output_links_to_input(folder, ctx):
    src = ctx["write_jsonl"](folder / "in.jsonl", [{"text": "حمله موشکی"}])
    (folder / "out.jsonl").symlink_to(src)
    return (["predict", str(ctx["model"]), "--input", str(src), "--output", str(folder / "out.jsonl")],
            ["--output", "is --input"])


def predict_output_is_model(folder, ctx):
    src = ctx["write_jsonl"](folder / "in.jsonl", [{"text": "حمله موشکی"}])
    return (["predict", str(ctx["other_model"]), "--input", str(src), "--output", str(ctx["other_model"])],
            ["--output", "is the model"])


def predict_output_is_run_file(folder, ctx):
    src = ctx["write_jsonl"](folder / "in.jsonl", [{"text": "حمله موشکی"}])
    target = ctx["run"] / "metrics.json"
    return (["predict", str(ctx["other_model"]), "--input", str(src), "--output", str(target)],
            ["--output", "is a file of the run"])


def evaluate_label_cell_not_json(folder, ctx):
    data = folder / "labels.csv"
    folder.mkdir(parents=True, exist_ok=True)
    data.write_text("id,title,text,labels\n1,خبر,حمله موشکی,[]\n2,خبر,بازسازی,[security\n", encoding="utf-8")
    return ["evaluate", str(ctx["model"]), "--data", str(data)], [str(data), "row 1", "'labels'"]


# --- model files: each is tried with predict and with evaluate ----------------------------------


def model_missing(folder, ctx):
    return folder / "none.skops", ["none.skops", "no such model file"]


def model_truncated(folder, ctx):
    path = folder / "cut.skops"
    data = ctx["model"].read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path, [str(path), "truncated or another format"]


def model_corrupt(folder, ctx):
    path = folder / "flipped.skops"
    data = bytearray(ctx["model"].read_bytes())
    with zipfile.ZipFile(ctx["model"]) as archive:  # damage the middle of the largest member's data
        info = max(archive.infolist(), key=lambda i: i.compress_size)
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    for k in range(middle, middle + 16):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    return path, [str(path), "corrupt model file"]


def model_changed_after_run(folder, ctx):
    # a model file replaced inside a run directory: its checksum no longer matches the run's records
    run = folder / "run-copy"
    shutil.copytree(ctx["run"], run)
    other = ctx["other_model"].read_bytes()
    (run / "model.skops").write_bytes(other)
    return run / "model.skops", [str(run / "model.skops"), "checksum does not match"]


def model_pickle(folder, ctx):
    path = folder / "model.pkl"
    path.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    return path, [str(path), "pickle/joblib"]


def model_joblib(folder, ctx):
    import joblib

    path = folder / "model.joblib"
    joblib.dump({"weights": [1, 2, 3]}, path)
    return path, [str(path), "pickle/joblib"]


def model_joblib_compressed(folder, ctx):
    import joblib

    path = folder / "model.joblib.z"
    joblib.dump({"weights": list(range(100))}, path, compress=3)
    return path, [str(path), "joblib"]


def model_untrusted_type(folder, ctx):
    return ctx["untrusted"], [str(ctx["untrusted"]), "untrusted types test_bad_input.Stranger", "--trust"]


def model_not_skops(folder, ctx):
    path = folder / "notes.skops"
    path.write_text("not a model", encoding="utf-8")
    return path, [str(path), "not a skops model file"]


def model_zip_without_schema(folder, ctx):
    path = folder / "other.skops"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.pkl", b"\x80\x04N.")
    return path, [str(path), "without schema.json"]


def model_partial_run(folder, ctx):
    partial = folder / "runs" / ".partial-small-abc-999999"
    shutil.copytree(ctx["run"], partial)
    return partial, [str(partial), "unfinished run"]


def model_folder_not_run(folder, ctx):
    return folder, [str(folder), "not a finished run directory"]


def _with_predict(make):
    def case(folder, ctx):
        folder.mkdir(parents=True, exist_ok=True)
        path, expected = make(folder, ctx)
        return ["predict", str(path), "--text", "حمله موشکی به پایگاه"], expected
    return case


def _with_evaluate(make):
    def case(folder, ctx):
        folder.mkdir(parents=True, exist_ok=True)
        path, expected = make(folder, ctx)
        return ["evaluate", str(path), "--data", str(ctx["data"])], expected
    return case


MODEL_CASES = [model_missing, model_truncated, model_corrupt, model_changed_after_run, model_pickle, model_joblib,
               model_joblib_compressed, model_untrusted_type, model_not_skops, model_zip_without_schema,
               model_partial_run, model_folder_not_run]
CASES = {
    f.__name__: f
    for f in [config_missing, config_not_utf8, config_invalid_yaml, config_unknown_key, config_unknown_nested_key,
              config_unknown_model_param, config_wrong_type, override_wrong_type, data_missing, data_not_utf8,
              data_utf16, data_empty_file, data_malformed_jsonl, missing_text_column, missing_label_column,
              empty_texts, whitespace_texts, label_outside_declared, empty_label_multiclass, duplicate_ids, no_terms_left, runs_dir_is_a_file,
              predict_input_missing, predict_input_not_utf8, predict_input_missing_text_field,
              predict_input_empty_texts, predict_text_empty, evaluate_label_outside_model,
              evaluate_missing_label_column, evaluate_duplicate_ids, evaluate_empty_texts,
              config_bad_model_param_value, config_bad_feature_param_value, override_bad_ngram_range,
              config_bad_normalizer_option, data_label_cell_not_json, data_jsonl_broken_line, data_is_a_folder,
              predict_output_is_input, predict_output_links_to_input, predict_output_is_model,
              predict_output_is_run_file, evaluate_label_cell_not_json]
}
# evaluate loads models exactly as predict does: it gets the cases the model-file rules name
EVALUATE_MODEL_CASES = [model_truncated, model_corrupt, model_pickle, model_joblib, model_untrusted_type,
                        model_partial_run]
for _make in MODEL_CASES:
    CASES[f"predict_{_make.__name__}"] = _with_predict(_make)
for _make in EVALUATE_MODEL_CASES:
    CASES[f"evaluate_{_make.__name__}"] = _with_evaluate(_make)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, small_rows, make_config, write_jsonl):
    """Every case's (arguments, expected substrings, finished process, its folder), run four at a time."""
    base = tmp_path_factory.mktemp("bad-input")
    data = write_jsonl(base / "train.jsonl", small_rows)
    run = run_experiment(make_config(base, data), runs_dir=base / "runs")
    other = run_experiment(make_config(base, data, seed=8, name="other"), runs_dir=base / "runs")
    import skops.io as sio

    from didgah.persist import load_model

    strange = load_model(run)
    strange.metadata_ = {**strange.metadata_, "extra": Stranger()}
    untrusted = base / "untrusted.skops"
    sio.dump(strange, untrusted)
    ctx = {"rows": small_rows, "data": data, "run": run, "model": run / "model.skops",
           "other_model": other / "model.skops", "untrusted": untrusted,
           "make_config": make_config, "write_jsonl": write_jsonl}
    prepared = {}
    for name, make in CASES.items():
        folder = base / name
        args, expected = make(folder, ctx)
        prepared[name] = (args, expected, folder)
    protected = [p for p in base.rglob("*") if p.is_file()]  # every file there before the cases ran
    before = {p: p.read_bytes() for p in protected}

    def call(item):
        name, (args, expected, folder) = item
        done = subprocess.run([sys.executable, "-m", "didgah.cli", *args], capture_output=True, text=True,
                              timeout=300)
        return name, (args, expected, done, folder)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(pool.map(call, prepared.items()))
    changed = [str(p) for p, data in before.items() if not p.is_file() or p.read_bytes() != data]
    return results, changed


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2(outcomes, case):
    args, expected, done, folder = outcomes[0][case]
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("didgah: error: "), done.stderr
    for part in expected:
        assert part in lines[0], (part, lines[0])
    runs = folder / "runs"
    if args[0] == "run" and runs.is_dir():  # a run that failed leaves nothing behind
        assert list(runs.iterdir()) == []
    if args[0] == "predict" and "--output" in args:  # nor a half-written output
        output = Path(args[args.index("--output") + 1])
        assert not output.exists() or "is " in lines[0]  # refused targets exist: they were protected
        assert not list(output.parent.glob(f".{output.name}.*.partial"))


@pytest.mark.slow
def test_bad_input_never_changes_a_file(outcomes):
    """No case wrote over an input, a model, a run file or anything else that was there before."""
    assert outcomes[1] == []
