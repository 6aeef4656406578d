"""Tracking backends: a finished run directory logged to MLflow (optional extra ``didgah[track]``).

The run directory stays the record; a backend gets a copy of it: the resolved config as parameters,
the metrics of every fold (step = fold number) and their mean and standard deviation, the run files
and the model as artifacts (also as an MLflow pyfunc model: load, serve, register), the environment as tags and an artifact. Works offline against a local
SQLite store (``sqlite:///path/mlflow.db``; artifacts beside the database) or with a tracking server URL.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from didgah.config_types import ExperimentConfig
from didgah.errors import ConfigError, DidgahError
from didgah.rundir import CONFIG, ENVIRONMENT, METRICS, MODEL_CARD, PREDICTIONS, RunDir

BACKENDS = ("local", "mlflow")
TRACKING_KEYS = ("backend", "uri", "experiment")
DEFAULT_URI = "sqlite:///mlflow.db"
ARTIFACTS = (CONFIG, METRICS, PREDICTIONS, MODEL_CARD, ENVIRONMENT)


def tracking_settings(section: Any, backend: str | None = None, uri: str | None = None,
                      where: str = "tracking") -> dict[str, Any] | None:
    """The backend to log to: command-line choices over the config's ``tracking:`` section; None for the
    local run directories only."""
    section = section or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: expected a mapping with backend, uri, experiment")
    for key in section:
        if key not in TRACKING_KEYS:
            raise ConfigError(f"{where}.{key}: unknown key; allowed: {', '.join(TRACKING_KEYS)}")
    chosen = backend or section.get("backend") or "local"
    if chosen not in BACKENDS:
        raise ConfigError(f"{where}.backend: {chosen!r} is not one of {', '.join(BACKENDS)}")
    if chosen == "local":
        return None
    return {"backend": chosen, "uri": uri or section.get("uri") or DEFAULT_URI, "experiment": section.get("experiment")}


def require_mlflow() -> Any:
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    try:
        import mlflow
    except ImportError:
        raise DidgahError("tracking with mlflow needs the optional extra: pip install 'didgah[track]'") from None
    for name in ("mlflow", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return mlflow


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, item in enumerate(value):
            out.update(_flat(item, f"{prefix}.{i}"))
        return out
    return {prefix: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}


def _artifact_location(uri: str, experiment: str) -> str | None:
    if uri.startswith("sqlite:///"):
        database = Path(uri[len("sqlite:///"):])
        return (database.parent / "mlartifacts" / experiment).resolve().as_uri()
    return None  # a tracking server decides


def log_run(run_dir: str | Path, uri: str = DEFAULT_URI, experiment: str | None = None) -> str:
    """Log a finished run directory to MLflow; returns the MLflow run id.

    Parameters
    ----------
    run_dir : a finished didgah run directory
    uri : MLflow tracking URI: ``sqlite:///file.db`` (offline) or a server's ``http(s)://`` URL
    experiment : MLflow experiment name (default: the config's name, or its sweep's name)
    """
    run_files = RunDir.open(run_dir)
    run_dir = run_files.path
    mlflow = require_mlflow()
    metrics, environment = run_files.metrics(), run_files.environment()
    saved = run_files.config()
    config = ExperimentConfig.from_dict(saved)
    record = config.sweep or {}
    name = experiment or (config.name.rsplit(f"-{record['point']}", 1)[0] if record.get("point") else config.name)
    if uri.startswith("sqlite:///"):
        Path(uri[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    client = mlflow.MlflowClient(tracking_uri=uri)
    try:
        found = client.get_experiment_by_name(name)
        experiment_id = found.experiment_id if found else client.create_experiment(name, _artifact_location(uri, name))
        tags = {
            "didgah.run_dir": str(run_dir.resolve()), "didgah.task": metrics["task"],
            "didgah.headline": metrics["headline"]["metric"], "didgah.seed": str(config.seed),
            "didgah.sweep_point": str(record.get("point") or ""), "didgah.model_sha256": metrics.get("model_sha256", ""),
            "mlflow.source.git.commit": str((environment.get("git") or {}).get("commit") or ""),
            "python": environment.get("python", ""), "platform": environment.get("platform", ""),
            **{f"package.{k}": str(v) for k, v in (environment.get("packages") or {}).items()},
        }
        run = client.create_run(experiment_id, run_name=run_dir.name, tags=tags)
        run_id = run.info.run_id
        from mlflow.entities import Metric, Param

        params = [Param(k[:250], str(v)[:6000]) for k, v in _flat(saved).items()]
        for start in range(0, len(params), 100):
            client.log_batch(run_id, params=params[start:start + 100])
        values = []
        stamp = int(run.info.start_time)
        for fold, scores in enumerate(metrics["folds"]):
            for key, value in _scalars(scores).items():
                values.append(Metric(key, value, stamp, fold))
        for key, stat in metrics["summary"].items():
            if key != "per_label":
                values += [Metric(f"{key}_mean", stat["mean"], stamp, 0), Metric(f"{key}_std", stat["std"], stamp, 0)]
        for key, value in _scalars(metrics.get("pooled") or {}).items():
            values.append(Metric(f"pooled_{key}", value, stamp, 0))
        for start in range(0, len(values), 1000):
            client.log_batch(run_id, metrics=values[start:start + 1000])
        for file in ARTIFACTS:
            client.log_artifact(run_id, str(run_files.file(file)))
        for path in (run_files.model_path, run_files.model_path.with_name(run_files.model_path.name + ".sha256")):
            if path.is_file():
                client.log_artifact(run_id, str(path), "model")
        if run_files.model_path.is_file():
            log_pyfunc(mlflow, uri, run_id, run_files.model_path)
        client.set_terminated(run_id)
    except DidgahError:
        raise
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else exc.__class__.__name__
        raise DidgahError(f"mlflow at {uri}: cannot log {run_dir.name}: {detail}") from None
    return run_id


def log_pyfunc(mlflow: Any, uri: str, run_id: str, model_path: Path) -> None:
    """Log the model as an MLflow pyfunc model named ``pyfunc`` in the run: loadable with
    ``mlflow.pyfunc.load_model("runs:/<id>/pyfunc")``, servable, registrable. Logged as code
    (``mlflow_model.py``), so nothing is pickled; the model file goes along as an artifact."""
    from didgah import __version__
    from didgah.experiment.mlflow_model import MODEL_ARTIFACT

    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(uri)
    try:
        with mlflow.start_run(run_id=run_id):
            mlflow.pyfunc.log_model(
                name="pyfunc", python_model=str(Path(__file__).with_name("mlflow_model.py")),
                artifacts={MODEL_ARTIFACT: str(model_path)}, pip_requirements=[f"didgah=={__version__}"],
            )
    finally:
        mlflow.set_tracking_uri(previous)


def _scalars(scores: dict[str, Any]) -> dict[str, float]:
    out = {k: float(v) for k, v in scores.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    for label, values in (scores.get("per_label") or {}).items():
        out[f"f1.{label}"] = float(values["f1"])
    return out
