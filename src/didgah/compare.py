"""Leaderboards of finished runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from didgah.errors import DidgahError
from didgah.rundir import is_finished_run, is_partial_run, partial_runs


def read_run(path: Path) -> dict[str, Any]:
    """The config and metrics of one finished run directory."""
    if is_partial_run(path):
        raise DidgahError(f"{path}: belongs to an unfinished run (interrupted, or still running)")
    if not is_finished_run(path):
        raise DidgahError(f"{path}: not a finished run directory")
    out: dict[str, Any] = {"path": path}
    for key, name, parse in (("config", "config.yaml", yaml.safe_load), ("metrics", "metrics.json", json.loads),
                             ("environment", "environment.json", json.loads)):
        try:
            out[key] = parse((path / name).read_text(encoding="utf-8"))
        except (ValueError, yaml.YAMLError) as exc:  # edited or damaged after the run
            raise DidgahError(f"{path / name}: damaged run file ({exc.__class__.__name__})") from None
    return out


def list_runs(runs_dir: str | Path) -> list[dict[str, Any]]:
    """Every finished run directly under ``runs_dir`` (partial and foreign folders are ignored)."""
    root = Path(runs_dir)
    if not root.is_dir():
        raise DidgahError(f"{root}: no such runs directory")
    return [read_run(p) for p in sorted(root.iterdir()) if is_finished_run(p)]


def unfinished_note(runs_dir: str | Path) -> str | None:
    """A line saying how many unfinished ``.partial-*`` folders were ignored, or ``None`` if there are none."""
    found = partial_runs(Path(runs_dir))
    if not found["running"] and not found["abandoned"]:
        return None
    parts = []
    if found["abandoned"]:
        parts.append(f"{len(found['abandoned'])} left by runs that were killed (safe to delete: "
                     f"{', '.join(p.name for p in found['abandoned'][:3])}{' ...' if len(found['abandoned']) > 3 else ''})")
    if found["running"]:
        parts.append(f"{len(found['running'])} of runs still in progress")
    return f"ignored unfinished run folders in {runs_dir}: " + "; ".join(parts)


def leaderboard(runs: list[dict[str, Any]]) -> str:
    """A markdown table of runs, best headline metric first."""
    if not runs:
        return "no finished runs"
    rows = []
    for run in runs:
        m, c = run["metrics"], run["config"]
        head = m["headline"]
        per_label = " ".join(f"{k}:{v['f1']['mean']:.2f}" for k, v in m["summary"]["per_label"].items())
        rows.append((head["mean"], [
            run["path"].name, c["task"], c["model"]["name"], "+".join(f["name"].split(".")[0] for f in c["features"]),
            c["evaluation"]["method"], f"{head['metric']} {head['mean']:.3f} ± {head['std']:.3f}", per_label,
            str(c["data"].get("train", "")).rsplit("/", 1)[-1],
        ]))
    rows.sort(key=lambda r: -r[0])
    header = ["run", "task", "model", "features", "evaluation", "headline", "per-label F1", "train data"]
    lines = ["| rank | " + " | ".join(header) + " |", "|" + "---|" * (len(header) + 1)]
    for rank, (_, cells) in enumerate(rows, 1):
        lines.append(f"| {rank} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
