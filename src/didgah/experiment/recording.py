"""Recording a finished experiment: the model's metadata, the environment (packages, git state, data
fingerprints, timing), the run id, and the run directory written through :mod:`didgah.rundir`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from didgah.config_files import dump_config
from didgah.config_types import ExperimentConfig
from didgah.experiment.model_card import model_card
from didgah.persist import save_model, sha256_file
from didgah.rundir import publish, write_run_files

PACKAGES = ("didgah", "scikit-learn", "hazm", "datasets", "numpy", "scipy", "skops", "pyarrow", "PyYAML")


def git_state(folder: Path) -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10)
        if commit.returncode != 0:
            return {"commit": None, "dirty": None}
        status = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10)
        return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def run_name_part(name: str) -> str:
    """A config name as it starts its runs' ids (characters other than letters, digits, - and _ become -)."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def make_run_id(config: ExperimentConfig) -> str:
    """``<name>-<UTC date>-<time>-<config digest>``: the date and time the run finished, to the second."""
    digest = hashlib.sha256(dump_config(config).encode()).hexdigest()[:8]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{run_name_part(config.name)}-{stamp}-{digest}"


def finish_run(config: ExperimentConfig, final_model: Any, metrics: dict[str, Any], predictions: list[dict],
               data_info: dict[str, Any], started: float, destination: tuple[Path, Path]) -> Path:
    """Describe the final model (``metadata_``) and the environment, and write the run directory.

    ``destination``: the run's work folder and the runs directory it is published in."""
    work, root = destination
    versions = package_versions()
    run_id = make_run_id(config)
    final_model.metadata_ = {
        "run_id": run_id,
        "name": config.name,
        "task": config.task,
        "labels": config.data.labels,
        "text_fields": config.data.text_fields,
        "target_field": config.data.target_field,
        "normalizer": {"name": config.preprocess.normalizer, **config.preprocess.normalizer_params()},
        "config": config.to_dict(),
        "metrics": {"headline": metrics["headline"], "summary": metrics["summary"]},
        "data": data_info,
        "versions": versions,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    environment = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
        "git": git_state(Path(config.config_file).parent),
        "seed": config.seed,
        "data": data_info,
        "command": sys.argv,
        "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
        "seconds": None,
    }
    return write_run(work, root, run_id, config, metrics, predictions, final_model, environment, started)


def write_run(partial: Path, root: Path, run_id: str, config: ExperimentConfig, metrics: dict[str, Any],
              predictions: list[dict], model: Any, environment: dict[str, Any], started: float) -> Path:
    """Write the run's files into its work folder and publish it under ``root`` as ``run_id``."""
    def save(path: Path) -> str:
        save_model(model, path)
        return sha256_file(path)

    environment["seconds"] = round(time.time() - started, 1)
    write_run_files(partial, dump_config(config), predictions, metrics, environment, save,
                    lambda recorded: model_card(model.metadata_, recorded))
    return publish(partial, root, run_id)
