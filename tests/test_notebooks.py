"""Every notebook in notebooks/ runs top to bottom in a fresh kernel (the outputs are not compared).

The notebooks read saved runs from ``$DIDGAH_RUNS_DIR`` (default ``runs/``): here an empty folder shared by
the notebooks of this module, so they train the small sample-corpus configs once, and the real-data
parts of 05 say which command creates their runs. Nothing is left in the repository."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("run_notebooks", ROOT / "scripts" / "run_notebooks.py")
assert _SPEC and _SPEC.loader
run_notebooks = importlib.util.module_from_spec(_SPEC)  # the one way notebooks are run (and its hang guard)
_SPEC.loader.exec_module(run_notebooks)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


def _outputs(book: nbformat.NotebookNode, kind: str) -> list[dict]:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
            if o.get("output_type") == kind]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, runs_dir, monkeypatch):
    monkeypatch.setenv("DIDGAH_RUNS_DIR", str(runs_dir))
    before = sorted(p.name for p in ROOT.iterdir())
    book = run_notebooks.execute(path)
    assert not _outputs(book, "error")
    assert sorted(p.name for p in ROOT.iterdir()) == before  # no runs/ or other folder left in the repository


@pytest.mark.slow
def test_results_notebook_names_the_command_when_runs_are_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("DIDGAH_RUNS_DIR", str(tmp_path))
    book = run_notebooks.execute(ROOT / "notebooks" / "05_real_results.ipynb")
    assert not _outputs(book, "error")
    printed = "".join(o.get("text", "") for o in _outputs(book, "stream"))
    for config in ("stance_farexstance_b2c", "topics_real"):
        assert f"experiments/{config}.yaml is absent: `make results` creates it" in printed
    assert not list(tmp_path.iterdir())  # nothing trained
