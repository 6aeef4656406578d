"""A real ``didgah run`` stopped while it works (SIGINT, SIGTERM, SIGKILL) never leaves a directory that
looks finished; Ctrl-C and SIGTERM clean up, and what SIGKILL leaves behind is ignored and refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from didgah.errors import DidgahError, ModelFileError
from didgah.experiment.compare import list_runs, read_run, unfinished_note
from didgah.persist import load_model
from didgah.rundir import PARTIAL_PREFIX, is_finished_run

CLI = [sys.executable, "-m", "didgah.cli"]


def _start_and_stop(make_config, tmp_path: Path, data: Path, signum: int) -> tuple[subprocess.CompletedProcess, Path]:
    """Start ``didgah run``, send ``signum`` a moment after its work folder appears, wait for it to end."""
    runs = tmp_path / "runs"
    config = make_config(tmp_path, data, evaluation={"method": "kfold", "folds": 5})
    # a shell starts background jobs with SIGINT ignored, and Python keeps an inherited "ignore": give the
    # run the default disposition, as in a terminal, whatever started the test suite
    process = subprocess.Popen([*CLI, "run", str(config), "--runs-dir", str(runs)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(runs.glob(PARTIAL_PREFIX + "*")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never created its work folder"
        time.sleep(0.05)
    time.sleep(0.5)  # it is now reading data or training
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), runs


@pytest.mark.slow
@pytest.mark.parametrize("signum, code, message", [(signal.SIGINT, 130, "didgah: interrupted"),
                                                   (signal.SIGTERM, 143, "didgah: terminated")])
def test_interrupted_run_removes_its_work_folder(tmp_path, small_data, signum, code, message, make_config):
    done, runs = _start_and_stop(make_config, tmp_path, small_data, signum)
    assert done.returncode == code, done.stderr
    assert done.stderr.strip().splitlines()[-1] == message and "Traceback" not in done.stderr
    assert list(runs.iterdir()) == []


@pytest.mark.slow
def test_killed_run_leaves_only_an_ignored_refused_partial_folder(tmp_path, small_data, make_config):
    done, runs = _start_and_stop(make_config, tmp_path, small_data, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    left = list(runs.iterdir())
    assert len(left) == 1 and left[0].name.startswith(PARTIAL_PREFIX) and not is_finished_run(left[0])
    partial = left[0]

    assert list_runs(runs) == []
    note = unfinished_note(runs)
    assert "1 left by runs that were killed" in note and partial.name in note

    compare = subprocess.run([*CLI, "compare", str(runs)], capture_output=True, text=True)
    assert compare.returncode == 0 and compare.stdout.strip() == "no finished runs"
    assert "1 left by runs that were killed" in compare.stderr

    evaluate = subprocess.run([*CLI, "evaluate", str(partial), "--data", str(small_data)], capture_output=True,
                              text=True)
    assert evaluate.returncode == 2 and "Traceback" not in evaluate.stderr
    assert evaluate.stderr.splitlines() == [f"didgah: error: {partial}: belongs to an unfinished run "
                                            "(interrupted, or still running); use a finished run directory"]
    with pytest.raises(ModelFileError, match="unfinished run"):
        load_model(partial)
    with pytest.raises(ModelFileError, match="unfinished run"):
        load_model(partial / "model.skops")
    with pytest.raises(DidgahError, match="unfinished run"):
        read_run(partial)  # what report and the plots read


def test_a_complete_looking_partial_folder_is_still_not_a_run(tmp_path, small_data, make_config):
    """Killed between its last file and the rename: every file is there, and it is still refused."""
    from didgah.experiment.runner import run_experiment

    runs = tmp_path / "runs"
    run = run_experiment(make_config(tmp_path, small_data), runs_dir=runs)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    partial = runs / f"{PARTIAL_PREFIX}small-xyz-{dead.stdout.strip()}"
    live = runs / f"{PARTIAL_PREFIX}small-abc-{os.getpid()}"
    os.rename(run, partial)
    live.mkdir()
    assert not is_finished_run(partial) and list_runs(runs) == []
    note = unfinished_note(runs)
    assert "1 left by runs that were killed" in note and "1 of runs still in progress" in note
    with pytest.raises(ModelFileError, match="unfinished run"):
        load_model(partial)
    with pytest.raises(DidgahError, match="unfinished run"):
        read_run(partial)
