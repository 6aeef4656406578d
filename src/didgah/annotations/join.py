"""A corpus joined with annotation files: the labels come from the annotations, the texts from the corpus.

For each item, in this order:

1. an ``adjudicated`` line wins over every other line (the last adjudicated line, if several);
2. among one annotator's lines, the last wins (files in the order given, lines in file order);
3. annotators who agree give their labels; annotators who disagree, with no adjudicated line, are an
   error naming the item and both files, unless ``resolve`` says otherwise: ``adjudicated_only`` leaves
   such items out, ``first`` takes the annotator whose line comes first.

An id the corpus does not have is an error; corpus rows without an annotation are left out (one note
says how many). Lines naming another corpus (``source``) are not used for this one (a note counts them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from didgah.annotations.prevalence import stratum_weights
from didgah.annotations.store import Annotation, read_annotations, resolve_source, same_source
from didgah.data import RESOLVE_POLICIES, Corpus, file_fingerprint, load_corpus
from didgah.errors import DataError


def _show(labels: Sequence[str]) -> str:
    return "[" + ", ".join(labels) + "]"


def resolve_labels(annotations: Sequence[Annotation], resolve: str = "error", where: str = "annotations",
                   ) -> tuple[dict[str, Annotation], list[str]]:
    """The line that decides each item's labels, by the precedence above, and the ids left out because
    annotators disagree (``resolve="adjudicated_only"``)."""
    if resolve not in RESOLVE_POLICIES:
        raise DataError(f"{where}: resolve {resolve!r} is not one of {', '.join(RESOLVE_POLICIES)}")
    by_id: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        by_id.setdefault(annotation.id, []).append(annotation)
    decided: dict[str, Annotation] = {}
    left_out = []
    for row_id, lines in by_id.items():
        adjudicated = [a for a in lines if a.adjudicated]
        if adjudicated:
            decided[row_id] = adjudicated[-1]
            continue
        last: dict[str, Annotation] = {}
        for annotation in lines:
            last[annotation.annotator] = annotation  # the annotator's last line wins
        finals = sorted(last.values(), key=lambda a: lines.index(a))
        if len({frozenset(a.labels) for a in finals}) == 1:
            decided[row_id] = finals[-1]
            continue
        if resolve == "first":
            decided[row_id] = min(finals, key=lambda a: lines.index(a))
        elif resolve == "adjudicated_only":
            left_out.append(row_id)
        else:
            a, b = next((x, y) for x in finals for y in finals if set(x.labels) != set(y.labels))
            raise DataError(f"{where}: id {row_id!r}: annotators disagree and no line is adjudicated: {a.annotator} "
                            f"{_show(a.labels)} ({a.where}) vs {b.annotator} {_show(b.labels)} ({b.where}); "
                            "adjudicate (didgah agreement --adjudicate) or set data.annotations_resolve")
    return decided, left_out


def read_files(files: Sequence[str], labels: Sequence[str] | None, where: str) -> list[Annotation]:
    """Every line of the files, in order; a missing file is an error naming ``where``."""
    out = []
    for path in files:
        if not Path(path).is_file():
            raise DataError(f"{where}: no such annotation file {path}")
        out += read_annotations(path, labels)
    return out


def annotation_sources(files: Sequence[str], where: str) -> list[str]:
    """The corpora the files' lines name (resolved), in order of first appearance."""
    out: list[str] = []
    for annotation in read_files(files, None, where):
        source = resolve_source(annotation.source, annotation.file, annotation.where)
        if not any(same_source(source, s) for s in out):
            out.append(source)
    if not out:
        raise DataError(f"{where}: the annotation files have no lines")
    return out


def decisive_lines(files: Sequence[str], sources: str | Sequence[str], *, labels: Sequence[str] | None = None,
                   resolve: str = "error", where: str = "data.annotations", corpus_name: str = "",
                   ) -> tuple[dict[str, Annotation], list[str], int]:
    """For the lines about ``sources``: the line deciding each item (see :func:`resolve_labels`), the ids
    left out because annotators disagree, and how many lines were about other corpora."""
    wanted = [sources] if isinstance(sources, str) else list(sources)
    every = read_files(files, labels, where)
    mine, others = [], 0
    for annotation in every:
        source = resolve_source(annotation.source, annotation.file, annotation.where)
        if any(same_source(source, s) for s in wanted):
            mine.append(annotation)
        else:
            others += 1
    if not mine:
        named = sorted({a.source for a in every})
        raise DataError(f"{where}: no line is about {corpus_name or ' + '.join(wanted)}"
                        + (f" (the lines name {', '.join(named[:3])})" if named else " (the files are empty)"))
    decided, disagreeing = resolve_labels(mine, resolve, where)
    return decided, disagreeing, others


def join_annotations(corpus: Corpus, files: Sequence[str], sources: str | Sequence[str], *,
                     labels: Sequence[str] | None = None, multilabel: bool = True, resolve: str = "error",
                     where: str = "data.annotations",
                     lines: tuple[dict[str, Annotation], list[str], int] | None = None) -> Corpus:
    """``corpus`` with its labels taken from the annotation files (the rows without one left out).

    ``sources`` names the corpus as the config does (a path or hub id, or a list of them), to pick the
    lines that are about it; ``lines``: :func:`decisive_lines`'s result for them when the caller has it
    already (the files are not read again). The result records each file's fingerprint in
    ``annotation_files`` and what was left out in ``notes``."""
    decided, disagreeing, others = lines or decisive_lines(files, sources, labels=labels, resolve=resolve,
                                                           where=where, corpus_name=corpus.source)
    position = {row_id: i for i, row_id in enumerate(corpus.ids)}
    unknown = [a for a in decided.values() if a.id not in position]
    if unknown:
        first = min(unknown, key=lambda a: (a.file, a.line))
        raise DataError(f"{where}: {first.where}: id {first.id!r} is not in {corpus.source}"
                        + (f" ({len(unknown)} unknown ids)" if len(unknown) > 1 else ""))
    keep = sorted(position[row_id] for row_id in decided)
    joined = corpus.subset(keep)
    values: list[Any] = []
    for i in keep:
        annotation = decided[corpus.ids[i]]
        if multilabel:
            values.append(list(annotation.labels))
        elif len(annotation.labels) != 1:
            raise DataError(f"{where}: {annotation.where}: field 'labels': a multiclass task needs exactly one "
                            f"label, got {_show(annotation.labels)}")
        else:
            values.append(annotation.labels[0])
    joined.labels = values
    joined.skipped = corpus.skipped
    joined.annotation_files = [{"source": str(Path(f).resolve()), "file_fingerprint": file_fingerprint(Path(f))}
                               for f in files]
    note = f"{where}: {len(keep)} of {len(corpus)} rows of {corpus.source} are annotated; {len(corpus) - len(keep)} " \
           "without annotations left out"
    if disagreeing:
        note += f"; {len(disagreeing)} where annotators disagree and nothing is adjudicated left out"
    if others:
        note += f"; {others} line(s) about other corpora not used"
    joined.notes = [*corpus.notes, note]
    return joined


def read_corpus(sources: str | list[str], text_fields: list[str], *, where: str, **corpus_options: Any) -> Corpus:
    """A corpus read to be joined with annotation files: no labels of its own, and rows that repeat an id
    and its text (one article paired with several claims, say) read once."""
    return load_corpus(sources, text_fields, None, labels=None, where=where, repeated_ids="same_text",
                       **corpus_options)


def load_annotated(files: Sequence[str], text_fields: list[str], sources: str | Sequence[str] | None = None, *,
                   labels: Sequence[str] | None = None, multilabel: bool = True, resolve: str = "error",
                   where: str = "data.annotations", corpus_where: str | None = None, **corpus_options: Any) -> Corpus:
    """The corpus the annotation files point into (``sources``, or else the sources their lines name),
    read by :func:`read_corpus` and joined with the files. ``corpus_where`` names the corpus in its own
    errors (default ``where``)."""
    return load_weighted(files, text_fields, sources, labels=labels, multilabel=multilabel, resolve=resolve,
                         where=where, corpus_where=corpus_where, **corpus_options)[0]


def load_weighted(files: Sequence[str], text_fields: list[str], sources: str | Sequence[str] | None = None, *,
                  labels: Sequence[str] | None = None, multilabel: bool = True, resolve: str = "error",
                  where: str = "data.annotations", corpus_where: str | None = None,
                  **corpus_options: Any) -> tuple[Corpus, list[float | None]]:
    """:func:`load_annotated`, and per row of the joined corpus the prevalence weight of its decisive line
    (:func:`didgah.annotations.prevalence.stratum_weights`; ``None`` for a line that records no pool). The
    annotation files are read once."""
    if not sources:
        found = annotation_sources(files, where)
        sources = found[0] if len(found) == 1 else found
    sources = sources if isinstance(sources, str) else list(sources)
    corpus = read_corpus(sources, text_fields, where=corpus_where or where, multilabel=multilabel, **corpus_options)
    lines = decisive_lines(files, sources, labels=labels, resolve=resolve, where=where, corpus_name=corpus.source)
    joined = join_annotations(corpus, files, sources, labels=labels, multilabel=multilabel, resolve=resolve,
                              where=where, lines=lines)
    return joined, stratum_weights([lines[0][row_id] for row_id in joined.ids])
