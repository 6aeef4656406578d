"""Out-of-core training: a corpus read from ``datasets`` in batches, each batch fed to ``partial_fit``.

Selected by ``training: {mode: streaming, batch_size: N, epochs: E}``. Neither the corpus nor its
feature matrix is ever held whole: rows arrive ``batch_size`` at a time (a streaming ``datasets``
reader for files, the memory-mapped Arrow table for ``save_to_disk`` folders), features are hashed
(``hashing_words.v1``, ``hashing_chars.v1``) or lexicon counts, and the classifier is updated by
``partial_fit`` (``sgd.v1``, ``complement_nb.v1``). Evaluation is on ``data.test`` (method ``test``)
or on the rows whose id hashes into the ``test_size`` share (method ``holdout``), also in batches.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from didgah.config_types import ExperimentConfig
from didgah.data import as_labels, file_fingerprint, iter_rows, text_of
from didgah.errors import ConfigError, DataError
from didgah.experiment.evaluation import evaluate, label_counts, metrics_record, prediction_rows, targets
from didgah.experiment.recording import finish_run
from didgah.experiment.sources import is_parts, source_of
from didgah.metrics import HEADLINE
from didgah.registry import REGISTRIES, STREAMING_FEATURES, build_classifier, create


def check_streaming_config(config: ExperimentConfig) -> None:
    """Refuse, naming the key, what streaming training cannot do."""
    for key, value in (("train", config.data.train), ("test", config.data.test)):
        if is_parts(value):
            raise ConfigError(f"data.{key}: training.mode streaming reads one source (or a list of paths), not parts")
    for i, spec in enumerate(config.features):
        if spec.name not in STREAMING_FEATURES:
            raise ConfigError(f"features[{i}].name: {spec.name} learns a vocabulary from the whole corpus; "
                              f"training.mode streaming takes {', '.join(sorted(STREAMING_FEATURES))}")
    model = config.model
    if not hasattr(create("model", model.name, model.params, "model", task=config.task), "partial_fit"):
        able = [n for n in REGISTRIES["model"] if hasattr(create("model", n, {}, "model"), "partial_fit")]
        raise ConfigError(f"model.name: {model.name} cannot learn batch by batch; use {', '.join(able)}")
    if model.params.get("class_weight") == "balanced":
        raise ConfigError("model.params.class_weight: 'balanced' needs the whole corpus; set it to null "
                          "for training.mode streaming")
    if config.evaluation.method == "kfold":
        raise ConfigError("evaluation.method: kfold refits on every fold; streaming training takes holdout or test")
    if not config.data.labels:
        raise ConfigError("data.labels: streaming training needs the label set declared")
    if config.data.annotations or config.data.test_annotations:
        raise ConfigError("data.annotations: streaming training reads a corpus with its own labels; join annotation "
                          "files with training.mode standard")
    if config.task == "stance" or config.data.extra_train:
        raise ConfigError("training.mode: streaming is for single-text tasks without data.extra_train")
    if config.training.batch_size < 1 or config.training.epochs < 1:
        raise ConfigError("training: batch_size and epochs must be at least 1")


def in_holdout(row_id: str, test_size: float, seed: int) -> bool:
    """Whether a row belongs to the held-out share: decided by a hash of its id, the same on every pass."""
    digest = hashlib.sha256(f"{seed}:{row_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < test_size


def iter_examples(config: ExperimentConfig, source: Any, split: str | None, where: str,
                  keep: Callable[[str], bool] = lambda row_id: True,
                  ) -> Iterator[tuple[list[str], list[str], list[Any]]]:
    """Batches of (ids, texts, labels) of a source, validated like :func:`didgah.data.load_corpus`."""
    data = config.data
    multilabel = config.task == "multilabel"
    declared = set(data.labels)
    offset = 0
    for rows in iter_rows(source, split, config.training.batch_size, where):
        ids, texts, labels = [], [], []
        for i, row in enumerate(rows, start=offset):
            row_id = str(row.get(data.id_field) if data.id_field and row.get(data.id_field) is not None else i)
            if not keep(row_id):
                continue
            text = text_of(row, data.text_fields)
            if not text:
                if data.empty_text == "skip":
                    continue
                raise DataError(f"{where}: {source} row {i}: empty text in {data.text_fields}")
            value = as_labels(row.get(data.label_field), multilabel, i, where, data.label_field)
            for label in value if multilabel else [value]:
                if label not in declared:
                    raise DataError(f"{where}: {source} row {i}: label {label!r} is not in the declared labels "
                                    f"{sorted(declared)}")
            ids.append(row_id)
            texts.append(text)
            labels.append(value)
        offset += len(rows)
        if texts:
            yield ids, texts, labels


def run_streaming(config: ExperimentConfig, destination: tuple[Path, Path], echo: Callable[[str], None],
                  started: float) -> Path:
    """Train batch by batch, evaluate batch by batch, write the run directory."""
    data, evaluation, task = config.data, config.evaluation, config.task
    classes = list(data.labels)
    holdout = evaluation.method == "holdout"
    share, seed = float(evaluation.test_size), config.seed
    model = build_classifier(config)
    t0 = time.time()
    n_train, counts = 0, Counter[str]()
    for epoch in range(config.training.epochs):
        for _, texts, labels in iter_examples(config, data.train, data.train_split, "data.train",
                                              keep=lambda i: not (holdout and in_holdout(i, share, seed))):
            model.partial_fit(texts, labels)
            if epoch == 0:
                n_train += len(texts)
                counts.update(label_counts(task, labels))
        echo(f"{config.name}: epoch {epoch + 1}: {n_train} training texts, streamed "
             f"{config.training.batch_size} at a time")
    if n_train == 0:
        raise DataError("data.train: no training rows")
    fit_seconds = round(time.time() - t0, 2)
    source, split, where = ((source_of(data.train), data.train_split, "data.train") if holdout
                            else (source_of(data.test), data.test_split, "data.test"))
    truth, predicted, predictions = [], [], []
    for ids, texts, labels in iter_examples(config, source, split, where,
                                            keep=lambda i: not holdout or in_holdout(i, share, seed)):
        scores, indicator = model.predict_proba(texts), model.predict_indicator(texts)
        truth.append(targets(task, labels, classes))
        predicted.append(indicator)
        predictions += prediction_rows(task, classes, ids, labels, indicator, scores, texts, None)
    if not predictions:
        raise DataError(f"{where}: no rows to evaluate on (evaluation.test_size {share})")
    result = evaluate(task, np.concatenate(truth), np.concatenate(predicted), classes)
    echo(f"  {'held-out' if holdout else 'test'}: {HEADLINE[task]}={result[HEADLINE[task]]:.3f}")
    duplicates = {"exact": 0, "near": 0, "threshold": evaluation.near_duplicate_threshold, "pairs": [],
                  "checked": False}
    metrics = metrics_record(task, classes, evaluation.to_dict(), [result], None, duplicates,
                             model.thresholds if task == "multilabel" else {}, [], [fit_seconds], [0],
                             training={**config.training.to_dict(), "rows": n_train, "evaluated_rows": len(predictions)})
    train = str(source_of(data.train))
    fingerprint = file_fingerprint(Path(train)) if Path(train).exists() else f"hub:{train}"
    data_info = {"train": {"source": data.train, "file_fingerprint": fingerprint, "n": n_train,
                           "label_counts": dict(counts), "streamed": True}}
    return finish_run(config, model, metrics, predictions, data_info, started, destination)
