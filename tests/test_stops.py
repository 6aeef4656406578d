"""A Ctrl-C or SIGTERM that lands in a finalizer, where Python drops its exception, still stops the work."""

from __future__ import annotations

import os
import signal
import time

import pytest

from didgah import stops


class _SignalsWhenCollected:
    def __init__(self, signum: int) -> None:
        self.signum = signum

    def __del__(self) -> None:
        os.kill(os.getpid(), self.signum)
        time.sleep(0.2)  # the handler runs here, inside __del__: Python drops its exception


@pytest.mark.parametrize("signum, stop", [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, stops.Terminated)])
def test_a_stop_dropped_by_a_finalizer_is_raised_again(signum, stop, capsys):
    with stops.catching_stops():
        _SignalsWhenCollected(signum)  # collected at once: the signal lands in its __del__
        with pytest.raises(stop):
            stops.raise_missed_stop()
    assert "Exception ignored" not in capsys.readouterr().err  # dropped quietly: it is raised again


def test_nothing_is_raised_without_a_signal_and_the_handlers_are_restored():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with stops.catching_stops():
        stops.raise_missed_stop()
        assert signal.getsignal(signal.SIGTERM) is not before[0]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    stops.raise_missed_stop()  # outside the block nothing is recorded


def test_progress_stops_between_steps_after_a_dropped_stop():
    from didgah.progress import progress

    seen = []
    with stops.catching_stops(), pytest.raises(KeyboardInterrupt):
        for item in progress(range(5), "steps"):
            seen.append(item)
            if item == 1:
                _SignalsWhenCollected(signal.SIGINT)
    assert seen == [0, 1]


def test_a_run_is_not_published_after_a_dropped_stop(tmp_path):
    from didgah.rundir import RUN_FILES, publish

    work = tmp_path / ".partial-run"
    work.mkdir()
    for name in RUN_FILES:
        (work / name).write_text("x")
    with stops.catching_stops():
        _SignalsWhenCollected(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            publish(work, tmp_path, "run-1")
    assert not (tmp_path / "run-1").exists()
