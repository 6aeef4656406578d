"""Sweeps: grid or random search over any config keys, each configuration run once per seed.

A config's ``sweep:`` section names the keys to vary (dotted, as for ``--set``) and their values. Every
(configuration, seed) is an ordinary run directory whose config records its point: the point id is a hash
of the base config and the configuration's overrides (not the seed), so ``didgah compare`` can group the
seeds of one configuration, and a sweep run again skips the runs that already finished.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from didgah.config_files import apply_overrides
from didgah.errors import ConfigError, DidgahError, suggest
from didgah.experiment.config import ExperimentConfig, load_config, resolve_config
from didgah.progress import progress
from didgah.rundir import RunDir, is_finished_run

SWEEP_KEYS = ("method", "budget", "seeds", "seed", "feature_sets", "params")
RANGE_KEYS = ("low", "high", "log", "int")


@dataclass(frozen=True)
class Point:
    """One configuration of a sweep, run with one seed."""

    point: str  # configuration id (the same for every seed)
    seed: int
    overrides: tuple[str, ...]  # key=value strings, as for --set
    shown: dict[str, Any]  # the swept keys and their values as written in the sweep (feature-set names)
    name: str  # the run name

    def all_overrides(self) -> list[str]:
        record = {"point": self.point, "seed": self.seed, "params": self.shown, "overrides": list(self.overrides)}
        return [*self.overrides, f"seed={self.seed}", f"name={_value(self.name)}", "sweep=" + _value(record)]


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML: apply_overrides reads it back unchanged


def read_raw(path: Path) -> dict[str, Any]:
    """The config file's top-level mapping as written; an unreadable file gets the experiment loader's
    precise one-line error (missing file, encoding, YAML line and column)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        from didgah.experiment.config import load_config

        load_config(path)  # raises the precise ConfigError
        raise ConfigError(f"{path}: cannot read the config file") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of config sections at the top level")
    return raw


def is_sweep_spec(sweep: Any) -> bool:
    """A sweep section to expand (a run's own point record has no ``params``)."""
    return isinstance(sweep, dict) and "params" in sweep


def _check_spec(spec: Any) -> dict[str, Any]:
    if not is_sweep_spec(spec):
        raise ConfigError("sweep: expected a mapping with params (the keys to vary)")
    for key in spec:
        if key not in SWEEP_KEYS:
            raise ConfigError(f"sweep.{key}: unknown key{suggest(key, SWEEP_KEYS)}; allowed: {', '.join(SWEEP_KEYS)}")
    method = spec.get("method", "grid")
    if method not in ("grid", "random"):
        raise ConfigError(f"sweep.method: {method!r} is not one of grid, random")
    budget = spec.get("budget")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int) or budget < 1):
        raise ConfigError(f"sweep.budget: expected a positive integer, got {budget!r}")
    if method == "random" and budget is None:
        raise ConfigError("sweep.budget: random search needs a budget (how many configurations to draw)")
    seeds = spec.get("seeds")
    if seeds is not None and (not isinstance(seeds, list) or not seeds
                              or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)):
        raise ConfigError(f"sweep.seeds: expected a list of integers, got {seeds!r}")
    if seeds is not None and len(set(seeds)) != len(seeds):
        raise ConfigError(f"sweep.seeds: repeated seed in {seeds}")
    draw_seed = spec.get("seed", 0)
    if isinstance(draw_seed, bool) or not isinstance(draw_seed, int):
        raise ConfigError(f"sweep.seed: expected an integer, got {draw_seed!r}")
    sets = spec.get("feature_sets") or {}
    if not isinstance(sets, dict) or not all(isinstance(v, list) and v for v in sets.values()):
        raise ConfigError("sweep.feature_sets: expected a mapping of names to lists of features")
    params = spec["params"]
    if not isinstance(params, dict) or not params:
        raise ConfigError("sweep.params: expected a mapping of config keys to lists of values")
    for key, values in params.items():
        where = f"sweep.params.{key}"
        if isinstance(values, dict):
            unknown = set(values) - set(RANGE_KEYS)
            if unknown or not {"low", "high"} <= set(values):
                raise ConfigError(f"{where}: a range takes low, high and optionally log, int")
            if not all(isinstance(values[k], (int, float)) and not isinstance(values[k], bool) for k in ("low", "high")) \
                    or values["low"] > values["high"] or (values.get("log") and values["low"] <= 0):
                raise ConfigError(f"{where}: expected numbers low <= high (and > 0 with log: true), got {values}")
            if method == "grid":
                raise ConfigError(f"{where}: a range needs method: random; give a grid a list of values")
        elif not isinstance(values, list) or not values:
            raise ConfigError(f"{where}: expected a non-empty list of values or a range {{low:, high:}}")
        if key == "features" and isinstance(values, list):
            for value in values:
                if isinstance(value, str) and value not in sets:
                    raise ConfigError(f"{where}: {value!r} is not a feature set{suggest(value, sets)}; "
                                      f"sweep.feature_sets has: {', '.join(sets) or 'none'}")
    return {"method": method, "budget": budget, "seeds": seeds, "seed": draw_seed,
            "feature_sets": sets, "params": params}


def _actual(key: str, value: Any, sets: dict[str, list]) -> Any:
    return sets[value] if key == "features" and isinstance(value, str) else value


def _draw(values: Any, rng: np.random.Generator) -> Any:
    if isinstance(values, list):
        return values[int(rng.integers(len(values)))]
    low, high = float(values["low"]), float(values["high"])
    x = math.exp(rng.uniform(math.log(low), math.log(high))) if values.get("log") else rng.uniform(low, high)
    return int(round(x)) if values.get("int") else float(f"{x:.4g}")


def _configurations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    params, budget = spec["params"], spec["budget"]
    rng = np.random.default_rng(spec["seed"])
    if spec["method"] == "grid":
        keys = list(params)
        grid = [dict(zip(keys, combo)) for combo in itertools.product(*(params[k] for k in keys))]
        if budget is not None and budget < len(grid):
            keep = sorted(rng.choice(len(grid), size=budget, replace=False))
            grid = [grid[i] for i in keep]
        return grid
    drawn, seen = [], set()
    for _ in range(budget * 50):
        choice = {key: _draw(values, rng) for key, values in params.items()}
        marker = _value(choice)
        if marker not in seen:
            seen.add(marker)
            drawn.append(choice)
        if len(drawn) == budget:
            break
    return drawn


def plan_sweep(config_path: str | Path, overrides: list[str] | None = None) -> list[Point]:
    """Every (configuration, seed) of the config's sweep, each validated like a config of its own."""
    path = Path(config_path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    raw = apply_overrides(read_raw(path), overrides or [])
    try:
        spec = _check_spec(raw.get("sweep"))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    base = {k: v for k, v in raw.items() if k != "sweep"}
    base_digest = hashlib.sha256(_value(base).encode()).hexdigest()
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(raw.get("name", "sweep")))
    seeds = spec["seeds"] or [int(raw.get("seed", 0))]
    points = []
    for shown in _configurations(spec):
        sets = [f"{key}={_value(_actual(key, value, spec['feature_sets']))}" for key, value in shown.items()]
        point = hashlib.sha256(_value([base_digest, sets]).encode()).hexdigest()[:8]
        for seed in seeds:
            p = Point(point, seed, tuple(sets), shown, f"{name}-{point}-s{seed}")
            try:
                resolve_config(apply_overrides(raw, p.all_overrides()), path.resolve().parent)
            except ConfigError as exc:
                raise ConfigError(f"{path}: sweep point {_value(shown)}: {exc}") from None
            points.append(p)
    return points


def point_of(run: Path) -> tuple[str, int] | None:
    """The (point, seed) a sweep's run directory ran, or None for a run outside a sweep."""
    try:
        config = ExperimentConfig.from_dict(RunDir(run).config())
    except (OSError, DidgahError):
        return None
    record = config.sweep
    if isinstance(record, dict) and "point" in record:
        return str(record["point"]), config.seed
    return None


def finished_points(runs_dir: Path) -> dict[tuple[str, int], Path]:
    """(point, seed) -> run directory, for the finished sweep runs directly under ``runs_dir``."""
    found: dict[tuple[str, int], Path] = {}
    if runs_dir.is_dir():
        for run in sorted(runs_dir.iterdir()):
            key = point_of(run) if is_finished_run(run) else None
            if key is not None:
                found.setdefault(key, run)
    return found


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_partials(runs_dir: Path, name: str) -> int:
    """Delete the ``.partial-NAME-*`` folders an interrupted run of ``name`` left behind (its process is gone)."""
    removed = 0
    for partial in runs_dir.glob(f".partial-{name}-*"):
        pid = partial.name.rsplit("-", 1)[-1]
        if partial.is_dir() and pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(partial, ignore_errors=True)
            removed += 1
    return removed


def _run_point(config_path: str, overrides: list[str], runs_dir: str) -> str:
    from didgah.experiment.runner import run_experiment

    return str(run_experiment(config_path, overrides, runs_dir))


def dispatch(tasks: Iterable[tuple[str, list[str], str]], n_jobs: int) -> Iterator[str]:
    """Run ``(config, overrides, runs_dir)`` tasks, yielding each run directory as it finishes.

    The one place sweeps execute runs: wrap it to send the points elsewhere (e.g. a cluster backend).
    """
    from joblib import Parallel, delayed

    yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_run_point)(*task) for task in tasks)


def run_sweep(config_path: str | Path, overrides: list[str] | None = None, runs_dir: str | Path | None = None,
              n_jobs: int = 1, echo: Callable[[str], None] = lambda message: None,
              on_run: Callable[[Path], None] | None = None) -> list[Path]:
    """Run every point of a config's sweep not finished yet; returns all the sweep's run directories.

    Parameters
    ----------
    config_path : a config with a ``sweep:`` section
    overrides : ``key=value`` strings applied to the base config first
    runs_dir : where run directories go (default: the config's ``runs_dir``, else ``./runs``)
    n_jobs : points run in parallel (joblib processes)
    echo : called with progress lines
    on_run : called in this process with each newly finished run directory (e.g. to log it)
    """

    path = Path(config_path)
    points = plan_sweep(path, overrides)
    root = Path(runs_dir if runs_dir is not None else load_config(path, overrides).runs_dir or "runs")
    done = finished_points(root)
    todo = [p for p in points if (p.point, p.seed) not in done]
    configurations = len({p.point for p in points})
    echo(f"sweep: {configurations} configurations x {len(points) // max(configurations, 1)} seeds = {len(points)} "
         f"runs; {len(points) - len(todo)} already finished in {root}")
    for p in todo:
        if root.is_dir() and remove_stale_partials(root, p.name):
            echo(f"  removed an interrupted run of {p.name}")
    by_key = {(p.point, p.seed): p for p in todo}
    tasks = [(str(path), [*(overrides or []), *p.all_overrides()], str(root)) for p in todo]
    runs = {(p.point, p.seed): done[(p.point, p.seed)] for p in points if (p.point, p.seed) in done}
    for k, run_dir in enumerate(progress(dispatch(tasks, n_jobs), "sweep", total=len(tasks), unit="run"), 1):
        run = Path(run_dir)
        p = by_key[point_of(run)]
        runs[(p.point, p.seed)] = run
        head = RunDir(run).metrics()["headline"]
        echo(f"  [{k}/{len(todo)}] {p.point} seed {p.seed} {_value(p.shown)}: {head['metric']} "
             f"{head['mean']:.3f} -> {run}")
        if on_run is not None:
            on_run(run)
    return [runs[(p.point, p.seed)] for p in points]
