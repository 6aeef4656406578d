"""Run an experiment: load data, cross-validate or hold out, evaluate, train the final model, record it all.

A run directory is the unit of record. The run works in a hidden ``.partial-*`` folder that is renamed
into place only when complete, so an interrupted run never looks finished (see ``didgah.rundir``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from didgah.config_types import ExperimentConfig, ExtraSource
from didgah.data import Corpus, content_fingerprint, empty_rows_message, script_warning
from didgah.duplicates import find_duplicates
from didgah.errors import DataError
from didgah.experiment.config import load_config
from didgah.experiment.evaluation import evaluate, label_counts, metrics_record, prediction_rows, targets
from didgah.experiment.folds import holdout, kfold
from didgah.experiment.recording import finish_run
from didgah.experiment.sources import (
    annotation_fingerprints,
    label_set,
    load_extra_training,
    load_training_data,
    tune_on,
    with_extra,
)
from didgah.metrics import HEADLINE, indicator
from didgah.parallel import delayed, run_parallel
from didgah.progress import progress
from didgah.registry import build_classifier
from didgah.rundir import work_folder


def _splits(config: ExperimentConfig, train: Corpus, classes: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    evaluation, task, seed = config.evaluation, config.task, config.seed
    multilabel = task == "multilabel"
    if evaluation.method == "kfold":
        return list(kfold(train.labels, classes, evaluation.folds, seed, multilabel, train.groups))
    return [holdout(train.labels, classes, float(evaluation.test_size), seed, multilabel, train.groups,
                    evaluation.stratify)]


def _run_fold(config: ExperimentConfig, classes: list[str], fit_part: Corpus, eval_part: Corpus, fold: int | None,
              extra: list[tuple[ExtraSource, Corpus]], threshold: float) -> dict[str, Any]:
    """Train on one fold's training part and evaluate on its evaluation part (``fold`` None: the test set).

    Self-contained, so folds can run in other processes or on other machines."""
    task = config.task
    model = build_classifier(config)
    t0 = time.time()
    held_out = set(eval_part.groups) if eval_part.groups is not None else None
    inputs, labels, weights, left_out = with_extra(fit_part, extra, held_out)
    model.fit(inputs, labels, weights, tune_on=tune_on(config, fit_part, len(inputs)))
    scores = model.predict_proba(eval_part.inputs)
    predicted = model.predict_indicator(eval_part.inputs)
    result = evaluate(task, targets(task, eval_part.labels, classes), predicted, classes)
    seconds = round(time.time() - t0, 2)
    duplicates = [{"test_id": eval_part.ids[j], "train_id": fit_part.ids[i], "similarity": sim, "fold": fold}
                  for j, i, sim in find_duplicates(fit_part.strings, eval_part.strings, threshold)]
    predictions = prediction_rows(task, classes, eval_part.ids, eval_part.labels, predicted, scores, eval_part.texts,
                                  fold, eval_part.targets)
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
    root = Path(runs_dir) if runs_dir is not None else Path(config.runs_dir or "runs")
    with work_folder(root, config.name) as work:
        if config.training.mode == "streaming":
            from didgah.experiment.streaming import run_streaming

            return run_streaming(config, (work, root), echo, started)
        return _run(config, work, root, started, echo)


def _run(config: ExperimentConfig, work: Path, root: Path, started: float, echo: Callable[[str], None]) -> Path:
    """The experiment itself: its files go to ``work``, published as a run directory under ``root``."""
    task = config.task
    train, test = load_training_data(config)
    warnings = []
    for name, corpus in (("train", train), ("test", test)):
        if corpus is not None and corpus.skipped:
            fields = config.data.text_fields
            warnings.append(empty_rows_message(f"data.{name}: {corpus.source}", corpus.skipped, fields) + "; left out")
    script = script_warning(train.strings, "data.train")
    warnings += [script] if script else []
    for warning in warnings:
        echo(f"warning: {warning}")
    for corpus in (train, test):
        for note in corpus.notes if corpus is not None else []:
            echo(f"note: {note}")
    classes = label_set(config, train)
    if len(classes) < (1 if task == "multilabel" else 2):
        raise DataError(f"data.train: {train.source}: needs at least two classes, found {classes}")
    config.data.labels = classes
    extra = load_extra_training(config)
    for _, corpus in extra:
        for note in corpus.notes:
            echo(f"note: {note}")
    echo(f"{config.name}: {len(train)} training texts, labels {', '.join(classes)}"
         + "".join(f"; + {len(c)} from {s.name} (weight {s.weight})" for s, c in extra))

    truth_all = targets(task, train.labels, classes)
    fold_metrics, predictions, duplicate_pairs, fit_seconds, extra_left_out = [], [], [], [], []
    threshold = float(config.evaluation.near_duplicate_threshold)
    evaluations: list[tuple[Corpus, Corpus, int | None]]
    if config.evaluation.method == "test":
        evaluations = [(train, test, None)]
    else:
        evaluations = [(train.subset(tr), train.subset(te), k) for k, (tr, te) in enumerate(_splits(config, train, classes))]
    final_model = None
    jobs = [delayed(_run_fold)(config, classes, fit_part, eval_part, fold, extra, threshold)
            for fit_part, eval_part, fold in evaluations]
    bar = progress(run_parallel(jobs), "folds" if len(jobs) > 1 else "training", total=len(jobs), unit="fold")
    for fold_result in bar:  # in order; on the backend of didgah.parallel.execution
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
        inputs, labels, weights, _ = with_extra(train, extra)
        final_model.fit(inputs, labels, weights, tune_on=tune_on(config, train, len(inputs)))

    pooled = None
    if config.evaluation.method == "kfold":
        order = {id_: i for i, id_ in enumerate(train.ids)}
        by_position = sorted(predictions, key=lambda r: order[r["id"]])
        pred_matrix = (indicator([r["predicted"] for r in by_position], classes) if task == "multilabel"
                       else np.array([classes.index(r["predicted"]) for r in by_position]))
        pooled = evaluate(task, truth_all, pred_matrix, classes)
    exact = sum(1 for p in duplicate_pairs if p["similarity"] >= 1.0)
    duplicates = {"exact": exact, "near": len(duplicate_pairs) - exact, "threshold": threshold,
                  "pairs": duplicate_pairs[:50], "checked": True}
    metrics = metrics_record(task, classes, config.evaluation.to_dict(), fold_metrics, pooled, duplicates,
                             final_model.thresholds if task == "multilabel" else {}, warnings, fit_seconds,
                             extra_left_out, sweep_point=(config.sweep or {}).get("point"))
    data_info = {
        "train": {"source": train.source, "file_fingerprint": train.fingerprint,
                  "content_fingerprint": content_fingerprint(train.strings, train.labels), "n": len(train),
                  "skipped_empty_rows": train.skipped, "label_counts": label_counts(task, train.labels)},
    }
    data_info.update(annotation_fingerprints("train", train))
    for spec, corpus in extra:
        data_info[spec.name] = {"source": corpus.source, "file_fingerprint": corpus.fingerprint,
                                   "content_fingerprint": content_fingerprint(corpus.strings, corpus.labels),
                                   "n": len(corpus), "weight": spec.weight,
                                   "label_counts": label_counts(task, corpus.labels)}
        data_info.update(annotation_fingerprints(spec.name, corpus))
    if test is not None:
        data_info["test"] = {"source": test.source, "file_fingerprint": test.fingerprint,
                             "content_fingerprint": content_fingerprint(test.strings, test.labels), "n": len(test),
                             "skipped_empty_rows": test.skipped, "label_counts": label_counts(task, test.labels)}
        data_info.update(annotation_fingerprints("test", test))
    return finish_run(config, final_model, metrics, predictions, data_info, started, (work, root))


