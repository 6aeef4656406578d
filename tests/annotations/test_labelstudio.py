"""Label Studio: export a corpus with its annotations, import them back, and read a real-shaped export."""

from __future__ import annotations

import json

import pytest

from didgah.annotations.labelstudio import export_tasks, import_export, label_config
from didgah.annotations.store import AnnotationWriter, read_annotations, write_annotations
from didgah.data import load_corpus
from didgah.errors import DataError

LABELS = ["security", "refugees", "reconstruction"]


def test_round_trip_through_label_studio_json(tmp_path, small_rows, write_jsonl):
    data = write_jsonl(tmp_path / "corpus.jsonl", small_rows[:6])
    ids = [str(r["id"]) for r in small_rows[:6]]
    with AnnotationWriter(tmp_path / "a.jsonl", "maryam", "corpus.jsonl", LABELS) as writer:
        writer.write(ids[0], ["security", "refugees"], borderline=True, note="دو موضوع")
        writer.write(ids[2], [])
    corpus = load_corpus(str(data), ["title", "text"], None)
    tasks = export_tasks(corpus, "corpus.jsonl", [str(tmp_path / "a.jsonl")])
    assert len(tasks) == 6 and tasks[0]["data"]["didgah_id"] == ids[0] and tasks[0]["data"]["text"] == corpus.texts[0]
    assert "predictions" in tasks[0] and "predictions" not in tasks[1]
    exported = tmp_path / "tasks.json"
    exported.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    back = import_export(exported, LABELS, predictions=True)
    original = read_annotations(tmp_path / "a.jsonl")
    assert [(a.id, a.labels, a.annotator, a.borderline, a.note, a.source) for a in back] == \
        [(a.id, a.labels, a.annotator, a.borderline, a.note, a.source) for a in original]
    assert import_export(exported, LABELS) == []  # pre-annotations only when asked for
    write_annotations(tmp_path / "back.jsonl", back)
    assert len(read_annotations(tmp_path / "back.jsonl", LABELS)) == 2
    assert '<Choice value="refugees"/>' in label_config(LABELS) and 'choice="single"' in label_config(LABELS, False)


def test_import_a_label_studio_export(tmp_path):
    export = [
        {"id": 1, "data": {"text": "...", "id": "a-1"}, "annotations": [
            {"completed_by": 3, "was_cancelled": False, "updated_at": "2026-12-01T09:00:00.123456Z",
             "result": [{"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["refugees"]}},
                        {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["اردوگاه"]}}]},
            {"completed_by": {"id": 4, "email": "sara@example.org"}, "was_cancelled": True, "result": []}]},
        {"id": 2, "data": {"text": "...", "id": "a-2"}, "annotations": [
            {"completed_by": {"id": 4, "email": "sara@example.org"}, "created_at": "2026-12-01T10:00:00Z",
             "result": [{"from_name": "borderline", "type": "choices", "value": {"choices": ["borderline"]}}]}]},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    lines = import_export(path, LABELS, source="corpus.jsonl")
    assert [(a.id, a.labels, a.annotator, a.note, a.borderline) for a in lines] == [
        ("a-1", ("refugees",), "labelstudio:3", "اردوگاه", False), ("a-2", (), "sara@example.org", None, True)]
    write_annotations(tmp_path / "out.jsonl", lines)
    assert len(read_annotations(tmp_path / "out.jsonl")) == 2  # the times are valid ISO times
    with pytest.raises(DataError, match="name the corpus with --source"):
        import_export(path, LABELS)
    with pytest.raises(DataError, match="task 0: unknown label 'refugees'"):
        import_export(path, ["security"], source="c.jsonl")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="not a Label Studio JSON export"):
        import_export(path)
