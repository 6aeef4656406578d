"""Re-execute a finished run from its saved config and say what, if anything, came out differently."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from didgah.data import file_fingerprint
from didgah.errors import DataError
from didgah.experiment.runner import run_experiment
from didgah.rundir import CONFIG, RunDir


def data_changes(environment: dict[str, Any]) -> list[str]:
    """The recorded data sources whose files are gone or no longer have the recorded fingerprint."""
    changes = []
    for name, info in (environment.get("data") or {}).items():
        recorded = str(info.get("file_fingerprint", ""))
        if recorded.startswith("hub:"):
            continue  # a hub dataset: checked by its content fingerprint after the rerun
        path = Path(info["source"])
        if not path.exists():
            changes.append(f"{name}: {path} no longer exists")
        elif file_fingerprint(path) != recorded:
            changes.append(f"{name}: {path} changed (was {recorded[:19]}..., now {file_fingerprint(path)[:19]}...)")
    return changes


def _numbers(value: Any, prefix: str = "") -> dict[str, float]:
    if isinstance(value, bool):
        return {}
    if isinstance(value, (int, float)):
        return {prefix: float(value)}
    out: dict[str, float] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(_numbers(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.update(_numbers(item, f"{prefix}[{i}]"))
    return out


def metric_differences(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[float | None, float | None]]:
    """Every metric (summary, pooled, each fold, thresholds) whose value differs between two metrics.json."""
    keys = ("summary", "pooled", "folds", "thresholds")
    a = _numbers({k: old.get(k) for k in keys})
    b = _numbers({k: new.get(k) for k in keys})
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
            if a.get(k) is None or b.get(k) is None or abs(a[k] - b[k]) > 1e-12}


def rerun(run_dir: str | Path, runs_dir: str | Path | None = None, allow_data_change: bool = False,
          echo: Callable[[str], None] = lambda message: None) -> dict[str, Any]:
    """Run a finished run's ``config.yaml`` again and compare the outcome with the original.

    Parameters
    ----------
    run_dir : the finished run directory to repeat
    runs_dir : where the new run goes (default: ``reruns`` beside ``run_dir``)
    allow_data_change : rerun even when a recorded data file changed (the differences are then reported)
    echo : called with progress lines

    Returns the new run directory, the data changes, the metrics that differ (old, new) and how many
    predictions differ.
    """
    old = RunDir.open(run_dir)
    environment = old.environment()
    changes = data_changes(environment)
    if changes and not allow_data_change:
        raise DataError(f"{old.path}: the data changed since the run ({changes[0]}"
                        f"{f'; {len(changes) - 1} more' if len(changes) > 1 else ''}); "
                        "pass --allow-data-change to rerun anyway")
    for change in changes:
        echo(f"warning: {change}")
    new_dir = run_experiment(old.file(CONFIG), None, runs_dir or old.path.parent / "reruns", echo)
    new = RunDir(new_dir)
    new_environment = new.environment()
    for name, info in (environment.get("data") or {}).items():
        now = (new_environment.get("data") or {}).get(name, {}).get("content_fingerprint")
        if now != info.get("content_fingerprint") and not any(c.startswith(f"{name}:") for c in changes):
            changes.append(f"{name}: the texts or labels read differ (content fingerprint)")
    old_rows, new_rows = old.prediction_lines(), new.prediction_lines()
    changed = sum(1 for a, b in zip(old_rows, new_rows) if a != b) + abs(len(old_rows) - len(new_rows))
    return {"run": new_dir, "data_changes": changes,
            "metric_differences": metric_differences(old.metrics(), new.metrics()),
            "predictions_changed": changed, "predictions": len(old_rows)}
