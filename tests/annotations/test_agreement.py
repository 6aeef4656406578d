"""Agreement figures against hand-computed values; disagreements and adjudication."""

from __future__ import annotations

import json

import pytest

from didgah.annotations.agreement import adjudicate, agreement, disagreements, format_agreement
from didgah.annotations.join import resolve_labels
from didgah.errors import DidgahError

T = "2026-12-06T10:00:00+00:00"


def _file(path, annotator, labels_by_id, **extra):
    path.write_text("".join(json.dumps({"source": "c.jsonl", "id": str(i), "labels": labels, "annotator": annotator,
                                        "time": T, **extra.get(str(i), {})}, ensure_ascii=False) + "\n"
                            for i, labels in labels_by_id.items()), encoding="utf-8")
    return str(path)


S, R = ["security"], ["refugees"]


@pytest.fixture
def two(tmp_path):
    # security: a = 1 1 0 0 1 0, b = 1 0 0 0 1 1; refugees: a on item 2 only, b on items 2 and 3
    a = _file(tmp_path / "a.jsonl", "a", {1: S, 2: S + R, 3: [], 4: [], 5: S, 6: []}, **{"2": {"note": "both?"}})
    b = _file(tmp_path / "b.jsonl", "b", {1: S, 2: R, 3: R, 4: [], 5: S, 6: S})
    return a, b


def test_kappa_and_f1_by_hand(two):
    result = agreement(two, ["security", "refugees"])
    security = result["per_label"]["security"]["pairs"][0]
    # observed agreement 4/6, expected 1/2 -> kappa (2/3 - 1/2) / (1/2) = 1/3; F1 = 2*2 / (3+3)
    assert security["kappa"] == pytest.approx(1 / 3, abs=1e-4) and security["f1"] == pytest.approx(2 / 3, abs=1e-4)
    refugees = result["per_label"]["refugees"]["pairs"][0]
    # a = 0 1 0 0 0 0, b = 0 1 1 0 0 0: po 5/6, pe (5/6)(4/6) + (1/6)(2/6) = 22/36 -> kappa (30-22)/(36-22) = 4/7
    assert refugees["kappa"] == pytest.approx(4 / 7, abs=1e-4) and refugees["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["per_label"]["refugees"]["positives"] == {"a": 1, "b": 2}
    assert result["items"] == {"total": 6, "labelled_by_all": 6, "per_annotator": {"a": 6, "b": 6}}
    assert result["pairs"][0]["exact_agreement"] == pytest.approx(3 / 6, abs=1e-4)
    assert "alpha" not in result["per_label"]["security"]  # two annotators: kappa
    table = format_agreement(result)
    assert "| security | a · b | 6 | 0.333 | 0.667 | 3 · 3 |" in table


def test_krippendorff_alpha_by_hand(tmp_path):
    # 3 annotators, 4 items: (1,1,1), (0,0,0), (1,1,0), (0,0,0) -> coincidences o00=6, o11=4, o01=o10=1
    # alpha = 1 - (n-1) * 2 / (2 * n0 * n1) = 1 - 11 * 2 / (2 * 7 * 5) = 24/35
    files = [_file(tmp_path / "a.jsonl", "a", {1: S, 2: [], 3: S, 4: []}),
             _file(tmp_path / "b.jsonl", "b", {1: S, 2: [], 3: S, 4: []}),
             _file(tmp_path / "c.jsonl", "c", {1: S, 2: [], 3: [], 4: []})]
    result = agreement(files, ["security", "refugees"])
    assert result["per_label"]["security"]["alpha"] == pytest.approx(24 / 35, abs=1e-4)
    assert result["per_label"]["refugees"]["alpha"] is None  # nobody used it: undefined
    assert result["per_label"]["refugees"]["pairs"][0]["kappa"] is None


def test_one_annotator_is_an_error(tmp_path):
    with pytest.raises(DidgahError, match="at least two annotators"):
        agreement([_file(tmp_path / "a.jsonl", "a", {1: S})])


def test_disagreements_and_adjudication(two, tmp_path):
    listed = disagreements(two)
    assert [d["id"] for d in listed] == ["2", "3", "6"]
    assert listed[0]["labels"] == {"a": ["security", "refugees"], "b": ["refugees"]}
    assert listed[0]["notes"] == {"a": "both?"}
    judge = _file(tmp_path / "judge.jsonl", "judge", {2: R, 3: []})
    lines, still_open = adjudicate(two, judge)
    by_id = {a.id: a for a in lines}
    assert set(by_id) == {"1", "2", "3", "4", "5"} and [d["id"] for d in still_open] == ["6"]
    assert by_id["2"].labels == ("refugees",) and by_id["2"].adjudicated and by_id["2"].annotator == "judge"
    assert by_id["1"].labels == ("security",) and by_id["1"].adjudicated and by_id["1"].annotator == "a+b"
    decided, _ = resolve_labels(lines)  # the adjudicated file joins without conflicts
    assert decided["3"].labels == ()
