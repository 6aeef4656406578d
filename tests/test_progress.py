"""Progress bars: shown on a terminal, silent in logs and with --quiet, never changing results."""

from __future__ import annotations

import io

import pytest

from didgah import progress as progress_module
from didgah.progress import progress, set_quiet


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    """Installs a terminal as standard error (called in the test: pytest sets its own between phases)."""
    def install() -> Terminal:
        stream = Terminal()
        monkeypatch.setattr("sys.stderr", stream)
        return stream

    yield install
    set_quiet(False)


def test_a_terminal_sees_the_bar_and_the_items_pass_through(terminal):
    terminal = terminal()
    assert list(progress(range(5), "folds", total=5, unit="fold")) == [0, 1, 2, 3, 4]
    assert "folds" in terminal.getvalue() and "/5" in terminal.getvalue()


def test_quiet_and_logs_see_nothing(terminal, monkeypatch):
    terminal = terminal()
    set_quiet(True)
    assert list(progress(range(3), "folds")) == [0, 1, 2]
    assert terminal.getvalue() == ""
    set_quiet(False)
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal: a log file, CI
    assert not progress_module.enabled()


def test_cli_quiet_flag_silences_bars(terminal, monkeypatch):
    from didgah.cli import main

    terminal()
    seen = []
    monkeypatch.setattr("didgah.cli.cmd_normalize", lambda args: seen.append(progress_module.enabled()) or 0)
    assert main(["--quiet", "normalize"]) == 0
    assert seen == [False]
