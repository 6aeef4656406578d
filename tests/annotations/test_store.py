"""Annotation files: the round trip, resuming, undo, source resolution and each one-line error."""

from __future__ import annotations

import json

import pytest

from didgah.annotations.store import (
    Annotation,
    AnnotationWriter,
    read_annotations,
    resolve_source,
    source_for,
    write_annotations,
)
from didgah.errors import DataError

LABELS = ["security", "refugees", "reconstruction"]


def _line(**changes) -> dict:
    line = {"source": "corpus.jsonl", "id": "1", "labels": ["security"], "annotator": "a", "borderline": False,
            "time": "2026-12-06T10:00:00+00:00"}
    line.update(changes)
    return {k: v for k, v in line.items() if v is not ...}


def test_round_trip_keeps_every_field(tmp_path):
    path = tmp_path / "ann.jsonl"
    with AnnotationWriter(path, "maryam", "corpus.jsonl", LABELS) as writer:
        first = writer.write("7", ["refugees", "security"], borderline=True, note="یک یادداشت", strategy="rules:refugees",
                             pool=120)
        writer.write(8, [])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "یک یادداشت" in lines[0]  # Persian written readable
    read = read_annotations(path, LABELS)
    assert read[0] == first and read[0].line == 1 and read[0].file == str(path)
    assert read[1].id == "8" and read[1].labels == () and not read[1].borderline
    assert "text" not in json.loads(lines[0])  # never the corpus text


def test_writer_resumes_and_undo_removes_only_its_last_line(tmp_path):
    path = tmp_path / "ann.jsonl"
    with AnnotationWriter(path, "maryam", "c.jsonl", LABELS) as writer:
        writer.write("1", ["security"])
    with AnnotationWriter(path, "maryam", "c.jsonl", LABELS) as writer:
        assert writer.done == {"1"}
        writer.write("2", ["refugees"])
        assert writer.retract_last().id == "2"
        assert writer.retract_last() is None  # the line of the earlier session stays
        assert writer.done == {"1"}
    assert [a.id for a in read_annotations(path)] == ["1"]
    assert AnnotationWriter(path, "other", "c.jsonl").done == set()  # another annotator starts afresh


def test_writer_never_joins_a_line_cut_short(tmp_path):
    path = tmp_path / "ann.jsonl"
    path.write_text(json.dumps(_line()), encoding="utf-8")  # no final newline
    with AnnotationWriter(path, "a", "corpus.jsonl") as writer:
        writer.write("2", ["security"])
    assert [a.id for a in read_annotations(path)] == ["1", "2"]


def test_write_annotations_whole_file(tmp_path):
    lines = [Annotation("c.jsonl", str(i), ("security",), "a", "2026-12-06T10:00:00+00:00", adjudicated=True)
             for i in range(3)]
    path = write_annotations(tmp_path / "adj.jsonl", lines)
    assert [a.adjudicated for a in read_annotations(path)] == [True] * 3


@pytest.mark.parametrize("content, expected", [
    ('{"source": "c", "id": "1", \n', ":1: not valid JSON"),
    (json.dumps(_line(annotator=...)), ":1: missing field 'annotator'"),
    (json.dumps(_line(labels="security")), ":1: field 'labels': expected a list"),
    (json.dumps(_line(labels=["securty"])), ":1: field 'labels': unknown label 'securty' (did you mean 'security'?)"),
    (json.dumps(_line(lables=["security"])), ":1: unknown field 'lables' (did you mean 'labels'?)"),
    (json.dumps(_line(time="yesterday")), ":1: field 'time': not an ISO time"),
    (json.dumps(_line(borderline="yes")), ":1: field 'borderline': expected true or false"),
    (json.dumps(_line(id=None)), ":1: field 'id'"),
    (json.dumps(_line(pool=0)), ":1: field 'pool'"),
    ("[1, 2]", ":1: expected a JSON object"),
])
def test_each_bad_line_is_one_error_naming_file_line_and_field(tmp_path, content, expected):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_line()) + "\n\n" + content + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_annotations(path, LABELS)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    assert expected.replace(":1:", ":3:") in message


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such annotation file"):
        read_annotations(tmp_path / "none.jsonl")


def test_sources_resolve_against_the_file_then_the_data_root(tmp_path, monkeypatch):
    folder, root = tmp_path / "ann", tmp_path / "shared"
    (root / "irnews").mkdir(parents=True)
    (root / "irnews" / "train.jsonl").write_text("{}\n")
    folder.mkdir()
    (folder / "local.jsonl").write_text("{}\n")
    annotation_file = folder / "a.jsonl"
    monkeypatch.delenv("DIDGAH_DATA_DIR", raising=False)
    assert resolve_source("local.jsonl", annotation_file) == str((folder / "local.jsonl").resolve())
    with pytest.raises(DataError, match="set DIDGAH_DATA_DIR"):
        resolve_source("irnews/train.jsonl", annotation_file)
    assert resolve_source("someone/dataset", annotation_file) == "someone/dataset"  # a hub id
    monkeypatch.setenv("DIDGAH_DATA_DIR", str(root))
    assert resolve_source("irnews/train.jsonl", annotation_file) == str((root / "irnews" / "train.jsonl").resolve())
    assert source_for(str(root / "irnews" / "train.jsonl"), annotation_file) == "irnews/train.jsonl"
    assert source_for(str(folder / "local.jsonl"), annotation_file) == "local.jsonl"


def test_resume_recognizes_the_same_corpus_however_it_is_written(tmp_path):
    (tmp_path / "c.jsonl").write_text("{}\n")
    path = tmp_path / "ann.jsonl"
    path.write_text(json.dumps(_line(source=str(tmp_path / "c.jsonl"), annotator="m")) + "\n", encoding="utf-8")
    assert AnnotationWriter(path, "m", "c.jsonl").done == {"1"}
    assert AnnotationWriter(path, "m", "other.jsonl").done == set()
