"""Opening a finished run for reading, from Python or a notebook: ``didgah.open_run(path)``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from didgah.models.text_classifier import TextClassifier
from didgah.persist import load_model
from didgah.rundir import RunDir


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
