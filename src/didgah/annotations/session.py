"""A labelling session: the queue of chosen items, the labels being set, and every decision written
through :class:`~didgah.annotations.store.AnnotationWriter`. Both front ends (the terminal app in
:mod:`didgah.annotations.tui` and the Jupyter widget in :mod:`didgah.annotations.widget`) drive this
class and nothing else, so they behave the same.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> writer = AnnotationWriter(folder / "a.jsonl", "maryam", "c.jsonl", ["security", "refugees"])
>>> from didgah.annotations.select import random_selection
>>> session = AnnotationSession(["1", "2"], ["حمله به پایگاه", "اردوگاه پناهجویان"], ["security", "refugees"],
...                             writer, random_selection(["1", "2"], 2, seed=0))
>>> session.toggle("2")
['refugees']
>>> session.submit().labels
('refugees',)
>>> session.undo(); session.progress()["labelled"]
True
0
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from didgah.annotations.select import STRATEGIES, Selection
from didgah.annotations.store import Annotation, AnnotationWriter, source_for
from didgah.errors import DidgahError, DidgahWarning, suggest

MAX_LABEL_KEYS = 9


@dataclass(frozen=True)
class Item:
    """The item on screen: its id, the text as shown (normalized), how it was chosen, where it is in the queue."""

    id: str
    text: str
    strategy: str
    position: int
    total: int


def label_definitions(path: str | Path, labels: Sequence[str]) -> dict[str, str]:
    """Each label's section of a markdown guideline: the section whose heading starts with the label's name
    (``## refugees (پناهندگان ...)``), heading included. Labels without a section get one warning."""
    path = Path(path)
    if not path.is_file():
        raise DidgahError(f"--guideline: no such file {path}")
    sections: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            sections.append((line.lstrip("#").strip(), [line]))
        elif sections:
            sections[-1][1].append(line)
    out = {}
    for label in labels:
        for heading, lines in sections:
            words = re.split(r"[\s(:,]+", heading.lower(), maxsplit=1)
            if words and words[0] == label.lower():
                out[label] = "\n".join(lines).strip()
                break
    missing = [label for label in labels if label not in out]
    if missing:
        warnings.warn(f"--guideline: {path} has no section headed by {', '.join(missing)}", DidgahWarning, stacklevel=2)
    return out


class AnnotationSession:
    """The queue of items to label and the decision being made on the current one.

    Parameters
    ----------
    ids, texts : the corpus's row ids and texts (``texts`` as read; shown normalized)
    labels : the label set; keys ``1``..``9`` toggle them in order
    writer : where decisions go (its ``done`` ids are skipped: a session resumes)
    selection : the chosen items, in order (see :mod:`didgah.annotations.select`)
    definitions : label -> its guideline text, shown beside the article
    multilabel : several labels per item (else choosing a label replaces the previous one)
    normalizer : the normalizer the article is shown through (``None``: as read)
    """

    def __init__(self, ids: Sequence[str], texts: Sequence[str], labels: Sequence[str], writer: AnnotationWriter,
                 selection: Selection, definitions: dict[str, str] | None = None, multilabel: bool = True,
                 normalizer: str | None = "persian_normalizer.v2") -> None:
        if not labels:
            raise DidgahError("--labels: at least one label is needed")
        if len(labels) > MAX_LABEL_KEYS:
            raise DidgahError(f"--labels: at most {MAX_LABEL_KEYS} labels (one key each, 1-9), got {len(labels)}")
        self.ids, self.texts, self.labels = list(ids), list(texts), list(labels)
        self.writer, self.selection = writer, selection
        self.definitions = definitions or {}
        self.multilabel, self.normalizer = multilabel, normalizer
        self.already = len(writer.done)
        self.queue = [c for c in selection.choices if c.id not in writer.done]
        self.position = 0
        self.history: list[tuple[str, int, Annotation | None]] = []
        self._shown: dict[int, str] = {}
        self._reset()

    @property
    def keys(self) -> dict[str, str]:
        """Key -> label: ``1`` for the first label, ``2`` for the second ..."""
        return {str(k + 1): label for k, label in enumerate(self.labels)}

    def _reset(self, annotation: Annotation | None = None) -> None:
        self.selected: list[str] = list(annotation.labels) if annotation else []
        self.borderline = bool(annotation and annotation.borderline)
        self.note = (annotation.note or "") if annotation else ""

    @property
    def finished(self) -> bool:
        return self.position >= len(self.queue)

    @property
    def current(self) -> Item | None:
        """The item to decide now, ``None`` when the queue is done."""
        if self.finished:
            return None
        choice = self.queue[self.position]
        if choice.index not in self._shown:
            text = self.texts[choice.index]
            if self.normalizer:
                from didgah.text.normalization import normalize

                text = normalize(text, self.normalizer)
            self._shown[choice.index] = text
        return Item(choice.id, self._shown[choice.index], choice.strategy, self.position + 1, len(self.queue))

    def toggle(self, label: str) -> list[str]:
        """Set or clear a label (or its key, ``"1"``...) on the current item; returns the labels set."""
        label = self.keys.get(label, label)
        if label not in self.labels:
            raise DidgahError(f"unknown label {label!r}{suggest(label, self.labels)}; labels: {', '.join(self.labels)}")
        if label in self.selected:
            self.selected.remove(label)
        elif self.multilabel:
            self.selected = [x for x in self.labels if x in self.selected or x == label]
        else:
            self.selected = [label]
        return list(self.selected)

    def toggle_borderline(self) -> bool:
        self.borderline = not self.borderline
        return self.borderline

    def set_note(self, note: str) -> None:
        self.note = note.strip()

    def submit(self) -> Annotation:
        """Write the current item's labels (none is a decision too: no label applies) and move on."""
        if self.finished:
            raise DidgahError("nothing left to label in this session")
        if not self.multilabel and len(self.selected) != 1:
            raise DidgahError("choose exactly one label (multiclass)")
        choice = self.queue[self.position]
        annotation = self.writer.write(choice.id, self.selected, borderline=self.borderline, note=self.note or None,
                                       strategy=choice.strategy, pool=choice.pool)
        self.history.append(("submit", self.position, annotation))
        self.position += 1
        self._reset()
        return annotation

    def skip(self) -> None:
        """Leave the current item unlabelled (it is offered again in a later session)."""
        if self.finished:
            raise DidgahError("nothing left to label in this session")
        self.history.append(("skip", self.position, None))
        self.position += 1
        self._reset()

    def undo(self) -> bool:
        """Go back to the previous item; a label written for it is taken out of the file again.
        ``False`` when there is nothing to undo."""
        if not self.history:
            return False
        kind, position, annotation = self.history.pop()
        if kind == "submit":
            self.writer.retract_last()  # if another process appended since, the line stays; a new one wins
        self.position = position
        self._reset(annotation)
        return True

    def progress(self) -> dict[str, int]:
        """Counts: ``labelled`` and ``skipped`` in this session, ``remaining`` in the queue, ``total``
        queued, ``before`` (items this annotator had labelled before the session)."""
        labelled = sum(1 for kind, *_ in self.history if kind == "submit")
        return {"labelled": labelled, "skipped": len(self.history) - labelled,
                "remaining": len(self.queue) - self.position, "total": len(self.queue), "before": self.already}

    def status(self) -> str:
        """One line: ``12/50 · labelled 11 · skipped 1 · [security] · borderline``."""
        p = self.progress()
        shown = ", ".join(self.selected) if self.selected else "no label"
        return (f"{min(self.position + 1, p['total'])}/{p['total']} · labelled {p['labelled']} · skipped {p['skipped']}"
                f" · [{shown}]" + (" · borderline" if self.borderline else "") + (f" · note: {self.note}" if self.note else ""))

    def close(self) -> None:
        self.writer.close()


def open_session(data: str, labels: Sequence[str], out: str | Path, annotator: str, *,
                 text_fields: Sequence[str] = ("text",), id_field: str = "id", strategy: str = "random", n: int = 50,
                 functions: str | None = None, model: Any = None, guideline: str | Path | None = None, seed: int = 0,
                 multilabel: bool = True, normalizer: str | None = "persian_normalizer.v2", threshold: float = 0.9,
                 split: str | None = None, items: str | Path | None = None) -> AnnotationSession:
    """Read a corpus, choose ``n`` items by ``strategy`` and open a session writing to ``out``.

    ``functions`` (a labelling-function set) is needed by ``rules``; ``model`` (a path or a loaded
    model) by ``uncertainty``; ``items`` (another annotator's file) by ``recheck``. Rows with empty text are left out; ids already labelled by ``annotator``
    in ``out`` are not chosen again."""
    from didgah.annotations import select
    from didgah.annotations.join import read_corpus
    from didgah.outputs import check_output

    if strategy not in STRATEGIES:
        raise DidgahError(f"--strategy: {strategy!r} is not one of {', '.join(STRATEGIES)}{suggest(strategy, STRATEGIES)}")
    if strategy == "rules" and not functions:
        raise DidgahError("--strategy rules: needs --functions (a labelling-function set, e.g. topic_lfs.v1)")
    if strategy == "uncertainty" and model is None:
        raise DidgahError("--strategy uncertainty: needs --model (a saved model or run directory)")
    if strategy == "recheck" and not items:
        raise DidgahError("--strategy recheck: needs --items (the annotation file whose positives and borderline "
                          "items are read again)")
    labels = list(dict.fromkeys(labels))
    check_output(out, {"--data": data}, "--out")
    if Path(out).suffix.lower() != ".jsonl":
        raise DidgahError(f"--out: {out}: annotation files are JSON lines; name a .jsonl file")
    definitions = label_definitions(guideline, labels) if guideline else {}
    corpus = read_corpus(data, list(text_fields), id_field=id_field, where="--data", empty_text="skip", split=split)
    writer = AnnotationWriter(out, annotator, source_for(data, out), labels)
    done = writer.done
    if strategy == "random":
        selection = select.random_selection(corpus.ids, n, done, seed)
    elif strategy == "rules":
        selection = select.rules_selection(corpus.texts, corpus.ids, str(functions), n, done, seed, labels)
    elif strategy == "uncertainty":
        if isinstance(model, (str, Path)):
            from didgah.persist import load_model

            model = load_model(model)
        selection = select.uncertainty_selection(model, corpus.inputs, corpus.ids, n, done)
    elif strategy == "recheck":
        from didgah.annotations.store import read_annotations, resolve_source, same_source

        lines = [a for a in read_annotations(str(items), labels)
                 if same_source(resolve_source(a.source, a.file, a.where), str(Path(data).resolve()))]
        selection = select.recheck_selection(corpus.ids, lines, done, annotator, n)
    else:
        selection = select.diversity_selection(corpus.texts, corpus.ids, n, done, seed, threshold)
    return AnnotationSession(corpus.ids, corpus.texts, labels, writer, selection, definitions, multilabel, normalizer)


def require(module: str, what: str) -> Any:
    """Import an optional library of the ``annotate`` extra, or one ``DidgahError`` saying how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise DidgahError(f"{what} needs {module.split('.')[0]}: pip install 'didgah[annotate]'") from None
