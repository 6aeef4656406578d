"""The Jupyter annotator, driven through its Python API and its keys box (no browser)."""

from __future__ import annotations

import pytest

from didgah.annotations.store import read_annotations

pytest.importorskip("ipywidgets")
LABELS = ["security", "refugees", "reconstruction"]


@pytest.fixture
def annotator(tmp_path, small_rows, write_jsonl):
    from didgah.annotations.widget import Annotator

    rows = [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[:8]]
    data = write_jsonl(tmp_path / "corpus.jsonl", rows)
    annotator = Annotator(str(data), LABELS, tmp_path / "labels.jsonl", "maryam", text_fields=["title", "text"], n=3)
    yield annotator
    annotator.close()


def test_python_api_labels_undoes_and_shows_progress(annotator, tmp_path):
    first = annotator.current.id
    assert "dir='rtl'" in annotator._article.value  # the article reads right to left
    annotator.toggle("security")
    annotator.toggle("3")
    assert annotator._buttons["security"].value and annotator._buttons["reconstruction"].value
    annotator.toggle_borderline()
    annotator.set_note("دو موضوع")
    written = annotator.submit()
    assert written.id == first and written.labels == ("security", "reconstruction") and written.borderline
    assert not annotator._buttons["security"].value  # the next item starts clean
    assert annotator._progress.value == 1 and "2/3" in annotator._status.value
    assert annotator.undo() and annotator.current.id == first and annotator._borderline.value
    assert read_annotations(tmp_path / "labels.jsonl") == []
    annotator.submit()
    annotator.skip()
    annotator.submit()
    assert annotator.current is None and "done" in annotator._article.value
    assert annotator.progress() == {"labelled": 2, "skipped": 1, "remaining": 0, "total": 3, "before": 0}
    assert [a.note for a in read_annotations(tmp_path / "labels.jsonl")] == ["دو موضوع", None]


def test_buttons_and_keys_box_do_what_the_methods_do(annotator, tmp_path):
    annotator._buttons["refugees"].value = True  # a click
    assert annotator.session.selected == ["refugees"]
    annotator._keys.value = "1bn"  # typed: security, borderline, write + next
    assert annotator._keys.value == ""
    [line] = read_annotations(tmp_path / "labels.jsonl")
    assert line.labels == ("security", "refugees") and line.borderline
    annotator._keys.value = "n"  # a multi-label item without labels is a decision too
    annotator._keys.value = "u"
    assert len(read_annotations(tmp_path / "labels.jsonl")) == 1
    annotator.session.multilabel = False
    annotator._keys.value = "n"  # an error is shown, not raised
    assert "exactly one" in annotator._status.value
