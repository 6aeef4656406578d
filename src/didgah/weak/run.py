"""``didgah weak-label``: vote on an unlabelled corpus, combine the votes, write silver labels and a report.

The output folder receives ``silver.jsonl`` (one row per text: the id and text fields, ``labels``, a
``confidence`` per label and the ``votes`` of the functions that fired), ``report.json``,
``report.md`` and the resolved ``config.yaml``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from didgah.components import REGISTRIES
from didgah.config_files import default_of, dump_config
from didgah.data import json_line, load_corpus
from didgah.errors import ConfigError, DataError, suggest
from didgah.metrics import format_table, multilabel_metrics
from didgah.weak.config import GoldSource, WeakConfig, WeakInput, load_weak_config
from didgah.weak.functions import LabellingFunction
from didgah.weak.label_model import LearnedLabelModel
from didgah.weak.sets import load_functions
from didgah.weak.votes import VoteMatrix, apply_functions, function_stats, label_coverage

_WORD = re.compile(r"\S+")


def first_chars(text: str, n: int) -> str:
    """The start of ``text`` holding ``n`` characters once whitespace runs count as one space.

    >>> first_chars("ab  cd\\nef", 5)
    'ab  cd'
    """
    count = 0
    for match in _WORD.finditer(text):
        count += (1 if count else 0) + len(match.group())
        if count >= n:
            return text[: match.end() - (count - n)]
    return text


def load_function_sets(config: WeakConfig) -> tuple[list[str], list[LabellingFunction]]:
    """Every labelling function of the config's sets, and the labels they vote on."""
    labels: list[str] = list(config.labels or [])
    functions: list[LabellingFunction] = []
    for source in config.functions:
        file_labels, found = load_functions(source, config.normalizer, labels or None)
        if config.labels:
            extra = [label for label in file_labels if label not in labels]
            if extra:
                raise ConfigError(f"functions: {source} votes on {extra[0]!r}, which is not in labels {labels}")
        else:
            labels.extend(label for label in file_labels if label not in labels)
        taken = {lf.name for lf in functions}
        for lf in found:
            if lf.name in taken:
                raise ConfigError(f"functions: {source}: a function named {lf.name!r} is already defined")
        functions.extend(found)
    return labels, functions


def load_input(spec: WeakInput) -> tuple[list[str], list[str], list[dict[str, Any]], int]:
    """Texts, ids and rows of the unlabelled corpus (duplicates by id dropped if asked), and how many were dropped."""
    corpus = load_corpus(spec.path, spec.text_fields, None, id_field=None, split=spec.split,
                         empty_text=spec.empty_text, where="input")
    field = spec.id_field
    seen: dict[str, int] = {}
    texts, ids, rows = [], [], []
    for position, (row, text) in enumerate(zip(corpus.rows, corpus.texts)):
        if row.get(field) is None:
            raise DataError(f"input: {spec.path} row {position}: no id in field {field!r}")
        key = str(row[field])
        if key in seen:
            if not spec.deduplicate:
                raise DataError(f"input: {spec.path}: id {key!r} repeats (rows {seen[key]} and {position}); "
                                "set input.deduplicate: true to keep the first row of each id")
            continue
        seen[key] = position
        texts.append(first_chars(text, spec.max_chars) if spec.max_chars else text)
        ids.append(key)
        rows.append(row)
    return texts, ids, rows, len(corpus.rows) - len(rows)


def _thresholds(config: WeakConfig, labels: list[str]) -> np.ndarray:
    value = config.threshold
    if isinstance(value, dict):
        unknown = [k for k in value if k not in labels]
        if unknown:
            raise ConfigError(f"threshold.{unknown[0]}: not one of the labels {labels}")
        return np.array([float(value.get(label, default_of(WeakConfig, "threshold"))) for label in labels])
    return np.full(len(labels), float(value))


def _evaluate_gold(spec: GoldSource, i: int, labels: list[str], ids: list[str], predicted: np.ndarray,
                   matrix: VoteMatrix) -> tuple[dict[str, Any], np.ndarray]:
    gold = load_corpus(spec.path, [spec.text_field], spec.label_field, labels=labels,
                       id_field=spec.id_field, where=f"gold[{i}]")
    missing = next((r for r, row in enumerate(gold.rows) if row.get(spec.id_field) is None), None)
    if missing is not None:
        raise DataError(f"gold[{i}]: {spec.path} row {missing}: no id in field {spec.id_field!r}")
    position = {key: p for p, key in enumerate(ids)}
    matched = [(position[g], lab) for g, lab in zip(gold.ids, gold.labels) if g in position]
    if not matched:
        raise DataError(f"gold[{i}]: none of the {len(gold)} ids of {spec.path} (field {spec.id_field!r}) "
                        "is an id of the input corpus")
    truth = np.full((len(ids), len(labels)), -1, dtype=int)
    for p, lab in matched:
        truth[p] = [int(label in lab) for label in labels]
    rows = [p for p, _ in matched]
    metrics = multilabel_metrics(truth[rows], predicted[rows], labels)
    metrics.update(name=spec.name, source=spec.path, matched=len(rows), gold_rows=len(gold))
    metrics["functions"] = function_stats(matrix, truth)
    return metrics, truth


def _percent(value: float | None) -> str:
    return "" if value is None or value != value else f"{100 * value:.1f}"


def function_table(stats: list[dict[str, Any]], learned: dict[tuple[str, str], float] | None = None) -> str:
    """Markdown table of the functions' coverage, overlap, conflicts and accuracies (percent)."""
    head = "| function | label | vote | coverage % | overlap % | conflicts % |"
    with_gold = any("accuracy" in s for s in stats)
    head += " gold acc % (n) |" if with_gold else ""
    head += " learned acc % |" if learned is not None else ""
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for s in stats:
        line = (f"| {s['function']} | {s['label']} | {s['polarity']} | {_percent(s['coverage'])} | "
                f"{_percent(s['overlap'])} | {_percent(s['conflicts'])} |")
        if with_gold:
            line += f" {_percent(s.get('accuracy'))} ({s.get('gold_votes', 0)}) |"
        if learned is not None:
            line += f" {_percent(learned.get((s['function'], s['label'])))} |"
        lines.append(line)
    return "\n".join(lines)


def weak_label(config_path: str | Path, overrides: list[str] | None = None, output: str | Path | None = None,
               echo: Callable[[str], None] = print) -> Path:
    """Run a weak-labelling config; returns the output folder."""
    config = load_weak_config(config_path, overrides)
    labels, functions = load_function_sets(config)
    thresholds = _thresholds(config, labels)
    spec = config.label_model
    factory = REGISTRIES["label_model"][spec.name]
    allowed = factory().get_params()
    for key in spec.params:
        if key not in allowed:
            raise ConfigError(f"label_model.params.{key}: the {spec.name} model has no parameter {key!r}"
                              f"{suggest(key, allowed)}; it takes: {', '.join(allowed)}")
    model = factory(**spec.params)
    texts, ids, rows, dropped = load_input(config.input)
    echo(f"{len(texts)} texts from {config.input.path}" + (f" ({dropped} repeated ids dropped)" if dropped else ""))
    matrix = apply_functions(functions, texts, labels, config.normalizer)
    proba = model.fit(matrix.votes).predict_proba(matrix.votes)
    predicted = (proba >= thresholds).astype(int)
    learned = None
    if isinstance(model, LearnedLabelModel):
        learned = {(name, label): float(model.accuracy_[k, j])
                   for k, label in enumerate(labels) for j, name in enumerate(matrix.functions)}

    report: dict[str, Any] = {
        "name": config.name, "texts": len(texts), "repeated_ids_dropped": dropped, "labels": labels,
        "label_model": spec.name, "thresholds": dict(zip(labels, thresholds.tolist())),
        "silver_counts": {label: int(predicted[:, k].sum()) for k, label in enumerate(labels)},
        "silver_none": int((predicted.sum(axis=1) == 0).sum()),
        "label_votes": label_coverage(matrix),
        "functions": function_stats(matrix),
        "gold": [],
    }
    if isinstance(model, LearnedLabelModel):
        report["class_prior"] = dict(zip(labels, model.class_prior_.round(4).tolist()))
    gold_truth = None
    for i, gold_spec in enumerate(config.gold):
        metrics, truth = _evaluate_gold(gold_spec, i, labels, ids, predicted, matrix)
        report["gold"].append(metrics)
        gold_truth = truth if gold_truth is None else np.where(truth >= 0, truth, gold_truth)
    if gold_truth is not None:
        report["functions"] = function_stats(matrix, gold_truth)

    folder = Path(output) if output else Path(config.output or Path("weak") / config.name)
    folder.mkdir(parents=True, exist_ok=True)
    id_field, text_fields = config.input.id_field, config.input.text_fields
    with open(folder / "silver.jsonl", "w", encoding="utf-8") as handle:
        for i, row in enumerate(rows):
            out = {id_field: row[id_field], **{f: row.get(f) for f in text_fields}}
            out["labels"] = [label for k, label in enumerate(labels) if predicted[i, k]]
            out["confidence"] = {label: round(float(proba[i, k]), 4) for k, label in enumerate(labels)}
            out["votes"] = {label: v for label, v in matrix.fired(i).items() if v}
            handle.write(json_line(out))
    markdown = render_report(report, learned)
    (folder / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "report.md").write_text(markdown + "\n", encoding="utf-8")
    (folder / "config.yaml").write_text(dump_config(config), encoding="utf-8")
    echo(markdown)
    echo(f"silver labels: {folder / 'silver.jsonl'}")
    return folder


def render_report(report: dict[str, Any], learned: dict[tuple[str, str], float] | None = None) -> str:
    """The report as markdown: silver counts, per-label vote coverage, the function table, gold scores."""
    counts = ", ".join(f"{label} {n}" for label, n in report["silver_counts"].items())
    lines = [f"# Weak labels: {report['name']}", "",
             f"{report['texts']} texts; label model: {report['label_model']}; "
             f"silver labels: {counts}, none {report['silver_none']}", ""]
    if "class_prior" in report:
        lines += ["learned class priors: " + ", ".join(f"{k} {v:.3f}" for k, v in report["class_prior"].items()), ""]
    lines += ["| label | any vote % | positive vote % | negative vote % | both % |", "|---|---|---|---|---|"]
    for label, c in report["label_votes"].items():
        lines.append(f"| {label} | {_percent(c['any_vote'])} | {_percent(c['positive_vote'])} | "
                     f"{_percent(c['negative_vote'])} | {_percent(c['conflict'])} |")
    lines += ["", function_table(report["functions"], learned)]
    for g in report["gold"]:
        lines += ["", f"## Silver vs gold: {g['name']} ({g['matched']} of {g['gold_rows']} gold rows matched)", "",
                  format_table(g, "multilabel")]
    return "\n".join(lines)
