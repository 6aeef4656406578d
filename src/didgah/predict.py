"""Labelling new texts with a trained model, and scoring a trained model on labelled data."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from didgah.abstain import check_confidence, confidences, coverage_report, decide
from didgah.data import (
    EMPTY_POLICIES,
    blank,
    empty_rows_message,
    iter_rows,
    json_line,
    load_corpus,
    read_rows,
    script_warning,
)
from didgah.errors import DataError
from didgah.metrics import indicator, multiclass_metrics, multilabel_metrics, stance_metrics
from didgah.models.text_classifier import TextClassifier
from didgah.outputs import atomic_file, check_output
from didgah.progress import progress
from didgah.text.batch import CHUNKS_PER_WORKER, effective_jobs


def model_text_fields(model: TextClassifier, rows: list[dict[str, Any]] | None = None) -> list[str]:
    """The fields a model reads: its training text fields when the rows have them, else ``text``."""
    fields = list(getattr(model, "metadata_", {}).get("text_fields") or ["text"])
    if rows and all(f in rows[0] for f in fields):
        return fields
    return ["text"]


def model_target_field(model: TextClassifier, rows: list[dict[str, Any]] | None = None) -> str | None:
    """For a stance model, the field holding the target: its training field when present, else ``target``."""
    if model.task != "stance":
        return None
    field = getattr(model, "metadata_", {}).get("target_field") or "target"
    return field if rows and field in rows[0] else "target"


def _field_text(row: dict[str, Any], fields: list[str], i: int, where: str) -> str:
    """The row's fields joined by newlines ('' when all are empty or whitespace)."""
    missing = [f for f in fields if f not in row]
    if missing:
        raise DataError(f"{where} row {i}: no field {missing[0]!r} (fields: {', '.join(row)})")
    return "\n".join(str(row[f]).strip() for f in fields if row[f] is not None and not blank(str(row[f])))


def _no_warning(message: str) -> None:
    pass


def label_rows(model: TextClassifier, rows: list[dict[str, Any]], text_fields: list[str], where: str,
               batch_size: int = 512, target_field: str | None = None, empty_text: str = "error",
               warn: Callable[[str], None] = _no_warning,
               min_confidence: float | None = None, n_jobs: int | None = 1,
               first_row: int = 0) -> list[dict[str, Any]]:
    """Each row with its prediction added: ``labels`` (multi-label) or ``label``, and ``scores``.

    A stance model reads (target, text) pairs: ``target_field`` (default: the model's, else ``target``).
    Rows with empty text are an error naming them, or with ``empty_text="skip"`` left out (and named
    in a warning); ``warn`` also hears when the texts are mostly not in Persian script.
    With ``min_confidence`` decisions the model is less sure of are left out: multi-label rows get
    ``unsure`` (labels not decided), single-label rows get ``label: "unsure"`` and ``best_guess``.
    ``n_jobs`` worker processes share each batch (batches grow to keep them busy). Rows are named by
    their number in the file: ``first_row`` is the number of the first of ``rows``.
    """
    check_confidence(min_confidence)
    if empty_text not in EMPTY_POLICIES:
        raise DataError(f"--empty-text: {empty_text!r} is not one of {', '.join(EMPTY_POLICIES)}")
    if model.task == "stance" and target_field is None:
        target_field = model_target_field(model, rows)
    texts: list[Any] = []
    kept: list[dict[str, Any]] = []
    empty: list[int] = []
    for i, row in enumerate(rows, first_row):
        text = _field_text(row, text_fields, i, where)
        target = _field_text(row, [target_field], i, where) if target_field else None
        if not text or (target_field and not target):
            empty.append(i)
            continue
        texts.append((target, text) if target_field else text)
        kept.append(row)
    if empty:
        message = empty_rows_message(where, empty, text_fields + ([target_field] if target_field else []))
        if empty_text == "error" or not texts:
            raise DataError(f"{message}; pass --empty-text skip to leave them out" if texts else message)
        warn(f"{message}; left out")
    warning = script_warning([t if isinstance(t, str) else t[1] for t in texts], where)
    if warning:
        warn(warning)
    rows = kept
    out = []
    jobs = effective_jobs(n_jobs)
    if jobs > 1:
        batch_size *= jobs * CHUNKS_PER_WORKER
    for start in range(0, len(texts), batch_size):
        chunk = texts[start : start + batch_size]
        proba = model.predict_proba(chunk, n_jobs)
        scores = [{c: round(float(p), 6) for c, p in zip(model.classes_, r)} for r in proba]
        thresholds = [model.thresholds[c] for c in model.classes_] if model.task == "multilabel" else None
        if min_confidence is not None:
            decisions = decide(model.task, list(model.classes_), proba, thresholds, float(min_confidence))
        elif model.task == "multilabel":  # the model's own rule, applied to the scores already computed
            decisions = [{"labels": [c for c, p, t in zip(model.classes_, row, thresholds) if p >= t]} for row in proba]
        else:
            decisions = [{"label": label} for label in model.predict(chunk, n_jobs)]
        for row, decision, score in zip(rows[start : start + batch_size], decisions, scores):
            out.append({**row, **decision, "scores": score})
    return out


def predict_file(model: TextClassifier, input_path: str | Path, output_path: str | Path,
                 text_fields: list[str] | None = None, empty_text: str = "error",
                 warn: Callable[[str], None] = _no_warning, min_confidence: float | None = None,
                 n_jobs: int | None = 1, batch_rows: int = 5000, client: Any = None) -> int:
    """Label every row of a JSONL/CSV/Parquet file (or ``save_to_disk`` folder) and write JSONL to
    ``output_path`` (``"-"``: standard output); returns the number of rows written.

    The input is read and labelled ``batch_rows`` rows at a time, so memory does not grow with the file.
    A file output is written under a temporary name and appears only when complete; on standard output
    the rows before an error have been written. With a Dask ``client`` the batches are labelled on its
cluster (:mod:`didgah.predict_dask`; same output). Other options as in :func:`label_rows`."""
    where = f"--input: {input_path}"
    to_stdout = str(output_path) == "-"
    target = None if to_stdout else check_output(output_path, {"--input": input_path})
    written = 0

    def write(handle: TextIO) -> None:
        nonlocal written
        batches = progress(iter_rows(str(input_path), None, batch_rows, "--input"), "labelling", unit="batch")
        first = 0
        if client is not None:
            for labelled, warnings, n in label_batches_on_cluster(model, batches, text_fields, where, client=client,
                                                                  min_confidence=min_confidence, empty_text=empty_text):
                for message in warnings:
                    (warn if first == 0 else _only_skips(warn))(message)
                handle.writelines(json_line(row) for row in labelled)
                written += len(labelled)
                first += n
        else:
            fields: list[str] | None = None
            for rows in batches:
                fields = fields or text_fields or model_text_fields(model, rows)
                labelled = label_rows(model, rows, fields, where, empty_text=empty_text,
                                      warn=warn if first == 0 else _only_skips(warn),
                                      min_confidence=min_confidence, n_jobs=n_jobs, first_row=first)
                handle.writelines(json_line(row) for row in labelled)
                written += len(labelled)
                first += len(rows)
        if first == 0:
            raise DataError(f"{where}: no rows")

    if target is None:
        write(sys.stdout)
        sys.stdout.flush()
    else:
        with atomic_file(target) as tmp, open(tmp, "w", encoding="utf-8") as handle:
            write(handle)
    return written


def _only_skips(warn: Callable[[str], None]) -> Callable[[str], None]:
    """After the first batch, only warnings about skipped rows (the script check is made once)."""
    return lambda message: warn(message) if "empty text" in message else None


def evaluate_model(model: TextClassifier, data_path: str | Path, text_fields: list[str] | None = None,
                   label_field: str | None = None, empty_text: str = "error",
                   warn: Callable[[str], None] = _no_warning, min_confidence: float | None = None,
                   n_jobs: int | None = 1, annotations: list[str] | None = None,
                   annotations_resolve: str = "error") -> dict[str, Any]:
    """Score a trained model on a labelled file; labels outside the model's label set are errors.

    With ``annotations`` (standoff annotation files) the labels come from them, not from the file (see
    :mod:`didgah.annotations.join`), and when their lines record the pools they were drawn from, the result
    also has ``prevalence_weighted``: the figures weighted back to those pools (enriched selection undone).

    Rows with empty text are an error, or left out with ``empty_text="skip"``; warnings (skipped rows,
    text mostly not in Persian script) go to ``warn`` and into the result's ``warnings``.
    With ``min_confidence`` the result also has ``abstention``: the share of decisions kept at that
    confidence and the accuracy of the kept and of the left-out decisions. ``n_jobs``: worker processes."""
    check_confidence(min_confidence)
    meta = getattr(model, "metadata_", {})
    config_data = (meta.get("config") or {}).get("data") or {}
    rows, _ = read_rows(str(data_path), where="--data")
    fields = text_fields or model_text_fields(model, rows)
    if label_field is None and rows and isinstance(rows[0].get("scores"), dict):
        raise DataError(f"--data: {data_path} looks like the output of didgah predict (its rows have scores): its "
                        "labels are predictions, not gold; name the gold field with --label-field")
    label_field = label_field or config_data.get("label_field") or ("labels" if model.task == "multilabel" else "label")
    options = dict(id_field=config_data.get("id_field", "id"), where="--data", empty_text=empty_text,
                   target_field=model_target_field(model, rows))
    weights = None
    if annotations:
        from didgah.annotations.join import load_weighted

        corpus_options = {k: v for k, v in options.items() if k != "where"}
        corpus, weights = load_weighted(annotations, fields, str(data_path), labels=list(model.classes_),
                                        multilabel=model.task == "multilabel", resolve=annotations_resolve,
                                        where="--annotations", corpus_where="--data", **corpus_options)
    else:
        corpus = load_corpus(str(data_path), fields, label_field, multilabel=model.task == "multilabel",
                             labels=list(model.classes_), **options)
    warnings = [w for w in (
        empty_rows_message(f"--data: {corpus.source}", corpus.skipped, fields) + "; left out" if corpus.skipped else None,
        script_warning(corpus.texts, f"--data: {corpus.source}"),
    ) if w]
    for warning in warnings:
        warn(warning)
    thresholds = [model.thresholds[c] for c in model.classes_] if model.task == "multilabel" else None
    proba = None
    if model.task == "multilabel":  # the model's own rule on scores computed once (also for abstention)
        proba = model.predict_proba(corpus.inputs, n_jobs)
        predicted = (proba >= np.asarray(thresholds)).astype(int)
    else:
        predicted = model.predict_indicator(corpus.inputs, n_jobs)  # (target, text) pairs for a stance model
    if model.task == "multilabel":
        truth = indicator(corpus.labels, model.classes_)
        result = multilabel_metrics(truth, predicted, model.classes_)
    else:
        index = {c: i for i, c in enumerate(model.classes_)}
        scores = stance_metrics if model.task == "stance" else multiclass_metrics
        truth = np.array([index[y] for y in corpus.labels])
        result = scores(truth, predicted, model.classes_)
    if min_confidence is not None:
        if proba is None:
            proba = model.predict_proba(corpus.inputs, n_jobs)
        conf = confidences(model.task, proba, thresholds)
        result["abstention"] = coverage_report(model.task, np.asarray(truth), np.asarray(predicted), conf,
                                               float(min_confidence))
    result["data"] = {"source": corpus.source, "fingerprint": corpus.fingerprint, "n": len(corpus),
                      "skipped_empty_rows": corpus.skipped}
    if annotations:
        from didgah.annotations.prevalence import weighted_scores

        result["data"]["annotations"] = corpus.annotation_files
        result["notes"] = corpus.notes
        if any(w is not None for w in weights):
            result["prevalence_weighted"] = weighted_scores(truth, predicted, weights, list(model.classes_))
    result["warnings"] = warnings
    return result


IN_FLIGHT_PER_WORKER = 2


def _label_batch(model: TextClassifier, rows: list[dict[str, Any]], fields: list[str], where: str,
                 first_row: int, min_confidence: float | None, empty_text: str) -> tuple[list[dict[str, Any]], list[str]]:
    warnings: list[str] = []
    out = label_rows(model, rows, fields, where, empty_text=empty_text, warn=warnings.append,
                     min_confidence=min_confidence, first_row=first_row)
    return out, warnings


def label_batches_on_cluster(model: TextClassifier, batches: Iterable[list[dict[str, Any]]], fields: list[str] | None,
                             where: str, *, client: Any, min_confidence: float | None = None,
                             empty_text: str = "error") -> Iterator[tuple[list[dict[str, Any]], list[str], int]]:
    """Label ``batches`` of rows on the cluster; yields ``(labelled rows, warnings, rows read)`` per batch in
    input order, with at most a few batches per worker in flight (memory stays bounded)."""
    shared = client.scatter(model, broadcast=True)
    limit = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
    pending: deque[tuple[Any, int]] = deque()
    first = 0
    for rows in batches:
        fields = fields or model_text_fields(model, rows)
        pending.append((client.submit(_label_batch, shared, rows, fields, where, first, min_confidence, empty_text,
                                      pure=False), len(rows)))
        first += len(rows)
        if len(pending) >= limit:
            future, n = pending.popleft()
            yield (*future.result(), n)
    while pending:
        future, n = pending.popleft()
        yield (*future.result(), n)
