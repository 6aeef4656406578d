"""Work folders and publishing of run directories (no training: empty run files)."""

from __future__ import annotations

import os

import pytest

from didgah.errors import DidgahError
from didgah.rundir import PARTIAL_PREFIX, RUN_FILES, is_finished_run, partial_runs, publish, work_folder


def _fill(folder):
    for name in RUN_FILES:
        (folder / name).write_text("x")


def test_work_folder_is_hidden_named_and_published(tmp_path):
    with work_folder(tmp_path / "runs", "topics/v1 test") as work:
        assert work.parent == tmp_path / "runs" and work.name.startswith(f"{PARTIAL_PREFIX}topics-v1-test-")
        assert work.name.endswith(f"-{os.getpid()}") and partial_runs(tmp_path / "runs")["running"] == [work]
        _fill(work)
        assert not is_finished_run(work)
        final = publish(work, tmp_path / "runs", "topics-1")
    assert final == tmp_path / "runs" / "topics-1" and is_finished_run(final) and not work.exists()


def test_publish_never_overwrites_an_existing_run(tmp_path):
    names = []
    for _ in range(3):
        with work_folder(tmp_path, "r") as work:
            _fill(work)
            names.append(publish(work, tmp_path, "r-1").name)
    assert names == ["r-1", "r-1-2", "r-1-3"]


def test_publish_refuses_an_incomplete_folder(tmp_path):
    with pytest.raises(RuntimeError, match="model.skops"):
        with work_folder(tmp_path, "r") as work:
            (work / "config.yaml").write_text("x")
            publish(work, tmp_path, "r-1")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit, ValueError])
def test_work_folder_removed_on_any_error(tmp_path, error):
    with pytest.raises(error):
        with work_folder(tmp_path, "r") as work:
            _fill(work)
            raise error
    assert list(tmp_path.iterdir()) == []


def test_runs_dir_that_is_a_file(tmp_path):
    (tmp_path / "runs").write_text("x")
    with pytest.raises(DidgahError, match="a file, not a folder"):
        with work_folder(tmp_path / "runs", "r"):
            pass
