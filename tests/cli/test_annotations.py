"""The annotation commands through the real command line: what they write, and bad input as one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from didgah.annotations.store import read_annotations
from didgah.cli import main

T = "2026-12-06T10:00:00+00:00"
LABELS = ["security", "refugees", "reconstruction"]


def _lines(path, rows, source="data.jsonl"):
    path.write_text("".join(json.dumps({"source": source, "time": T, **r}, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return str(path)


def test_agreement_writes_disagreements_and_the_adjudicated_file(tmp_path, capsys):
    a = _lines(tmp_path / "a.jsonl", [{"id": "1", "labels": ["security"], "annotator": "a"},
                                      {"id": "2", "labels": [], "annotator": "a"}])
    b = _lines(tmp_path / "b.jsonl", [{"id": "1", "labels": ["security"], "annotator": "b"},
                                      {"id": "2", "labels": ["refugees"], "annotator": "b"}])
    judge = _lines(tmp_path / "judge.jsonl", [{"id": "2", "labels": ["refugees"], "annotator": "judge"}])
    assert main(["agreement", a, b, "--labels", *LABELS, "--disagreements", str(tmp_path / "d.jsonl"),
                 "--adjudicate", judge, "--out", str(tmp_path / "gold.jsonl")]) == 0
    out = capsys.readouterr()
    assert "| security | a · b | 2 |" in out.out and "disagreements: 1 items" in out.out
    [disagreement] = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert disagreement["labels"] == {"a": [], "b": ["refugees"]}
    gold = read_annotations(tmp_path / "gold.jsonl")
    assert [(g.id, g.labels, g.adjudicated) for g in gold] == [("1", ("security",), True), ("2", ("refugees",), True)]
    assert main(["agreement", a, b, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["disagreements"] == 1


def test_label_studio_commands(tmp_path, small_rows, write_jsonl, capsys):
    data = write_jsonl(tmp_path / "data.jsonl", small_rows[:4])
    ann = _lines(tmp_path / "ann.jsonl", [{"id": str(small_rows[1]["id"]), "labels": ["refugees"], "annotator": "m"}])
    assert main(["export-labelstudio", "--data", str(data), "--text-fields", "title", "text", "--annotations", ann,
                 "--out", str(tmp_path / "tasks.json"), "--labels", *LABELS,
                 "--label-config", str(tmp_path / "ui.xml")]) == 0
    assert "4 tasks (1 with labels)" in capsys.readouterr().out
    assert "<Choices name=\"labels\"" in (tmp_path / "ui.xml").read_text(encoding="utf-8")
    assert main(["import-labelstudio", str(tmp_path / "tasks.json"), "--out", str(tmp_path / "back.jsonl"),
                 "--predictions", "--labels", *LABELS]) == 0
    [line] = read_annotations(tmp_path / "back.jsonl")
    assert (line.id, line.labels, line.annotator, line.source) == (str(small_rows[1]["id"]), ("refugees",), "m",
                                                                    "data.jsonl")


def test_evaluate_with_annotations_reports_enriched_and_weighted_figures(finished_run, tmp_path, capsys, monkeypatch):
    run, data = finished_run
    rows = [json.loads(x) for x in data.read_text(encoding="utf-8").splitlines()]
    lines = [{"id": str(r["id"]), "labels": r["labels"], "annotator": "m",
              "strategy": "rules:refugees" if "refugees" in r["labels"] else "rules:none",
              "pool": 10 if "refugees" in r["labels"] else 400} for r in rows[:20]]
    lines.append({"id": str(rows[20]["id"]), "labels": rows[20]["labels"], "annotator": "m", "strategy": "uncertainty"})
    ann = _lines(tmp_path / "ann.jsonl", lines, source=str(data))
    from didgah.annotations import join

    reads = []
    read_files = join.read_files
    monkeypatch.setattr(join, "read_files", lambda *a, **k: reads.append(a[0]) or read_files(*a, **k))
    assert main(["evaluate", str(run), "--data", str(data), "--annotations", ann, "--json"]) == 0
    assert len(reads) == 1  # the annotation files are read once
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["data"]["n"] == 21 and "21 of 40 rows" in captured.err
    weighted = result["prevalence_weighted"]
    assert weighted["n"] == 20 and weighted["left_out"] == 1
    positives = sum("refugees" in r["labels"] for r in rows[:20])
    assert weighted["per_label"]["refugees"]["support"] == pytest.approx(10.0)  # the pool's estimated positives
    assert result["per_label"]["refugees"]["support"] == positives + ("refugees" in rows[20]["labels"])
    assert main(["evaluate", str(run), "--data", str(data), "--annotations", ann]) == 0
    assert "prevalence-weighted" in capsys.readouterr().out


def test_evaluate_and_annotate_read_an_article_once_when_its_rows_repeat(finished_run, tmp_path, capsys, write_jsonl):
    """A corpus that pairs each article with several claims repeats the article's id and text."""
    run, data = finished_run
    rows = [json.loads(x) for x in data.read_text(encoding="utf-8").splitlines()][:10]
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [dict(r, claim=c) for r in rows for c in ("a", "b")])
    ann = _lines(tmp_path / "ann.jsonl", [{"id": str(r["id"]), "labels": r["labels"], "annotator": "m"} for r in rows],
                 source=str(pairs))
    assert main(["evaluate", str(run), "--data", str(pairs), "--annotations", ann, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["data"]["n"] == 10
    from didgah.annotations.session import open_session

    session = open_session(str(pairs), ["security"], tmp_path / "labels.jsonl", "m", text_fields=("title", "text"), n=10)
    try:
        assert len(session.queue) == 10 and len({c.id for c in session.queue}) == 10
    finally:
        session.close()


# ------------------------------------------------------------------------------------------------
# bad input: (arguments, substrings of the one error line)
# ------------------------------------------------------------------------------------------------


def _cases(tmp_path, small_rows, write_jsonl, make_config):
    data = write_jsonl(tmp_path / "data.jsonl", small_rows[:12])
    ids = [str(r["id"]) for r in small_rows[:12]]
    good = _lines(tmp_path / "good.jsonl", [{"id": ids[0], "labels": ["security"], "annotator": "a"}])
    broken = tmp_path / "broken.jsonl"
    broken.write_text(open(good, encoding="utf-8").read() + '{"source": "data.jsonl", "id": \n', encoding="utf-8")
    unknown_label = _lines(tmp_path / "unknown_label.jsonl", [{"id": ids[0], "labels": ["war"], "annotator": "a"}])
    unknown_id = _lines(tmp_path / "unknown_id.jsonl", [{"id": "no-such-id", "labels": [], "annotator": "a"}])
    other = _lines(tmp_path / "other.jsonl", [{"id": ids[0], "labels": [], "annotator": "b"}])
    config = make_config(tmp_path, data)
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["data"]["annotations"] = ["good.jsonl", "other.jsonl"]
    config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    bad_export = tmp_path / "export.json"
    bad_export.write_text('{"not": "a list"}', encoding="utf-8")
    annotate = ["annotate", "--data", str(data), "--text-fields", "title", "text", "--labels", *LABELS,
                "--annotator", "m"]
    return {
        "annotate_missing_data": (["annotate", "--data", str(tmp_path / "none.jsonl"), "--labels", "a", "--out",
                                   str(tmp_path / "o.jsonl"), "--annotator", "m"], ["--data", "no such file"]),
        "annotate_rules_without_functions": ([*annotate, "--out", str(tmp_path / "o.jsonl"), "--strategy", "rules"],
                                             ["needs --functions"]),
        "annotate_out_has_a_bad_label": ([*annotate, "--out", unknown_label], [unknown_label + ":1", "unknown label 'war'"]),
        "annotate_out_is_data": ([*annotate, "--out", str(data)], ["--out", "is --data"]),
        "agreement_broken_json": (["agreement", good, str(broken)], [f"{broken}:2", "not valid JSON"]),
        "agreement_one_annotator": (["agreement", good], ["at least two annotators"]),
        "agreement_adjudicate_without_out": (["agreement", good, other, "--adjudicate", good], ["needs --out"]),
        "run_annotators_disagree": (["run", str(config), "--runs-dir", str(tmp_path / "runs")],
                                    [f"id '{ids[0]}'", "good.jsonl:1", "other.jsonl:1", "annotations_resolve"]),
        "evaluate_unknown_id": (None, ["unknown_id.jsonl:1", "'no-such-id' is not in"]),
        "import_not_a_list": (["import-labelstudio", str(bad_export), "--out", str(tmp_path / "i.jsonl")],
                              ["expected a JSON list of tasks"]),
        "export_over_an_existing_file": (["export-labelstudio", "--data", str(data), "--out", good],
                                         ["--out", "exists"]),
        "label_issues_not_a_run": (["label-issues", str(tmp_path)], ["not a finished run directory"]),
    }, unknown_id, data


@pytest.mark.slow
def test_bad_input_is_one_line_exit_2(tmp_path, small_rows, write_jsonl, make_config, finished_run):
    cases, unknown_id, data = _cases(tmp_path, small_rows, write_jsonl, make_config)
    run, run_data = finished_run
    cases["evaluate_unknown_id"] = (["evaluate", str(run), "--data", str(data), "--annotations", unknown_id],
                                    cases["evaluate_unknown_id"][1])

    def call(item):
        name, (args, _) = item
        return name, subprocess.run([sys.executable, "-m", "didgah.cli", *args], capture_output=True, text=True,
                                    timeout=300)

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(pool.map(call, cases.items()))
    for name, (_, expected) in cases.items():
        result = done[name]
        lines = result.stderr.splitlines()
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.returncode == 2, (name, result.returncode, result.stderr)
        errors = [line for line in lines if line.startswith("didgah: error: ")]
        assert len(errors) == 1 and len(lines) == 1, (name, result.stderr)
        for part in expected:
            assert part in errors[0], (name, part, errors[0])
    assert not (tmp_path / "runs").exists() or list((tmp_path / "runs").iterdir()) == []


def test_annotate_says_when_nothing_is_left(tmp_path, small_rows, write_jsonl, capsys):
    data = write_jsonl(tmp_path / "data.jsonl", small_rows[:3])
    out = _lines(tmp_path / "m.jsonl", [{"id": str(r["id"]), "labels": [], "annotator": "m"} for r in small_rows[:3]])
    assert main(["annotate", "--data", str(data), "--text-fields", "title", "--labels", *LABELS, "--out", out,
                 "--annotator", "m"]) == 0
    captured = capsys.readouterr()
    assert "nothing to label" in captured.out and "random: 0 items" in captured.err and "3 labelled before" in captured.err
