"""Where an experiment's data comes from: parts of differently shaped corpora read as one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _parts(tmp_path, small_rows, write_jsonl):
    """The same articles as two corpora of different shapes: one with title/text and labels, one with
    'article'/'news_id', no labels, each article twice (paired with two claims), labelled by an annotation file."""
    first, second = small_rows[:30], small_rows[30:60]
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": r["id"], "title": r["title"], "text": r["text"],
                                           "labels": r["labels"]} for r in first])
    b_rows = [{"news_id": f"n{k}", "article": f"{r['title']}\n{r['text']}", "claim": c}
              for k, r in enumerate(second) for c in ("x", "y")]
    b = write_jsonl(tmp_path / "b.jsonl", b_rows)
    notes = tmp_path / "b-labels.jsonl"
    notes.write_text("".join(json.dumps({"source": "b.jsonl", "id": f"n{k}", "labels": r["labels"], "annotator": "m",
                                         "time": "2026-01-01T00:00:00+00:00"}, ensure_ascii=False) + "\n"
                             for k, r in enumerate(second)), encoding="utf-8")
    return a, b, notes


def test_parts_with_their_own_fields_train_and_test_as_one_corpus(tmp_path, small_rows, write_jsonl, make_config):
    from didgah.experiment.config import load_config
    from didgah.experiment.sources import load_training_data

    a, b, notes = _parts(tmp_path, small_rows, write_jsonl)
    parts = [{"path": str(a), "text_fields": ["title", "text"]},
             {"path": str(b), "text_fields": ["article"], "id_field": "news_id", "annotations": [str(notes)]}]
    config_path = make_config(tmp_path, a, data={"train": parts, "test": parts})
    config = load_config(config_path)
    train, test = load_training_data(config)
    assert len(train) == 60 and len(test) == 60          # each article of b once, though its rows repeat
    assert train.ids[:2] == [small_rows[0]["id"], small_rows[1]["id"]] and train.ids[30] == "n0"
    assert train.texts[30] == f"{small_rows[30]['title']}\n{small_rows[30]['text']}"
    assert train.labels[30] == small_rows[30]["labels"] and train.labels[0] == small_rows[0]["labels"]
    assert train.annotation_files and train.annotation_files[0]["source"].endswith("b-labels.jsonl")
    # the resolved config keeps the parts, paths absolute
    assert config.data.train[1].id_field == "news_id" and config.data.train[0].path == str(a)


def test_a_run_evaluates_on_test_parts(tmp_path, small_rows, write_jsonl, make_config):
    a, b, notes = _parts(tmp_path, small_rows, write_jsonl)
    config = make_config(tmp_path, a, data={"test": [{"path": str(b), "text_fields": ["article"], "id_field": "news_id",
                                                      "annotations": [str(notes)]}]},
                         evaluation={"method": "test"})
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "--quiet", "run", str(config), "--runs-dir",
                           str(tmp_path / "runs")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    run = next((tmp_path / "runs").iterdir())
    predictions = [json.loads(line) for line in (run / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(predictions) == 30 and predictions[0]["id"] == "n0"


@pytest.mark.parametrize("part, message", [
    ({"path": "x.jsonl", "txt_fields": ["a"]}, "data.train[1].txt_fields: unknown key (did you mean 'text_fields'?)"),
    ({"text_fields": ["a"]}, "data.train[1].path: expected a file path or hub id"),
    ({"path": "x.jsonl", "id_field": 3}, "data.train[1].id_field: expected a string or null, got 3"),
])
def test_a_bad_part_is_a_one_line_error(tmp_path, small_data, make_config, part, message):
    from didgah.errors import ConfigError
    from didgah.experiment.config import load_config

    with pytest.raises(ConfigError) as error:
        load_config(make_config(tmp_path, small_data, data={"train": [str(small_data), part]}))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_ids_repeated_across_parts_are_refused(tmp_path, small_data, make_config):
    from didgah.errors import DataError
    from didgah.experiment.config import load_config
    from didgah.experiment.sources import load_training_data

    config = load_config(make_config(tmp_path, small_data, data={"train": [{"path": str(small_data)},
                                                                            {"path": str(small_data)}]}))
    with pytest.raises(DataError, match="ids must be unique across the parts"):
        load_training_data(config)


def test_tune_on_marks_the_main_rows_unless_the_config_says_all(tmp_path, small_rows, write_jsonl, make_config):
    from didgah.experiment.config import load_config
    from didgah.experiment.sources import load_extra_training, load_training_data, tune_on, with_extra

    main = write_jsonl(tmp_path / "main.jsonl", small_rows[:5])
    more = write_jsonl(tmp_path / "more.jsonl", [dict(r, id=f"m{i}") for i, r in enumerate(small_rows[5:8])])
    path = make_config(tmp_path, main, data={"extra_train": [{"name": "more", "path": str(more)}]})
    config = load_config(path)
    train, _ = load_training_data(config)
    inputs = with_extra(train, load_extra_training(config))[0]
    assert list(tune_on(config, train, len(inputs))) == [True] * 5 + [False] * 3
    assert tune_on(load_config(path, ["model.thresholds.tune_on=all"]), train, len(inputs)) is None
    config.data.extra_train = []
    assert tune_on(config, train, len(train)) is None
