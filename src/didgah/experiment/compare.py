"""Leaderboards of finished runs."""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from didgah.errors import DidgahError, DidgahWarning
from didgah.rundir import RunDir, is_finished_run, partial_runs


def read_run(path: Path) -> dict[str, Any]:
    """The config, metrics and environment of one finished run directory."""
    run = RunDir.open(path)
    return {"path": run.path, "config": run.config(), "metrics": run.metrics(), "environment": run.environment()}


def list_runs(runs_dir: str | Path) -> list[dict[str, Any]]:
    """Every finished run directly under ``runs_dir`` (partial and foreign folders are ignored; a run
    whose files were damaged after it finished is left out with a warning naming the file)."""
    root = Path(runs_dir)
    if not root.is_dir():
        raise DidgahError(f"{root}: no such runs directory")
    runs = []
    for path in sorted(root.iterdir()):
        if not is_finished_run(path):
            continue
        try:
            runs.append(read_run(path))
        except DidgahError as exc:
            warnings.warn(f"{exc}; left out", DidgahWarning, stacklevel=2)
    return runs


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


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


def leaderboard_rows(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per run, best headline metric first."""
    rows = []
    for run in runs:
        m, c = run["metrics"], run["config"]
        head = m["headline"]
        rows.append({
            "run": run["path"].name, "task": c["task"], "model": c["model"]["name"],
            "features": "+".join(f["name"].split(".")[0] for f in c["features"]),
            "evaluation": c["evaluation"]["method"], "seed": c["seed"], "metric": head["metric"],
            "mean": head["mean"], "std": head["std"],
            "per_label_f1": {k: v["f1"]["mean"] for k, v in m["summary"]["per_label"].items()},
            "train": " + ".join(str(t["path"] if isinstance(t, dict) else t).rsplit("/", 1)[-1]
                               for t in _as_list(c["data"].get("train") or c["data"].get("annotations") or "")), "path": str(run["path"]),
        })
    rows.sort(key=lambda r: -float(r["mean"]))
    return rows


def leaderboard(runs: list[dict[str, Any]]) -> str:
    """A markdown table of runs, best headline metric first."""
    if not runs:
        return "no finished runs"
    header = ["run", "task", "model", "features", "evaluation", "headline", "per-label F1", "train data"]
    lines = ["| rank | " + " | ".join(header) + " |", "|" + "---|" * (len(header) + 1)]
    for rank, r in enumerate(leaderboard_rows(runs), 1):
        cells = [r["run"], r["task"], r["model"], r["features"], r["evaluation"],
                 f"{r['metric']} {r['mean']:.3f} ± {r['std']:.3f}",
                 " ".join(f"{k}:{v:.2f}" for k, v in r["per_label_f1"].items()), r["train"]]
        lines.append(f"| {rank} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---- grouping by configuration, and significance against a baseline ---------------------------------

NOT_CONFIGURATION = ("seed", "name", "description", "runs_dir", "config_file", "sweep", "tracking")


def configuration_key(config: dict[str, Any]) -> str:
    """What a run's configuration is, leaving out its seed and its names (runs of one key are repeats)."""
    return json.dumps({k: v for k, v in config.items() if k not in NOT_CONFIGURATION}, sort_keys=True,
                      ensure_ascii=False)


def _flat(config: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in config.items():
        path = f"{prefix}{key}"
        if not prefix and key in NOT_CONFIGURATION:
            continue
        if key == "features" and not prefix:
            out[path] = "+".join(f["name"].split(".")[0] for f in value)
            for i, spec in enumerate(value):
                out.update({f"features[{i}].params.{k}": json.dumps(v, ensure_ascii=False)
                            for k, v in spec.get("params", {}).items()})
        elif isinstance(value, dict) and value:
            out.update(_flat(value, path + "."))
        else:
            out[path] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return out


def _shown(run: dict[str, Any]) -> dict[str, str]:
    """The run's configuration as flat keys; a sweep's own names (feature sets) where it has them."""
    flat = _flat(run["config"])
    record = run["config"].get("sweep") or {}
    for key, value in (record.get("params") or {}).items() if isinstance(record, dict) else ():
        flat[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return flat


def metric_of(runs: list[dict[str, Any]], metric: str | None) -> str:
    """The metric to compare: ``metric`` when every run has it, else the runs' common headline metric."""
    if metric is None:
        heads = {r["metrics"]["headline"]["metric"] for r in runs}
        if len(heads) > 1:
            raise DidgahError(f"runs have different headline metrics ({', '.join(sorted(heads))}); choose one with --metric")
        return heads.pop()
    for run in runs:
        if metric not in run["metrics"]["summary"]:
            known = [k for k in run["metrics"]["summary"] if k != "per_label"]
            raise DidgahError(f"{run['path']}: no metric {metric!r} (it has {', '.join(known)})")
    return metric


def group_runs(runs: list[dict[str, Any]], metric: str | None = None) -> list[dict[str, Any]]:
    """One row per configuration: the swept or differing keys, how many runs, and the metric's mean ±
    sample standard deviation over the runs' means (seeds) and over all their folds; best first."""
    if not runs:
        return []
    metric = metric_of(runs, metric)
    groups: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        groups.setdefault(configuration_key(run["config"]), []).append(run)
    shown = {key: _shown(members[0]) for key, members in groups.items()}
    keys = sorted({k for s in shown.values() for k in s})
    varying = [k for k in keys if len({s.get(k) for s in shown.values()}) > 1]
    swept = [set(((r["config"].get("sweep") or {}).get("params")) or {}) for r in runs]
    if all(swept) and all(s == swept[0] for s in swept):  # one sweep: its own keys say it all
        columns = [k for k in (runs[0]["config"]["sweep"]["params"]) if k in varying]
    else:  # keys that differ, leaving out those some configurations lack (another model's parameters)
        columns = [k for k in varying if all(k in s for s in shown.values()) and not k.startswith("features[")]
    rows: list[dict[str, Any]] = []
    for key, members in groups.items():
        means = [r["metrics"]["summary"][metric]["mean"] for r in members]
        folds = [f[metric] for r in members for f in r["metrics"]["folds"]]
        points = {(r["config"].get("sweep") or {}).get("point") for r in members}
        ident = points.pop() if len(points) == 1 and None not in points else \
            hashlib.sha256(key.encode()).hexdigest()[:8]
        rows.append({
            "config": ident, **{c: shown[key].get(c, "") for c in columns},
            "runs": len(members), "seeds": sorted({r["config"]["seed"] for r in members}), "metric": metric,
            "mean": float(np.mean(means)), "std_seeds": _sd(means),
            "mean_folds": float(np.mean(folds)), "std_folds": _sd(folds), "folds": len(folds),
            "run_dirs": [str(r["path"]) for r in members],
        })
    rows.sort(key=lambda r: -float(r["mean"]))
    return rows


def _sd(values: list[float]) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) > 1 else None


def _pm(mean: float, sd: float | None) -> str:
    return f"{mean:.3f} ± {sd:.3f}" if sd is not None else f"{mean:.3f}"


def _predictions(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in RunDir(run["path"]).predictions():
        key = str(row["id"]) if row.get("target") is None else f"{row['id']}\x00{row['target']}"
        if key in out:
            raise DidgahError(f"{run['path']}/predictions.jsonl: id {row['id']!r} is evaluated twice; "
                              "significance needs one prediction per example")
        out[key] = row
    return out


def paired_test(baseline: dict[str, Any], other: dict[str, Any], metric: str, n_resamples: int = 10_000,
                seed: int = 0) -> dict[str, Any]:
    """Paired bootstrap (and McNemar for single-label tasks) of ``other`` against ``baseline`` on the
    examples both evaluated, from their pooled predictions."""
    from didgah.experiment.significance import METRICS, mcnemar, paired_bootstrap

    a_name, b_name = baseline["path"], other["path"]
    task = baseline["metrics"]["task"]
    if other["metrics"]["task"] != task or other["metrics"]["labels"] != baseline["metrics"]["labels"]:
        raise DidgahError(f"{b_name}: task or labels differ from the baseline {a_name}; they are not comparable")
    if metric not in METRICS:
        raise DidgahError(f"--metric {metric}: significance covers {', '.join(METRICS)}")
    pa, pb = _predictions(baseline), _predictions(other)
    shared = [k for k in pa if k in pb]
    if not shared:
        raise DidgahError(f"{b_name} and the baseline {a_name} share no evaluated example ids; significance needs "
                          "both runs evaluated on the same examples")
    classes = baseline["metrics"]["labels"]
    index = {c: i for i, c in enumerate(classes)}

    def matrix(rows: list[Any]) -> np.ndarray:
        out = np.zeros((len(rows), len(classes)), dtype=bool)
        for i, value in enumerate(rows):
            for label in (value if isinstance(value, list) else [value]):
                out[i, index[label]] = True
        return out

    for k in shared:
        if pa[k]["gold"] != pb[k]["gold"]:
            raise DidgahError(f"{b_name}: example {pa[k]['id']!r} has gold {pb[k]['gold']!r} but "
                              f"{pa[k]['gold']!r} in the baseline; the runs used different data")
    truth = matrix([pa[k]["gold"] for k in shared])
    pred_a, pred_b = matrix([pa[k]["predicted"] for k in shared]), matrix([pb[k]["predicted"] for k in shared])
    result = paired_bootstrap(truth, pred_a, pred_b, metric, n_resamples=n_resamples, seed=seed)
    result.update(baseline=str(a_name), run=str(b_name), baseline_only=len(pa) - len(shared),
                  run_only=len(pb) - len(shared), config=(other["config"].get("sweep") or {}).get("point"))
    if task != "multilabel":
        result["mcnemar"] = mcnemar((pred_a == truth).all(1), (pred_b == truth).all(1))
    return result


def find_run(name: str | Path, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A run given as a directory, or as the name (or unique prefix) of one of ``runs``."""
    path = Path(name)
    if is_finished_run(path):
        return read_run(path)
    matches = [r for r in runs if r["path"].name == str(name)] or \
        [r for r in runs if r["path"].name.startswith(str(name))]
    if len(matches) != 1:
        raise DidgahError(f"--baseline {name}: {'no' if not matches else 'more than one'} finished run of that name")
    return matches[0]


def significance(runs: list[dict[str, Any]], baseline: dict[str, Any], metric: str | None = None,
                 grouped: bool = False, n_resamples: int = 10_000, seed: int = 0) -> list[dict[str, Any]]:
    """Every other run (or, grouped, one run per other configuration, with the baseline's seed when it
    has one, so both used the same folds) against the baseline."""
    metric = metric_of([baseline, *runs], metric)
    others = [r for r in runs if r["path"].resolve() != baseline["path"].resolve()]
    if grouped:
        base_key = configuration_key(baseline["config"])
        picked: dict[str, dict[str, Any]] = {}
        for run in others:
            key = configuration_key(run["config"])
            if key == base_key:
                continue
            if key not in picked or (run["config"]["seed"] == baseline["config"]["seed"]
                                     and picked[key]["config"]["seed"] != baseline["config"]["seed"]):
                picked[key] = run
        others = list(picked.values())
    return [paired_test(baseline, run, metric, n_resamples, seed) for run in others]


def _table(rows: list[dict[str, Any]], header: list[str], fmt: str) -> str:
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[row.get(h, "") for h in header] for row in rows])
        return buffer.getvalue().rstrip("\n")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(row.get(h, "")) for h in header) + " |" for row in rows]
    return "\n".join(lines)


def format_runs(runs: list[dict[str, Any]], fmt: str = "markdown") -> str:
    """The leaderboard as markdown, or one CSV row per run."""
    if fmt != "csv" or not runs:
        return leaderboard(runs)
    rows = [{k: v for k, v in r.items() if k != "per_label_f1"} for r in leaderboard_rows(runs)]
    return _table(rows, list(rows[0]), "csv")


def format_groups(rows: list[dict[str, Any]], fmt: str = "markdown") -> str:
    """The grouped table as markdown or CSV."""
    if not rows:
        return "no finished runs"
    metric = rows[0]["metric"]
    fixed = {"config", "runs", "seeds", "metric", "mean", "std_seeds", "mean_folds", "std_folds", "folds", "run_dirs"}
    columns = [k for k in rows[0] if k not in fixed]
    over_seeds, over_folds = f"{metric} (runs: mean ± sd)", f"{metric} (folds: mean ± sd)"
    shown = [{**r, "seeds": " ".join(map(str, r["seeds"])), over_seeds: _pm(r["mean"], r["std_seeds"]),
              over_folds: _pm(r["mean_folds"], r["std_folds"]) + f" (n={r['folds']})"} for r in rows]
    if fmt == "csv":
        header = ["config", *columns, "runs", "seeds", "metric", "mean", "std_seeds", "mean_folds", "std_folds", "folds"]
        return _table([{**r, "seeds": " ".join(map(str, r["seeds"]))} for r in rows], header, "csv")
    return _table(shown, ["config", *columns, "runs", "seeds", over_seeds, over_folds], "markdown")


def format_significance(results: list[dict[str, Any]], fmt: str = "markdown") -> str:
    """Significance results as markdown or CSV (one line per compared run)."""
    if not results:
        return "no other runs to compare with the baseline"
    rows = []
    for r in results:
        level = f"{r['confidence']:.0%}"
        row = {"run": Path(r["run"]).name, **({"config": r["config"]} if r.get("config") else {}),
               "examples": r["n"], "metric": r["metric"],
               "baseline": f"{r['a']:.3f} [{r['a_ci'][0]:.3f}, {r['a_ci'][1]:.3f}]",
               "this run": f"{r['b']:.3f} [{r['b_ci'][0]:.3f}, {r['b_ci'][1]:.3f}]",
               f"difference [{level} CI]": f"{r['diff']:+.3f} [{r['diff_ci'][0]:+.3f}, {r['diff_ci'][1]:+.3f}]",
               "p (bootstrap)": f"{r['p_value']:.4f}"}
        if "mcnemar" in r:
            m = r["mcnemar"]
            row["McNemar b/c, p (exact)"] = f"{m['b']}/{m['c']}, {m['p_exact']:.4f}"
        rows.append(row)
    if fmt == "csv":
        flat = [{"run": r["run"], "baseline_run": r["baseline"], "examples": r["n"], "metric": r["metric"],
                 "baseline": r["a"], "baseline_low": r["a_ci"][0], "baseline_high": r["a_ci"][1], "value": r["b"],
                 "value_low": r["b_ci"][0], "value_high": r["b_ci"][1], "diff": r["diff"], "diff_low": r["diff_ci"][0],
                 "diff_high": r["diff_ci"][1], "p_bootstrap": r["p_value"],
                 "mcnemar_b": r.get("mcnemar", {}).get("b", ""), "mcnemar_c": r.get("mcnemar", {}).get("c", ""),
                 "p_mcnemar_exact": r.get("mcnemar", {}).get("p_exact", "")} for r in results]
        return _table(flat, list(flat[0]), "csv")
    return _table(rows, list(rows[0]), "markdown")
