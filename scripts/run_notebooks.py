"""Re-execute every notebook in notebooks/ in place, so the committed notebooks show real, current outputs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# A cell that runs longer than this is taken for a hung kernel: a guard against hangs, not a speed target
# (notebook 02 trains two experiments in one cell, which took over 600 s on a slow day of this machine).
CELL_TIMEOUT = 1800


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel, in its own folder; return it with its outputs."""
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return book


def main(names: list[str]) -> int:
    paths = [ROOT / "notebooks" / n for n in names] if names else sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        start = time.time()
        nbformat.write(execute(path), path)
        print(f"{path.name}: {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
