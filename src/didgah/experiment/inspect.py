"""Looking at data before training: ``didgah check CONFIG`` (the config valid, its corpora read, their
sizes, labels, lengths and duplicates) and ``didgah init --data FILE`` (a commented config inferred
from one file: its text, label and id fields, and whether its labels are lists or single labels)."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from didgah.data import Corpus, read_rows
from didgah.duplicates import find_duplicates
from didgah.errors import DataError
from didgah.experiment.config import load_config
from didgah.experiment.evaluation import label_counts
from didgah.experiment.sources import load_extra_training, load_training_data

TEXT_FIELD_NAMES = ("text", "body", "content", "article", "matn", "متن")
TITLE_FIELD_NAMES = ("title", "headline", "عنوان")
LABEL_FIELD_NAMES = ("labels", "label", "topics", "topic", "category", "categories", "class", "stance", "tags")
ID_FIELD_NAMES = ("id", "doc_id", "article_id", "uid")


def _lengths(texts: list[str]) -> dict[str, int]:
    words = sorted(len(t.split()) for t in texts)
    return {"min": words[0], "median": int(statistics.median(words)), "max": words[-1]} if words else {}


def _within_duplicates(texts: list[str], threshold: float) -> int:
    """How many texts repeat an earlier text of the same corpus (exactly, or as near duplicates)."""
    found = find_duplicates(texts, texts, threshold)
    return sum(1 for j, i, _ in found if i < j)


def describe_corpus(corpus: Corpus, task: str, threshold: float) -> dict[str, Any]:
    return {"source": corpus.source, "n": len(corpus), "skipped_empty_rows": len(corpus.skipped), "notes": corpus.notes,
            "label_counts": label_counts(task, corpus.labels) if corpus.labels is not None else None,
            "words": _lengths(corpus.texts), "repeated_within": _within_duplicates(corpus.strings, threshold)}


def check_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Validate a config and read its data as a run would, without training anything."""
    config = load_config(path, overrides)
    task, threshold = config.task, float(config.evaluation.near_duplicate_threshold)
    train, test = load_training_data(config)
    report: dict[str, Any] = {"config": str(config.config_file), "task": task,
                              "labels": config.data.labels, "evaluation": config.evaluation.method,
                              "train": describe_corpus(train, task, threshold)}
    if test is not None:
        report["test"] = describe_corpus(test, task, threshold)
        pairs = find_duplicates(train.strings, test.strings, threshold)
        exact = sum(1 for *_, sim in pairs if sim >= 1.0)
        report["train_test_duplicates"] = {"exact": exact, "near": len(pairs) - exact}
    report["extra_train"] = [{"name": spec.name, **describe_corpus(corpus, task, threshold)}
                             for spec, corpus in load_extra_training(config)]
    return report


def format_check(report: dict[str, Any]) -> str:
    lines = [f"{report['config']}: valid; task {report['task']}, evaluation {report['evaluation']}"]
    parts = [("train", report["train"])] + ([("test", report["test"])] if "test" in report else [])
    parts += [(f"extra {e['name']}", e) for e in report["extra_train"]]
    for name, part in parts:
        words = part["words"]
        lines.append(f"{name}: {part['n']} texts from {part['source']}; words per text {words.get('min')}-"
                     f"{words.get('max')} (median {words.get('median')}); {part['repeated_within']} repeated within")
        if part["skipped_empty_rows"]:
            lines.append(f"  {part['skipped_empty_rows']} row(s) with empty text left out")
        lines += [f"  {note}" for note in part.get("notes", [])]
        if part["label_counts"]:
            lines.append("  labels: " + ", ".join(f"{k} {v}" for k, v in part["label_counts"].items()))
    if "train_test_duplicates" in report:
        d = report["train_test_duplicates"]
        lines.append(f"train/test duplicates: {d['exact']} exact, {d['near']} near")
    return "\n".join(lines)


def _pick(fields: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {f.lower(): f for f in fields}
    return next((lowered[n] for n in names if n in lowered), None)


def infer_schema(path: str | Path) -> dict[str, Any]:
    """What a data file holds: its fields, the likely text, title, label and id fields, the label type
    (lists: multi-label; single values: multi-class), label counts and text lengths."""
    rows, _ = read_rows(str(path), where="--data")
    if not rows:
        raise DataError(f"--data: {path} has no rows")
    fields = list(rows[0])
    text = _pick(fields, TEXT_FIELD_NAMES)
    if text is None:  # the string field with the longest values
        strings = [f for f in fields if isinstance(rows[0][f], str)]
        if not strings:
            raise DataError(f"--data: {path}: no text field found (fields: {', '.join(fields)})")
        text = max(strings, key=lambda f: sum(len(str(r.get(f) or "")) for r in rows[:200]))
    title = _pick([f for f in fields if f != text], TITLE_FIELD_NAMES)
    label = _pick(fields, LABEL_FIELD_NAMES)
    values = [r.get(label) for r in rows] if label else []
    lists = sum(isinstance(v, list) or (isinstance(v, str) and ("|" in v or v.startswith("["))) for v in values)
    task = None if not label else ("multilabel" if lists > len(values) / 2 else "multiclass")
    counts: Counter[str] = Counter()
    for value in values:
        if isinstance(value, list):
            counts.update(map(str, value))
        elif isinstance(value, str) and "|" in value:
            counts.update(v.strip() for v in value.split("|") if v.strip())
        elif value is not None and str(value).strip():
            counts[str(value).strip()] += 1
    texts = [str(r.get(text) or "") for r in rows]
    return {"path": str(Path(path).resolve()), "rows": len(rows), "fields": fields, "text_field": text,
            "title_field": title, "label_field": label, "id_field": _pick(fields, ID_FIELD_NAMES), "task": task,
            "label_counts": dict(counts.most_common()), "words": _lengths(texts)}


def config_text(schema: dict[str, Any], name: str, task: str | None = None) -> str:
    """A commented experiment config for the inferred schema (``task`` overrides the inferred one)."""
    task = task or schema["task"] or "multiclass"
    if schema["label_field"] is None:
        raise DataError(f"--data: {schema['path']}: no label field found (fields: {', '.join(schema['fields'])}); "
                        "a config trains on labelled data")
    fields = [f for f in (schema["title_field"], schema["text_field"]) if f]
    labels = list(schema["label_counts"])
    return f"""# Written by `didgah init` from {schema['path']} ({schema['rows']} rows).
# Check every inferred line, then: didgah check THIS_FILE, and didgah run THIS_FILE
name: {name}
task: {task}                  # {'inferred: most label cells hold lists' if schema['task'] == 'multilabel' else 'inferred: one label per row'}; multilabel | multiclass | stance
seed: 0

data:
  train: {schema['path']}
  text_fields: [{', '.join(fields)}]   # joined with a newline
  label_field: {schema['label_field']}
  labels: [{', '.join(labels)}]   # every label seen; others are an error
  id_field: {schema['id_field'] or 'null'}
  empty_text: error             # error | skip

features:
  - name: tfidf_words.v1
    params: {{ngram_range: [1, 2], min_df: 2}}
  - name: tfidf_chars.v1
    params: {{ngram_range: [2, 5], min_df: 2, max_features: 150000}}

model:
  name: logistic_regression.v1
  params: {{C: 10.0, class_weight: balanced}}

evaluation:
  method: kfold
  folds: 5
"""
