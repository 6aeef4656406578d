"""Share a trained model as a folder in the Hugging Face hub's model layout, without any network.

The folder holds ``model.skops`` (and its checksum), ``config.json`` (what the model reads and predicts,
where it came from) and ``README.md``: the model card with the hub's YAML header (language, library,
tags, datasets, metrics with their values). ``didgah.load_model(FOLDER)`` loads it again; uploading the
folder is left to the hub's own tools.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from didgah.config_types import ExperimentConfig
from didgah.errors import ModelFileError
from didgah.experiment.model_card import model_card
from didgah.outputs import atomic_folder
from didgah.persist import CHECKSUM_SUFFIX, CONFIG_FILE, MODEL_FILE, load_model, sha256_file
from didgah.rundir import RunDir, is_finished_run

HUB_METRICS = {"micro_f1": "f1", "macro_f1": "f1", "weighted_f1": "f1", "samples_f1": "f1", "accuracy": "accuracy",
               "subset_accuracy": "accuracy", "hamming_loss": "hamming_loss"}


def _dataset_name(source: str) -> str:
    path = Path(source)
    return path.stem if (path.suffix or path.exists() or source.startswith("/")) else source


def front_matter(meta: dict[str, Any], summary: dict[str, Any], license: str) -> dict[str, Any]:
    """The hub's model-card metadata: language, library, tags, datasets and a model-index of results."""
    evaluation = ExperimentConfig.from_dict(meta["config"]).evaluation
    how = {"kfold": f"{evaluation.folds}-fold CV mean", "holdout": "held-out split", "test": "test set"}
    dataset = _dataset_name(meta["data"].get("test", meta["data"]["train"])["source"]
                            if evaluation.method == "test" else meta["data"]["train"]["source"])
    results = [{"type": HUB_METRICS[key], "name": f"{key} ({how[evaluation.method]})",
                "value": round(stat["mean"], 4)}
               for key, stat in summary.items() if key in HUB_METRICS and isinstance(stat, dict)]
    task_tag = {"multilabel": "multi-label-classification", "multiclass": "multi-class-classification",
                "stance": "stance-detection"}[meta["task"]]
    return {
        "language": ["fa"],
        "library_name": "didgah",  # loading needs didgah (pip install didgah), not scikit-learn alone
        "license": license,
        "tags": ["didgah", "skops", "text-classification", task_tag, "persian", "news"],
        "pipeline_tag": "text-classification",
        "datasets": sorted({_dataset_name(d["source"]) for d in meta["data"].values()}),
        "metrics": sorted({HUB_METRICS[k] for k in summary if k in HUB_METRICS}),
        "model-index": [{
            "name": meta["name"],
            "results": [{"task": {"type": "text-classification", "name": "Text Classification"},
                         "dataset": {"name": dataset, "type": dataset},
                         "metrics": results}],
        }],
    }


def _usage(folder_name: str) -> str:
    return "\n".join([
        "## How to use", "",
        "```python",
        "import didgah",
        "",
        f'model = didgah.load_model("{folder_name}")  # this folder; no network needed',
        'model.predict(["متن خبر"])',
        "```", "",
        f"Or from the shell: `didgah predict {folder_name} --text \"...\"`.", "",
    ])


def _source(source: Path) -> tuple[Path, dict[str, Any] | None]:
    """The model file and, when the model sits in a finished run directory, that run's metrics."""
    model_path = source / MODEL_FILE if source.is_dir() else source
    if not model_path.is_file():
        raise ModelFileError(f"{source}: neither a run directory with {MODEL_FILE} nor a model file")
    in_run = model_path.name == MODEL_FILE and is_finished_run(model_path.parent)
    return model_path, RunDir(model_path.parent).metrics() if in_run else None


def export_model(source: str | Path, output: str | Path, license: str = "other") -> Path:
    """Write the model of a run directory (or a ``model.skops`` file) as a hub-layout folder.

    Parameters
    ----------
    source : a finished run directory or a model file
    output : the folder to write (must be empty or absent)
    license : the license to declare in the model card's header (the hub's identifiers, e.g. apache-2.0)
    """
    source, output = Path(source), Path(output)
    model_path, metrics = _source(source)
    model = load_model(model_path)  # verified: skops, trusted types, checksum
    meta = getattr(model, "metadata_", None)
    if not meta or "config" not in meta:
        raise ModelFileError(f"{model_path}: has no training metadata; export models trained by `didgah run`")
    summary = (metrics or meta["metrics"])["summary"]
    with atomic_folder(output) as folder:
        _write_export(folder, output.name, model_path, meta, metrics, summary, license)
    return output


def _write_export(folder: Path, name: str, model_path: Path, meta: dict[str, Any], metrics: dict[str, Any] | None,
                  summary: dict[str, Any], license: str) -> None:
    shutil.copyfile(model_path, folder / MODEL_FILE)
    digest = sha256_file(folder / MODEL_FILE)
    (folder / (MODEL_FILE + CHECKSUM_SUFFIX)).write_text(digest + "\n")
    settings = {
        "library": "didgah", "didgah_version": meta["versions"].get("didgah"), "model_file": MODEL_FILE,
        "sha256": digest, "run_id": meta["run_id"], "name": meta["name"], "task": meta["task"],
        "labels": meta["labels"], "text_fields": meta["text_fields"], "target_field": meta["target_field"],
        "normalizer": meta["normalizer"], "headline": meta["metrics"]["headline"],
        "data": meta["data"], "experiment": meta["config"],
    }
    (folder / CONFIG_FILE).write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")
    header = yaml.safe_dump(front_matter(meta, summary, license), allow_unicode=True, sort_keys=False)
    if metrics is not None:
        body = model_card(meta, metrics)
    else:
        head = meta["metrics"]["headline"]
        body = (f"# Model card: {meta['name']}\n\nRun `{meta['run_id']}`; {meta['task']} classification into "
                f"{', '.join(meta['labels'])}; {head['metric']} {head['mean']:.3f} ± {head['std']:.3f}.\n")
    (folder / "README.md").write_text(f"---\n{header}---\n\n{body.rstrip()}\n\n{_usage(name)}",
                                      encoding="utf-8")
