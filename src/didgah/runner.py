"""Run an experiment: load data, cross-validate or hold out, evaluate, train the final model, record it all.

A run directory is the unit of record. The run works in a hidden ``.partial-*`` folder that is renamed
into place only when complete, so an interrupted run never looks finished (see ``didgah.rundir``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from didgah.config import dump_config, load_config
from didgah.data import Corpus, content_fingerprint, empty_rows_message, load_corpus, script_warning
from didgah.duplicates import find_duplicates
from didgah.errors import DataError
from didgah.metrics import HEADLINE, multiclass_metrics, multilabel_metrics, stance_metrics, summarize
from didgah.model_card import model_card
from didgah.outputs import json_line
from didgah.parallel import delayed, run_parallel
from didgah.persist import save_model, sha256_file
from didgah.registry import build_classifier
from didgah.rundir import RUN_FILES, is_finished_run, publish, work_folder  # noqa: F401 (re-exported)
from didgah.splits import holdout, indicator, kfold

PACKAGES = ("didgah", "scikit-learn", "hazm", "datasets", "numpy", "scipy", "skops", "pyarrow", "PyYAML")


def load_extra_training(config: dict[str, Any]) -> list[tuple[dict[str, Any], Corpus]]:
    """The config's extra training sources (added to every training fold, never evaluated)."""
    data = config["data"]
    out = []
    for i, spec in enumerate(data["extra_train"]):
        if spec.get("weak_label"):
            corpus = _silver_corpus(spec, i, config)
            out.append((spec, corpus))
            continue
        corpus = load_corpus(
            spec["path"], spec["text_fields"], spec["label_field"], multilabel=config["task"] == "multilabel",
            labels=data["labels"], id_field=spec["id_field"], split=spec["split"], empty_text=data["empty_text"],
            where=f"data.extra_train[{i}]", target_field=spec["target_field"], group_field=spec["group_field"],
        )
        out.append((spec, corpus))
    return out


def _tune_rows(config: dict[str, Any], part: Corpus) -> int | None:
    """How many leading training rows choose thresholds: the main corpus's, unless ``thresholds.tune_on: all``."""
    on = config["model"]["thresholds"].get("tune_on", "main")
    return len(part) if on == "main" and config["data"]["extra_train"] else None


def _silver_corpus(spec: dict[str, Any], i: int, config: dict[str, Any]) -> Corpus:
    """Run a ``weak_label`` source's config now and read its silver labels as a training corpus."""
    from didgah.weak.run import weak_label

    with tempfile.TemporaryDirectory(prefix="didgah-silver-") as folder:
        weak_label(spec["weak_label"], output=folder, echo=lambda message: None)
        corpus = load_corpus(
            str(Path(folder) / "silver.jsonl"), spec["text_fields"], "labels", multilabel=config["task"] == "multilabel",
            labels=config["data"]["labels"], id_field=spec["id_field"], group_field=spec["group_field"],
            empty_text="skip", where=f"data.extra_train[{i}] (silver from {spec['weak_label']})",
        )
    corpus.source = f"silver from {spec['weak_label']}"
    return corpus


def _row_weight(corpus: Corpus, i: int, spec: dict[str, Any]) -> float:
    field = spec.get("weight_field")
    if not field:
        return 1.0
    value = corpus.rows[i].get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise DataError(f"data.extra_train {spec['name']}: {corpus.source} row {i}: {field} must be a "
                        f"non-negative number, got {value!r}")
    return float(value)


def _with_extra(part: Corpus, extra: list[tuple[dict[str, Any], Corpus]], held_out_groups: set[str] | None = None,
                ) -> tuple[list, list, list[float] | None, int]:
    """Inputs, labels and weights of a training part plus the extra sources, and how many extra rows
    were left out because their group is being evaluated."""
    if not extra:
        return part.inputs, part.labels, None, 0
    inputs, labels, weights, left_out = list(part.inputs), list(part.labels), [1.0] * len(part), 0
    for spec, corpus in extra:
        keep = range(len(corpus))
        if held_out_groups and corpus.groups is not None:
            keep = [i for i in keep if corpus.groups[i] not in held_out_groups]
            left_out += len(corpus) - len(keep)
        source = corpus.inputs
        inputs += [source[i] for i in keep]
        labels += [corpus.labels[i] for i in keep]
        weights += [spec["weight"] * _row_weight(corpus, i, spec) for i in keep]
    return inputs, labels, weights, left_out


def load_training_data(config: dict[str, Any]) -> tuple[Corpus, Corpus | None]:
    """The config's training corpus and, when it names one, its test corpus."""
    data = config["data"]
    multilabel = config["task"] == "multilabel"
    common = dict(
        text_fields=data["text_fields"], label_field=data["label_field"], multilabel=multilabel,
        labels=data["labels"], id_field=data["id_field"], group_field=data["group_field"],
        empty_text=data["empty_text"], target_field=data["target_field"],
    )
    train = load_corpus(data["train"], split=data["train_split"], where="data.train", **common)
    test = None
    if data["test"]:
        if data["test_text_fields"]:
            common["text_fields"] = data["test_text_fields"]
        test = load_corpus(data["test"], split=data["test_split"], where="data.test", **common)
    return train, test


def label_set(config: dict[str, Any], corpus: Corpus) -> list[str]:
    """The declared labels, or the sorted labels of the corpus."""
    if config["data"]["labels"]:
        return list(config["data"]["labels"])
    if config["task"] == "multilabel":
        return sorted({label for labels in corpus.labels for label in labels})
    return sorted(set(corpus.labels))


def _targets(task: str, labels: list[Any], classes: list[str]) -> np.ndarray:
    if task == "multilabel":
        return indicator(labels, classes)
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index[label] for label in labels])


def _evaluate(task: str, truth: np.ndarray, predicted: np.ndarray, classes: list[str]) -> dict[str, Any]:
    if task == "multilabel":
        return multilabel_metrics(truth, predicted, classes)
    if task == "stance":
        return stance_metrics(truth, predicted, classes)
    return multiclass_metrics(truth, predicted, classes)


def _label_counts(task: str, labels: list[Any]) -> dict[str, int]:
    if task == "multilabel":
        counts = Counter(label for row in labels for label in row)
        counts["(none)"] = sum(1 for row in labels if not row)
        return dict(counts)
    return dict(Counter(labels))


def _git_state(folder: Path) -> dict[str, Any]:
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


def _run_id(config: dict[str, Any]) -> str:
    digest = hashlib.sha256(dump_config(config).encode()).hexdigest()[:8]
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in config["name"])
    return f"{safe}-{stamp}-{digest}"


def _splits(config: dict[str, Any], train: Corpus, classes: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    evaluation, task, seed = config["evaluation"], config["task"], config["seed"]
    multilabel = task == "multilabel"
    if evaluation["method"] == "kfold":
        return list(kfold(train.labels, classes, evaluation["folds"], seed, multilabel, train.groups))
    return [holdout(train.labels, classes, float(evaluation["test_size"]), seed, multilabel, train.groups,
                    evaluation["stratify"])]


def _run_fold(config: dict[str, Any], classes: list[str], fit_part: Corpus, eval_part: Corpus, fold: int | None,
              extra: list[tuple[dict[str, Any], Corpus]], threshold: float) -> dict[str, Any]:
    """Train on one fold's training part and evaluate on its evaluation part (``fold`` None: the test set).

    Self-contained, so folds can run in other processes or on other machines."""
    task = config["task"]
    model = build_classifier(config)
    t0 = time.time()
    held_out = set(eval_part.groups) if eval_part.groups is not None else None
    *training, left_out = _with_extra(fit_part, extra, held_out)
    model.fit(*training, tune_rows=_tune_rows(config, fit_part))
    scores = model.predict_proba(eval_part.inputs)
    predicted = model.predict_indicator(eval_part.inputs)
    result = _evaluate(task, _targets(task, eval_part.labels, classes), predicted, classes)
    seconds = round(time.time() - t0, 2)
    duplicates = [{"test_id": eval_part.ids[j], "train_id": fit_part.ids[i], "similarity": sim, "fold": fold}
                  for j, i, sim in find_duplicates(fit_part.strings, eval_part.strings, threshold)]
    predictions = []
    for k in range(len(eval_part)):
        row = {"id": eval_part.ids[k], "fold": fold, "gold": eval_part.labels[k],
               "predicted": ([classes[j] for j in np.flatnonzero(predicted[k])] if task == "multilabel"
                             else classes[int(predicted[k])]),
               "scores": {c: round(float(s), 6) for c, s in zip(classes, scores[k])},
               "text": eval_part.texts[k]}
        if eval_part.targets is not None:
            row["target"] = eval_part.targets[k]
        predictions.append(row)
    return {"fold": fold, "metrics": result, "fit_seconds": seconds, "extra_left_out": left_out,
            "duplicates": duplicates, "predictions": predictions, "model": model if fold is None else None}


def run_experiment(
    config_path: str | Path,
    overrides: list[str] | None = None,
    runs_dir: str | Path | None = None,
    echo: Callable[[str], None] = lambda message: None,
) -> Path:
    """Run one experiment config; returns the finished run directory.

    Parameters
    ----------
    config_path : path of the YAML config
    overrides : ``key=value`` strings applied to the config before validation
    runs_dir : where run directories go (default: the config's ``runs_dir``, else ``./runs``)
    echo : called with progress lines
    """
    started = time.time()
    config = load_config(config_path, overrides)
    root = Path(runs_dir) if runs_dir is not None else Path(config["runs_dir"] or "runs")
    with work_folder(root, config["name"]) as work:
        if config["training"]["mode"] == "streaming":
            from didgah.streaming import run_streaming

            return run_streaming(config, (work, root), echo, started)
        return _run(config, work, root, started, echo)


def _run(config: dict[str, Any], work: Path, root: Path, started: float, echo: Callable[[str], None]) -> Path:
    """The experiment itself: its files go to ``work``, published as a run directory under ``root``."""
    task = config["task"]
    train, test = load_training_data(config)
    warnings = []
    for name, corpus in (("train", train), ("test", test)):
        if corpus is not None and corpus.skipped:
            fields = config["data"]["text_fields"]
            warnings.append(empty_rows_message(f"data.{name}: {corpus.source}", corpus.skipped, fields) + "; left out")
    script = script_warning(train.strings, "data.train")
    warnings += [script] if script else []
    for warning in warnings:
        echo(f"warning: {warning}")
    classes = label_set(config, train)
    if len(classes) < (1 if task == "multilabel" else 2):
        raise DataError(f"data.train: {train.source}: needs at least two classes, found {classes}")
    config["data"]["labels"] = classes
    extra = load_extra_training(config)
    echo(f"{config['name']}: {len(train)} training texts, labels {', '.join(classes)}"
         + "".join(f"; + {len(c)} from {s['name']} (weight {s['weight']})" for s, c in extra))

    truth_all = _targets(task, train.labels, classes)
    fold_metrics, predictions, duplicate_pairs, fit_seconds, extra_left_out = [], [], [], [], []
    threshold = float(config["evaluation"]["near_duplicate_threshold"])
    if config["evaluation"]["method"] == "test":
        evaluations = [(train, test, None)]
    else:
        evaluations = [(train.subset(tr), train.subset(te), k) for k, (tr, te) in enumerate(_splits(config, train, classes))]
    final_model = None
    jobs = [delayed(_run_fold)(config, classes, fit_part, eval_part, fold, extra, threshold)
            for fit_part, eval_part, fold in evaluations]
    for fold_result in run_parallel(jobs):  # in order; on the backend of didgah.parallel.execution
        result, fold = fold_result["metrics"], fold_result["fold"]
        fold_metrics.append(result)
        fit_seconds.append(fold_result["fit_seconds"])
        extra_left_out.append(fold_result["extra_left_out"])
        duplicate_pairs += fold_result["duplicates"]
        predictions += fold_result["predictions"]
        echo(f"  {'fold ' + str(fold) if fold is not None else 'test'}: {HEADLINE[task]}={result[HEADLINE[task]]:.3f}")
        if fold is None:
            final_model = fold_result["model"]

    if final_model is None:
        echo("  training the final model on all training data")
        final_model = build_classifier(config)
        final_model.fit(*_with_extra(train, extra)[:3], tune_rows=_tune_rows(config, train))

    summary = summarize(fold_metrics)
    headline = HEADLINE[task]
    pooled = None
    if config["evaluation"]["method"] == "kfold":
        order = {id_: i for i, id_ in enumerate(train.ids)}
        by_position = sorted(predictions, key=lambda r: order[r["id"]])
        pred_matrix = (indicator([r["predicted"] for r in by_position], classes) if task == "multilabel"
                       else np.array([classes.index(r["predicted"]) for r in by_position]))
        pooled = _evaluate(task, truth_all, pred_matrix, classes)
    exact = sum(1 for p in duplicate_pairs if p["similarity"] >= 1.0)
    metrics = {
        "task": task,
        "labels": classes,
        "headline": {"metric": headline, **summary[headline]},
        "evaluation": config["evaluation"],
        "summary": summary,
        "pooled": pooled,
        "folds": fold_metrics,
        "duplicates": {"exact": exact, "near": len(duplicate_pairs) - exact, "threshold": threshold,
                       "pairs": duplicate_pairs[:50]},
        "thresholds": final_model.thresholds if task == "multilabel" else {},
        "warnings": warnings,
        "fit_seconds": fit_seconds,
        "extra_rows_left_out": extra_left_out,
        "sweep_point": (config["sweep"] or {}).get("point"),
    }
    data_info = {
        "train": {"source": train.source, "file_fingerprint": train.fingerprint,
                  "content_fingerprint": content_fingerprint(train.strings, train.labels), "n": len(train),
                  "skipped_empty_rows": train.skipped, "label_counts": _label_counts(task, train.labels)},
    }
    for spec, corpus in extra:
        data_info[spec["name"]] = {"source": corpus.source, "file_fingerprint": corpus.fingerprint,
                                   "content_fingerprint": content_fingerprint(corpus.strings, corpus.labels),
                                   "n": len(corpus), "weight": spec["weight"],
                                   "label_counts": _label_counts(task, corpus.labels)}
    if test is not None:
        data_info["test"] = {"source": test.source, "file_fingerprint": test.fingerprint,
                             "content_fingerprint": content_fingerprint(test.strings, test.labels), "n": len(test),
                             "skipped_empty_rows": test.skipped, "label_counts": _label_counts(task, test.labels)}
    return finish_run(config, final_model, metrics, predictions, data_info, started, (work, root))


def finish_run(config: dict[str, Any], final_model: Any, metrics: dict[str, Any], predictions: list[dict],
               data_info: dict[str, Any], started: float, destination: tuple[Path, Path]) -> Path:
    """Describe the final model (``metadata_``) and the environment, and write the run directory.

    ``destination``: the run's work folder and the runs directory it is published in."""
    work, root = destination
    versions = package_versions()
    run_id = _run_id(config)
    final_model.metadata_ = {
        "run_id": run_id,
        "name": config["name"],
        "task": config["task"],
        "labels": config["data"]["labels"],
        "text_fields": config["data"]["text_fields"],
        "target_field": config["data"]["target_field"],
        "normalizer": {"name": config["preprocess"]["normalizer"],
                       **{k: v for k, v in config["preprocess"].items() if k != "normalizer"}},
        "config": config,
        "metrics": {"headline": metrics["headline"], "summary": metrics["summary"]},
        "data": data_info,
        "versions": versions,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    environment = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
        "git": _git_state(Path(config["config_file"]).parent),
        "seed": config["seed"],
        "data": data_info,
        "command": sys.argv,
        "started": dt.datetime.fromtimestamp(started, dt.timezone.utc).isoformat(timespec="seconds"),
        "seconds": None,
    }
    return _write_run(work, root, run_id, config, metrics, predictions, final_model, environment, started)


def _write_run(partial: Path, root: Path, run_id: str, config: dict[str, Any], metrics: dict[str, Any],
               predictions: list[dict], model: Any, environment: dict[str, Any], started: float) -> Path:
    (partial / "config.yaml").write_text(dump_config(config), encoding="utf-8")
    with open(partial / "predictions.jsonl", "w", encoding="utf-8") as handle:
        for row in predictions:
            handle.write(json_line(row))
    save_model(model, partial / "model.skops")
    metrics["model_sha256"] = sha256_file(partial / "model.skops")
    (partial / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    (partial / "model_card.md").write_text(model_card(model.metadata_, metrics), encoding="utf-8")
    environment["seconds"] = round(time.time() - started, 1)
    (partial / "environment.json").write_text(json.dumps(environment, ensure_ascii=False, indent=2),
                                              encoding="utf-8")
    return publish(partial, root, run_id)
