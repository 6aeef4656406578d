"""Finding the newest saved run of a config (no training: run folders with placeholder files)."""

from __future__ import annotations

from didgah.experiment.runs import latest_run
from didgah.rundir import MODEL, RUN_FILES


def _run(root, name, files=RUN_FILES):
    folder = root / name
    folder.mkdir(parents=True)
    for file in files:
        (folder / file).write_text("x")
    return folder


def test_latest_run_picks_the_newest_finished_run_of_the_config(tmp_path):
    runs = tmp_path / "runs"
    _run(runs, "topics-20260101-120000-aaaaaaaa")
    _run(runs, "topics-20260102-090000-bbbbbbbb")
    newest = _run(runs, "topics-20260102-090000-bbbbbbbb-2")            # the same id, finished in the same second
    _run(runs, "topics-20270101-000000-cccccccc", [f for f in RUN_FILES if f != MODEL])  # incomplete
    _run(runs, ".partial-topics-x1y2z3-12345")                           # unfinished, every file written
    _run(runs, "topics_real-20280101-000000-dddddddd")                   # another config, same prefix
    _run(runs, "topics-nb-20280101-000000-eeeeeeee")
    _run(runs, "topics-copy")                                            # not a run id
    assert latest_run("topics", runs).path == newest
    assert latest_run("topics_real", runs).path.name == "topics_real-20280101-000000-dddddddd"
    assert latest_run("topics-nb", runs).path.name == "topics-nb-20280101-000000-eeeeeeee"


def test_latest_run_is_none_without_a_finished_run(tmp_path):
    assert latest_run("topics", tmp_path / "absent") is None
    _run(tmp_path, "topics-20270101-000000-cccccccc", [f for f in RUN_FILES if f != MODEL])
    _run(tmp_path, ".partial-topics-x1y2z3-12345")
    assert latest_run("topics", tmp_path) is None


def test_latest_run_matches_names_as_run_ids_spell_them(tmp_path):
    _run(tmp_path, "stance-farexstance-b2c-20260101-120000-aaaaaaaa")
    _run(tmp_path, "my-run-20260101-120000-bbbbbbbb")
    assert latest_run("stance-farexstance-b2c", tmp_path) is not None
    assert latest_run("my run", tmp_path).path.name == "my-run-20260101-120000-bbbbbbbb"
