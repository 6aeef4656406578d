"""Joining a corpus with annotation files: precedence, errors, and configs that train on them."""

from __future__ import annotations

import json

import pytest
import yaml

from didgah.annotations.join import join_annotations, load_annotated, load_weighted, resolve_labels
from didgah.annotations.store import Annotation
from didgah.data import load_corpus
from didgah.errors import DataError

LABELS = ["security", "refugees", "reconstruction"]
T = "2026-12-06T10:00:00+00:00"


def _ann(row_id, labels, annotator="a", adjudicated=False, file="f.jsonl", line=1):
    return Annotation("c.jsonl", row_id, tuple(labels), annotator, T, adjudicated=adjudicated, file=file, line=line)


def _write(path, lines):
    path.write_text("".join(json.dumps({"source": "data.jsonl", "time": T, **x}, ensure_ascii=False) + "\n"
                            for x in lines), encoding="utf-8")
    return path


def test_precedence_adjudicated_then_last_line_of_an_annotator():
    lines = [_ann("1", ["security"], "a"), _ann("1", ["refugees"], "a"),  # a changed their mind: last wins
             _ann("2", ["security"], "a"), _ann("2", [], "b"), _ann("2", ["refugees"], "c", adjudicated=True),
             _ann("3", ["security"], "a"), _ann("3", ["security"], "b")]
    decided, left_out = resolve_labels(lines)
    assert decided["1"].labels == ("refugees",)
    assert decided["2"].labels == ("refugees",) and decided["2"].adjudicated
    assert decided["3"].labels == ("security",) and left_out == []


def test_disagreement_is_one_error_naming_the_id_and_both_files_unless_resolved():
    lines = [_ann("9", ["security"], "a", file="a.jsonl", line=4), _ann("9", [], "b", file="b.jsonl", line=2)]
    with pytest.raises(DataError) as caught:
        resolve_labels(lines)
    message = str(caught.value)
    assert "'9'" in message and "a.jsonl:4" in message and "b.jsonl:2" in message and "\n" not in message
    assert resolve_labels(lines, "first")[0]["9"].labels == ("security",)
    assert resolve_labels(lines, "adjudicated_only") == ({}, ["9"])


def test_join_takes_labels_from_annotations_and_drops_the_rest(tmp_path, small_rows, write_jsonl):
    rows = [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[:10]]
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    ids = [str(r["id"]) for r in rows]
    ann = _write(tmp_path / "ann.jsonl", [{"id": ids[3], "labels": ["security"], "annotator": "a"},
                                          {"id": ids[1], "labels": [], "annotator": "a"}])
    corpus = load_corpus(str(data), ["title", "text"], None)
    joined = join_annotations(corpus, [str(ann)], str(data), labels=LABELS)
    assert joined.ids == [ids[1], ids[3]] and joined.labels == [[], ["security"]]  # corpus order
    assert joined.texts == [corpus.texts[1], corpus.texts[3]]
    assert "2 of 10 rows" in joined.notes[0] and "8 without annotations left out" in joined.notes[0]
    assert joined.annotation_files[0]["file_fingerprint"].startswith("sha256:")
    with pytest.raises(DataError, match="exactly one label"):
        join_annotations(corpus, [str(ann)], str(data), multilabel=False)


def test_join_errors(tmp_path, small_rows, write_jsonl):
    data = write_jsonl(tmp_path / "data.jsonl", small_rows[:5])
    corpus = load_corpus(str(data), ["title", "text"], None)
    unknown = _write(tmp_path / "unknown.jsonl", [{"id": "no-such-id", "labels": [], "annotator": "a"}])
    with pytest.raises(DataError, match=r"unknown.jsonl:1: id 'no-such-id' is not in"):
        join_annotations(corpus, [str(unknown)], str(data))
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"source": "elsewhere/x.jsonl", "id": "1", "labels": [], "annotator": "a",
                                 "time": T}) + "\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.jsonl").write_text("{}\n")
    with pytest.raises(DataError, match="no line is about"):
        join_annotations(corpus, [str(other)], str(data))
    with pytest.raises(DataError, match="unknown label 'war'"):
        join_annotations(corpus, [str(_write(tmp_path / "w.jsonl", [{"id": "1", "labels": ["war"], "annotator": "a"}]))],
                         str(data), labels=LABELS)


@pytest.mark.slow
def test_a_config_trains_on_annotations_and_records_their_fingerprints(tmp_path, small_rows, write_jsonl, make_config):
    from didgah.experiment.config import load_config
    from didgah.experiment.rerun import data_changes
    from didgah.experiment.runner import run_experiment
    from didgah.rundir import RunDir

    rows = [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[:40]]
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    labelled = small_rows[:30]
    half = [{"id": str(r["id"]), "labels": r["labels"], "annotator": "a"} for r in labelled[:20]]
    rest = [{"id": str(r["id"]), "labels": r["labels"], "annotator": "b"} for r in labelled[20:]]
    a, b = _write(tmp_path / "a.jsonl", half), _write(tmp_path / "b.jsonl", rest)
    config = make_config(tmp_path, data, evaluation={"method": "kfold", "folds": 2})
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["data"].pop("train")  # the corpus comes from the annotation lines
    raw["data"]["annotations"] = ["a.jsonl", "b.jsonl"]
    config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    resolved = load_config(config)
    assert resolved.data.annotations == [str(a.resolve()), str(b.resolve())]
    notes = []
    run = RunDir.open(run_experiment(config, runs_dir=tmp_path / "runs", echo=notes.append))
    assert any("30 of 40 rows" in n and "10 without annotations left out" in n for n in notes)
    environment = run.environment()
    assert environment["data"]["train"]["n"] == 30
    assert set(environment["data"]) >= {"train.annotations[0]", "train.annotations[1]"}
    assert run.config()["data"]["annotations"] == [str(a.resolve()), str(b.resolve())]
    assert data_changes(environment) == []
    with open(b, "a", encoding="utf-8") as handle:  # one more label: the run's data changed
        handle.write(json.dumps({"source": "data.jsonl", "id": str(small_rows[35]["id"]), "labels": [],
                                 "annotator": "b", "time": T}) + "\n")
    changes = data_changes(environment)
    assert len(changes) == 1 and "train.annotations[1]" in changes[0]


def test_config_refuses_no_train_and_no_annotations(tmp_path, small_data, make_config):
    from didgah.errors import ConfigError
    from didgah.experiment.config import load_config

    config = make_config(tmp_path, small_data)
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["data"].pop("train")
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match="data.train: missing required key"):
        load_config(config)


def test_test_and_extra_sources_take_annotations(tmp_path, small_rows, write_jsonl, make_config):
    from didgah.experiment.config import load_config
    from didgah.experiment.sources import load_extra_training, load_training_data

    train = write_jsonl(tmp_path / "train.jsonl", small_rows[:20])
    pool = write_jsonl(tmp_path / "pool.jsonl", [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[20:40]])
    test_lines = _write(tmp_path / "test_ann.jsonl", [{"source": "pool.jsonl", "id": str(r["id"]), "labels": r["labels"],
                                                       "annotator": "a"} for r in small_rows[20:25]])
    extra_lines = _write(tmp_path / "extra_ann.jsonl", [{"source": "pool.jsonl", "id": str(r["id"]), "labels": [],
                                                         "annotator": "a"} for r in small_rows[30:33]])
    config = make_config(tmp_path, train, evaluation={"method": "test"})
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["data"]["test_annotations"] = ["test_ann.jsonl"]  # data.test left out: the corpus the lines name
    raw["data"]["extra_train"] = [{"path": "pool.jsonl", "annotations": ["extra_ann.jsonl"], "name": "pool"}]
    config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    resolved = load_config(config)
    assert resolved.data.extra_train[0].annotations == [str(extra_lines.resolve())]
    main, test = load_training_data(resolved)
    assert len(main) == 20 and main.notes == []  # the main corpus keeps its own labels
    assert test.ids == [str(r["id"]) for r in small_rows[20:25]] and test.source == str(pool.resolve())
    assert test.labels == [r["labels"] for r in small_rows[20:25]]
    [(spec, extra)] = load_extra_training(resolved)
    assert len(extra) == 3 and extra.labels == [[], [], []] and "3 of 20 rows" in extra.notes[0]
    assert test_lines.exists()


def test_load_weighted_gives_each_joined_row_its_stratum_weight(tmp_path, small_rows, write_jsonl):
    rows = [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[:10]]
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    ids = [str(r["id"]) for r in rows]
    ann = _write(tmp_path / "ann.jsonl", [
        {"id": ids[5], "labels": ["refugees"], "annotator": "a", "strategy": "rules:refugees", "pool": 10},
        {"id": ids[2], "labels": [], "annotator": "a", "strategy": "random", "pool": 400},
        {"id": ids[7], "labels": ["refugees"], "annotator": "a", "strategy": "rules:refugees", "pool": 10},
        {"id": ids[0], "labels": [], "annotator": "a", "strategy": "uncertainty"}])
    corpus, weights = load_weighted([str(ann)], ["title", "text"], str(data), labels=LABELS)
    assert corpus.ids == [ids[0], ids[2], ids[5], ids[7]]  # corpus order, rows without a line left out
    assert weights == [None, 400.0, 5.0, 5.0]
    assert corpus.labels == load_annotated([str(ann)], ["title", "text"], str(data), labels=LABELS).labels
