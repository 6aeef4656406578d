"""The command line's experiment commands: sweep, compare (grouped, against a baseline), rerun, tracking."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from didgah.config_files import apply_overrides
from didgah.errors import ConfigError

Echo = Callable[[str], None]


def _raw(config: str, overrides: list[str]) -> dict[str, Any]:
    from didgah.experiment.sweep import read_raw

    path = Path(config)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    return apply_overrides(read_raw(path), overrides)


def refuse_sweep(config: str, overrides: list[str]) -> None:
    """`didgah run` runs one configuration: a config with a sweep to expand belongs to `didgah sweep`."""
    from didgah.experiment.sweep import is_sweep_spec

    if Path(config).is_file() and is_sweep_spec(_raw(config, overrides).get("sweep")):
        raise ConfigError(f"{config}: has a sweep: section; run it with `didgah sweep {config}`")


def tracker(args: argparse.Namespace) -> dict[str, Any] | None:
    """Where to log finished runs besides the run directories (flags over the config's tracking: section)."""
    from didgah.experiment.tracking import tracking_settings

    section = _raw(args.config, args.set).get("tracking") if Path(args.config).is_file() else None
    settings = tracking_settings(section, args.track, args.tracking_uri, f"{args.config}: tracking")
    if settings is not None:
        from didgah.experiment.tracking import require_mlflow

        require_mlflow()  # fail now, not after the runs, when the extra is missing
    return settings


def log_finished(settings: dict[str, Any] | None, run_dir: Path, echo: Echo) -> None:
    if settings is None:
        return
    from didgah.experiment.tracking import log_run

    run_id = log_run(run_dir, settings["uri"], settings["experiment"])
    echo(f"  logged to mlflow at {settings['uri']} (run {run_id})")


def sweep(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.experiment.compare import format_groups, group_runs, read_run
    from didgah.experiment.sweep import run_sweep

    settings = tracker(args)
    runs = run_sweep(args.config, args.set, args.runs_dir, args.n_jobs, echo,
                     on_run=lambda run: log_finished(settings, run, echo))
    echo("")
    echo(format_groups(group_runs([read_run(r) for r in runs])))
    echo(str(Path(runs[0]).parent) if runs else "")
    return 0


def compare(args: argparse.Namespace) -> str:
    from didgah.experiment.compare import (
        find_run,
        format_groups,
        format_runs,
        format_significance,
        group_runs,
        leaderboard_rows,
        list_runs,
        metric_of,
        significance,
    )

    runs = list_runs(args.runs_dir)
    if not runs:
        return "no finished runs"
    metric = metric_of(runs, args.metric)
    table = group_runs(runs, metric) if args.group else None
    tests = None
    if args.baseline:
        tests = significance(runs, find_run(args.baseline, runs), metric, args.group, args.resamples)
    if args.format == "json":
        out: dict[str, Any] = {"groups": table} if args.group else {"runs": leaderboard_rows(runs)}
        if tests is not None:
            out["significance"] = tests
        return json.dumps(out, ensure_ascii=False, indent=2)
    text = format_groups(table, args.format) if args.group else format_runs(runs, args.format)
    if tests is not None:
        base = find_run(args.baseline, runs)["path"].name
        title = (f"\n\nagainst the baseline {base}: paired bootstrap over the shared examples' pooled predictions "
                 f"({args.resamples} resamples, seed 0)\n\n") if args.format == "markdown" else "\n\n"
        text += title + format_significance(tests, args.format)
    return text


def rerun(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.experiment.rerun import rerun as rerun_run

    result = rerun_run(args.run_dir, args.runs_dir, args.allow_data_change, echo)
    for change in result["data_changes"]:
        echo(f"data changed: {change}")
    differences = result["metric_differences"]
    if differences:
        echo(f"{len(differences)} metric value(s) differ from the original run:")
        for key, (old, new) in list(differences.items())[:20]:
            delta = f" ({new - old:+.6f})" if old is not None and new is not None else ""
            echo(f"  {key}: {old} -> {new}{delta}")
    else:
        echo("every metric is identical to the original run")
    echo(f"{result['predictions_changed']} of {result['predictions']} predictions differ")
    echo(str(result["run"]))
    return 1 if differences or result["predictions_changed"] else 0
