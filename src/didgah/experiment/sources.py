"""What an experiment trains and evaluates on: the main corpus, its test corpus and the extra
training sources (other corpora, or silver labels made by a weak-labelling config when the run starts),
with their weights; the label set. Any of them can take its labels from annotation files
(``annotations``: see :mod:`didgah.annotations.join`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, TypeGuard, cast

import numpy as np

from didgah.config_types import DataPart, ExperimentConfig, ExtraSource
from didgah.data import Corpus, concat_corpora, load_corpus
from didgah.errors import DataError


def read_source(source: str | list[str] | None, annotations: list[str], resolve: str, where: str,
                **options: Any) -> Corpus:
    """One corpus as a config names it: read with its own label field, or, with annotation files, read
    without labels and joined with them (``source`` ``None``: the corpus the files' lines name)."""
    if not annotations:
        return load_corpus(source, where=where, **options)
    from didgah.annotations.join import load_annotated

    options.pop("label_field")
    labels, multilabel, text_fields = options.pop("labels"), options.pop("multilabel"), options.pop("text_fields")
    return load_annotated(annotations, text_fields, source, labels=labels, multilabel=multilabel, resolve=resolve,
                          where=f"{where} annotations", corpus_where=where, **options)


def load_extra_training(config: ExperimentConfig) -> list[tuple[ExtraSource, Corpus]]:
    """The config's extra training sources (added to every training fold, never evaluated)."""
    data = config.data
    out = []
    for i, spec in enumerate(data.extra_train):
        if spec.weak_label:
            corpus = silver_corpus(spec, i, config)
            out.append((spec, corpus))
            continue
        corpus = read_source(
            spec.path, spec.annotations, data.annotations_resolve, f"data.extra_train[{i}]",
            text_fields=spec.text_fields, label_field=spec.label_field, multilabel=config.task == "multilabel",
            labels=data.labels, id_field=spec.id_field, split=spec.split, empty_text=data.empty_text,
            target_field=spec.target_field, group_field=spec.group_field,
            max_chars=config.preprocess.max_chars, long_text=config.preprocess.long_text,
        )
        out.append((spec, corpus))
    return out


def tune_on(config: ExperimentConfig, part: Corpus, rows: int) -> np.ndarray | None:
    """The training rows (of ``rows``: the part's, then the extra sources') whose out-of-fold scores choose
    thresholds and calibration, True per row: the part's, as ``model.thresholds.tune_on: main`` says
    (``None``: every row, with ``tune_on: all`` or no extra sources)."""
    if config.model.thresholds.tune_on == "all" or not config.data.extra_train:
        return None
    return np.arange(rows) < len(part)


def silver_corpus(spec: ExtraSource, i: int, config: ExperimentConfig) -> Corpus:
    """Run a ``weak_label`` source's config now and read its silver labels as a training corpus."""
    from didgah.weak.run import weak_label

    with tempfile.TemporaryDirectory(prefix="didgah-silver-") as folder:
        weak_label(spec.weak_label, output=folder, echo=lambda message: None)
        corpus = load_corpus(
            str(Path(folder) / "silver.jsonl"), spec.text_fields, spec.label_field, multilabel=config.task == "multilabel",
            labels=config.data.labels, id_field=spec.id_field, group_field=spec.group_field,
            empty_text="skip", where=f"data.extra_train[{i}] (silver from {spec.weak_label})",
            max_chars=config.preprocess.max_chars, long_text=config.preprocess.long_text,
        )
    corpus.source = f"silver from {spec.weak_label}"
    return corpus


def row_weight(corpus: Corpus, i: int, spec: ExtraSource) -> float:
    field = spec.weight_field
    if not field:
        return 1.0
    value = corpus.rows[i].get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise DataError(f"data.extra_train {spec.name}: {corpus.source} row {i}: {field} must be a "
                        f"non-negative number, got {value!r}")
    return float(value)


def with_extra(part: Corpus, extra: list[tuple[ExtraSource, Corpus]], held_out_groups: set[str] | None = None,
                ) -> tuple[list, list, list[float] | None, int]:
    """Inputs, labels and weights of a training part plus the extra sources, and how many extra rows
    were left out because their group is being evaluated."""
    if not extra:
        return part.inputs, part.labels, None, 0
    inputs, labels, weights, left_out = list(part.inputs), list(part.labels), [1.0] * len(part), 0
    for spec, corpus in extra:
        keep = list(range(len(corpus)))
        if held_out_groups and corpus.groups is not None:
            keep = [i for i in keep if corpus.groups[i] not in held_out_groups]
            left_out += len(corpus) - len(keep)
        source = corpus.inputs
        inputs += [source[i] for i in keep]
        labels += [corpus.labels[i] for i in keep]
        weights += [spec.weight * row_weight(corpus, i, spec) for i in keep]
    return inputs, labels, weights, left_out


def load_training_data(config: ExperimentConfig) -> tuple[Corpus, Corpus | None]:
    """The config's training corpus and, when it names one, its test corpus."""
    data = config.data
    multilabel = config.task == "multilabel"
    common = dict(
        text_fields=data.text_fields, label_field=data.label_field, multilabel=multilabel,
        labels=data.labels, id_field=data.id_field, group_field=data.group_field,
        empty_text=data.empty_text, target_field=data.target_field,
        max_chars=config.preprocess.max_chars, long_text=config.preprocess.long_text,
    )
    resolve = data.annotations_resolve
    if is_parts(data.train):
        train = read_parts(data.train, common, resolve, "data.train", refuse_single=multilabel)
    else:
        train = read_source(source_of(data.train), data.annotations, resolve, "data.train", split=data.train_split, **common)
        if multilabel and not data.annotations:
            refuse_single_labels(train, data.label_field)
    test = None
    if is_parts(data.test):
        test = read_parts(data.test, common, resolve, "data.test")
    elif data.test or data.test_annotations:
        if data.test_text_fields:
            common["text_fields"] = data.test_text_fields
        test = read_source(source_of(data.test), data.test_annotations, resolve, "data.test", split=data.test_split, **common)
    return train, test


def is_parts(source: Any) -> TypeGuard[list[DataPart]]:
    """Whether a resolved ``data.train``/``data.test`` is a list of parts (each read with its own fields)."""
    return isinstance(source, list) and bool(source) and isinstance(source[0], DataPart)


def source_of(value: str | list[str] | list[DataPart] | None) -> str | list[str] | None:
    """A resolved ``data.train``/``data.test`` that is not a list of parts: a source or a list of sources."""
    if is_parts(value):
        raise TypeError("a list of parts has no single source")
    return cast("str | list[str] | None", value)


def read_parts(parts: list[DataPart], common: dict[str, Any], resolve: str, where: str,
               refuse_single: bool = False) -> Corpus:
    """Parts read each with its own fields and annotations, then as one corpus."""
    corpora = []
    for k, part in enumerate(parts):
        options = {**common, "text_fields": part.text_fields, "label_field": part.label_field,
                   "id_field": part.id_field, "group_field": part.group_field, "target_field": part.target_field}
        corpus = read_source(part.path, part.annotations, resolve, f"{where}[{k}]", split=part.split, **options)
        if refuse_single and not part.annotations:
            refuse_single_labels(corpus, part.label_field)
        corpora.append(corpus)
    return concat_corpora(corpora, where)


def annotation_fingerprints(name: str, corpus: Corpus) -> dict[str, dict[str, Any]]:
    """Data-record entries for the annotation files a corpus's labels came from (``rerun`` checks them)."""
    return {f"{name}.annotations[{k}]": dict(info) for k, info in enumerate(corpus.annotation_files)}


def label_set(config: ExperimentConfig, corpus: Corpus) -> list[str]:
    """The declared labels, or the sorted labels of the corpus."""
    if config.data.labels:
        return list(config.data.labels)
    if config.task == "multilabel":
        return sorted({label for labels in corpus.labels for label in labels})
    return sorted(set(corpus.labels))


def refuse_single_labels(corpus: Corpus, label_field: str) -> None:
    """A multi-label task whose label cells are all single strings is almost always a multi-class corpus
    read with the default task: say so instead of training a different model silently."""
    cells = [row.get(label_field) for row in corpus.rows]
    strings = [c for c in cells if isinstance(c, str) and c.strip()]
    if strings and len(strings) == len(cells) and not any("|" in c or c.lstrip().startswith("[") for c in strings):
        raise DataError(f"data.train: {corpus.source}: field {label_field!r} holds one label per row as text "
                        f"(e.g. {strings[0]!r}) but task is multilabel; set task: multiclass, or write the "
                        "labels of multi-label rows as lists or a|b")
