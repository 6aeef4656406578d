"""The labelling session both front ends share: queue, label/skip/undo, progress, resuming, the guideline."""

from __future__ import annotations

import pytest

from didgah.annotations.session import label_definitions, open_session
from didgah.annotations.store import read_annotations
from didgah.errors import DidgahError, DidgahWarning

LABELS = ["security", "refugees", "reconstruction"]


@pytest.fixture
def unlabelled(tmp_path, small_rows, write_jsonl):
    rows = [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[:12]]
    return write_jsonl(tmp_path / "corpus.jsonl", rows)


def test_label_skip_undo_and_resume(tmp_path, unlabelled):
    out = tmp_path / "ann" / "labels.jsonl"
    session = open_session(str(unlabelled), LABELS, out, "maryam", text_fields=["title", "text"], n=4, seed=1)
    first = session.current
    assert first.position == 1 and first.total == 4
    from didgah.text.normalization import normalize

    assert first.text == normalize(session.texts[session.queue[0].index], "persian_normalizer.v2")  # shown normalized
    session.toggle("1"), session.toggle("refugees"), session.toggle("1")
    assert session.selected == ["refugees"]
    session.toggle_borderline()
    session.set_note(" not sure ")
    written = session.submit()
    assert (written.labels, written.borderline, written.note, written.strategy) == (("refugees",), True, "not sure", "random")
    assert written.pool == 12
    second = session.current
    session.skip()
    session.toggle("3")
    session.submit()
    assert session.progress() == {"labelled": 2, "skipped": 1, "remaining": 1, "total": 4, "before": 0}
    assert session.undo() and session.selected == ["reconstruction"]  # back to the third item, its labels restored
    assert session.undo() and session.current.id == second.id  # back over the skip
    assert [a.id for a in read_annotations(out)] == [first.id]  # the undone line is gone from the file
    session.submit()  # second item: no label is a decision too
    session.close()
    lines = read_annotations(out)
    assert [a.labels for a in lines] == [("refugees",), ()]
    assert lines[0].source == "../corpus.jsonl"  # relative to the annotation file's folder
    resumed = open_session(str(unlabelled), LABELS, out, "maryam", text_fields=["title", "text"], n=4, seed=1)
    assert resumed.progress()["before"] == 2 and resumed.progress()["total"] == 4  # four new items
    assert {c.id for c in resumed.queue}.isdisjoint({first.id, second.id})


def test_multiclass_takes_one_label(tmp_path, unlabelled):
    session = open_session(str(unlabelled), ["a", "b"], tmp_path / "l.jsonl", "x", text_fields=["title"], n=2,
                           multilabel=False)
    with pytest.raises(DidgahError, match="exactly one"):
        session.submit()
    session.toggle("a"), session.toggle("b")
    assert session.selected == ["b"]


def test_bad_arguments(tmp_path, unlabelled):
    with pytest.raises(DidgahError, match="needs --functions"):
        open_session(str(unlabelled), LABELS, tmp_path / "l.jsonl", "x", strategy="rules")
    with pytest.raises(DidgahError, match="did you mean 'random'"):
        open_session(str(unlabelled), LABELS, tmp_path / "l.jsonl", "x", strategy="randum")
    with pytest.raises(DidgahError, match="is --data"):
        open_session(str(unlabelled), LABELS, unlabelled, "x")
    with pytest.raises(DidgahError, match="unknown label 'war'"):
        open_session(str(unlabelled), LABELS, tmp_path / "l.jsonl", "x", text_fields=["title"]).toggle("war")


def test_guideline_definitions(tmp_path, root_dir):
    guideline = root_dir.parent / "shared" / "annotation" / "topics-guideline.md"
    if not guideline.is_file():
        guideline = tmp_path / "g.md"
        guideline.write_text("# Guide\n## security (امنیت)\nYes: attacks.\n## refugees\nYes: camps.\n"
                             "## reconstruction\nYes: rebuilding.\n## Output\nJSON\n", encoding="utf-8")
    definitions = label_definitions(guideline, LABELS)
    assert set(definitions) == set(LABELS)
    assert definitions["security"].startswith("## security") and "Output" not in definitions["reconstruction"]
    with pytest.warns(DidgahWarning, match="no section headed by sports"):
        label_definitions(guideline, ["security", "sports"])


def test_recheck_offers_another_annotators_positives_and_borderline_items(tmp_path, unlabelled):
    first = open_session(str(unlabelled), LABELS, tmp_path / "a.jsonl", "a", text_fields=["title"], n=4,
                         strategy="random")
    chosen = [c.id for c in first.queue]
    first.toggle("security"), first.submit()  # positive
    first.submit()  # no label: not read again
    first.toggle_borderline(), first.submit()  # borderline
    first.close()
    second = open_session(str(unlabelled), LABELS, tmp_path / "b.jsonl", "b", text_fields=["title"], n=10,
                          strategy="recheck", items=tmp_path / "a.jsonl")
    assert [c.id for c in second.queue] == [chosen[0], chosen[2]]
    assert {c.strategy for c in second.queue} == {"random"} and {c.pool for c in second.queue} == {12}
    assert second.selected == []  # the first annotator's labels are not shown
    with pytest.raises(DidgahError, match="needs --items"):
        open_session(str(unlabelled), LABELS, tmp_path / "c.jsonl", "c", strategy="recheck")
