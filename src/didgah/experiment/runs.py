"""Opening a finished run for reading, from Python or a notebook: ``didgah.open_run(path)``, and the newest
saved run of a config: ``latest_run(name, runs_dir)``."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from didgah.experiment.recording import run_name_part
from didgah.models.text_classifier import TextClassifier
from didgah.persist import load_model
from didgah.rundir import RunDir, is_finished_run


@dataclass(frozen=True)
class Run:
    """A finished run directory: its resolved config, metrics, held-out predictions, environment and
    model, each read on first use (the files are not changed)."""

    files: RunDir

    @property
    def path(self) -> Path:
        return self.files.path

    @functools.cached_property
    def config(self) -> dict[str, Any]:
        return self.files.config()

    @functools.cached_property
    def metrics(self) -> dict[str, Any]:
        return self.files.metrics()

    @functools.cached_property
    def predictions(self) -> list[dict[str, Any]]:
        return self.files.predictions()

    @functools.cached_property
    def environment(self) -> dict[str, Any]:
        return self.files.environment()

    @property
    def headline(self) -> dict[str, Any]:
        """The run's headline metric: ``{"metric", "mean", "std"}``."""
        return self.metrics["headline"]

    def model(self, trust: list[str] | None = None) -> TextClassifier:
        """The trained model, loaded and checked as :func:`didgah.load_model` does."""
        return load_model(self.files.model_path, trust=trust)

    def __repr__(self) -> str:
        head = self.headline
        return f"Run({str(self.path)!r}, {head['metric']}={head['mean']:.3f})"


def open_run(path: str | Path) -> Run:
    """Open a finished run directory (a ``.partial-*`` or incomplete folder is refused)."""
    return Run(RunDir.open(path))


def latest_run(name: str, runs_dir: str | Path) -> Run | None:
    """The newest finished run of the config called ``name`` directly under ``runs_dir``, or ``None``.

    Runs are recognized by their id, ``<name>-<date>-<time>-<digest>`` (``-2``, ``-3``... when two
    finished in the same second), and ordered by the time in it, when the run finished. Unfinished
    (``.partial-*``) and incomplete folders are skipped, as are other configs' runs whose names
    start the same way (``topics`` does not pick ``topics_real``)."""
    root = Path(runs_dir)
    if not root.is_dir():
        return None
    pattern = re.compile(re.escape(run_name_part(name)) + r"-(\d{8}-\d{6})-[0-9a-f]{8}(?:-(\d+))?")
    found = []
    for path in root.iterdir():
        match = pattern.fullmatch(path.name)
        if match and is_finished_run(path):
            found.append((match[1], int(match[2] or 1), path))
    return open_run(max(found)[2]) if found else None
