"""Label Studio JSON in and out, for teams that annotate there.

**Export** writes a corpus (and, optionally, annotation files) as Label Studio tasks: each task's
``data`` holds the text, the row id (``didgah_id``) and the corpus (``didgah_source``); existing labels
become pre-annotations (``predictions``, with ``model_version`` ``didgah:<annotator>``). The labelling
interface to paste into the project (:func:`label_config`) has a ``Choices`` control ``labels`` (one
choice per label, several allowed), a ``Choices`` control ``borderline`` and a ``TextArea`` ``note``.

**Import** reads Label Studio's JSON export (a list of tasks with their ``annotations``) into standoff
lines: labels from the ``labels`` control (or any other ``choices`` result), ``borderline`` and ``note``
when those controls exist, the annotator from ``completed_by`` (an e-mail, or ``labelstudio:<user id>``),
the time from ``updated_at`` or ``created_at``. Cancelled (skipped) annotations are left out.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from didgah.annotations.store import Annotation, now, read_annotations, resolve_source, same_source
from didgah.data import Corpus
from didgah.errors import DataError

ID_KEY, SOURCE_KEY = "didgah_id", "didgah_source"


def label_config(labels: Sequence[str], multilabel: bool = True) -> str:
    """The Label Studio labelling interface (XML) that export and import expect."""
    choices = "\n".join(f'    <Choice value="{html.escape(label)}"/>' for label in labels)
    return (
        "<View>\n"
        '  <Text name="text" value="$text" granularity="word"/>\n'
        f'  <Choices name="labels" toName="text" choice="{"multiple" if multilabel else "single"}" showInLine="true">\n'
        f"{choices}\n"
        "  </Choices>\n"
        '  <Choices name="borderline" toName="text" choice="single">\n'
        '    <Choice value="borderline"/>\n'
        "  </Choices>\n"
        '  <TextArea name="note" toName="text" rows="1" placeholder="note"/>\n'
        "</View>\n"
    )


def _result(labels: Sequence[str], borderline: bool, note: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"from_name": "labels", "to_name": "text", "type": "choices",
                                  "value": {"choices": list(labels)}}]
    if borderline:
        out.append({"from_name": "borderline", "to_name": "text", "type": "choices",
                    "value": {"choices": ["borderline"]}})
    if note:
        out.append({"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": [note]}})
    return out


def export_tasks(corpus: Corpus, source: str, annotation_files: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Label Studio tasks for every row of ``corpus`` (named ``source`` in the tasks), with the labels of
    ``annotation_files`` about that corpus as pre-annotations."""
    by_id: dict[str, list[Annotation]] = {}
    for path in annotation_files:
        for a in read_annotations(path):
            if same_source(resolve_source(a.source, a.file, a.where), corpus.source):
                by_id.setdefault(a.id, []).append(a)
    tasks = []
    for row_id, text in zip(corpus.ids, corpus.texts):
        task: dict[str, Any] = {"data": {"text": text, ID_KEY: row_id, SOURCE_KEY: source}}
        lines = by_id.get(row_id)
        if lines:
            last = {a.annotator: a for a in lines}  # each annotator's last line
            task["predictions"] = [{"model_version": f"didgah:{a.annotator}",
                                    "result": _result(a.labels, a.borderline, a.note)} for a in last.values()]
        tasks.append(task)
    return tasks


def _annotator(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("email") or value.get("username") or f"labelstudio:{value.get('id')}")
    return f"labelstudio:{value}" if value is not None else "labelstudio"


def import_export(path: str | Path, labels: Sequence[str] | None = None, source: str | None = None,
                  annotator: str | None = None, predictions: bool = False) -> list[Annotation]:
    """Standoff lines from a Label Studio JSON export. ``source`` names the corpus when the tasks do not
    carry ``didgah_source``; ``annotator`` replaces every annotator's name; ``predictions`` also takes
    pre-annotations (``predictions``) of tasks nobody annotated."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such Label Studio export")
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not a Label Studio JSON export ({exc.__class__.__name__})") from None
    if not isinstance(tasks, list):
        raise DataError(f"{path}: expected a JSON list of tasks (Label Studio's JSON export)")
    out = []
    for k, task in enumerate(tasks):
        where = f"{path}: task {k}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            raise DataError(f"{where}: no 'data' object")
        row_id = data.get(ID_KEY, data.get("id"))
        if row_id is None:
            raise DataError(f"{where}: data has no {ID_KEY!r} (nor 'id'): the row id in the corpus")
        task_source = data.get(SOURCE_KEY) or source
        if not task_source:
            raise DataError(f"{where}: data has no {SOURCE_KEY!r}; name the corpus with --source")
        entries = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not entries and predictions:
            entries = [{**p, "completed_by": p.get("model_version")} for p in task.get("predictions") or []]
        for entry in entries:
            chosen, borderline, note = [], False, None
            for result in entry.get("result") or []:
                value = result.get("value") or {}
                name = result.get("from_name")
                if name == "borderline":
                    borderline = bool(value.get("choices"))
                elif name == "note" or result.get("type") == "textarea":
                    note = " ".join(value.get("text") or []) or None
                elif result.get("type") == "choices" or "choices" in value:
                    chosen += [str(c) for c in value.get("choices") or []]
            if labels is not None:
                for label in chosen:
                    if label not in labels:
                        raise DataError(f"{where}: unknown label {label!r}; labels: {', '.join(labels)}")
            name = annotator or _annotator(entry.get("completed_by"))
            if isinstance(entry.get("completed_by"), str) and entry["completed_by"].startswith("didgah:"):
                name = annotator or entry["completed_by"].removeprefix("didgah:")
            time = entry.get("updated_at") or entry.get("created_at") or now()
            out.append(Annotation(str(task_source), str(row_id), tuple(dict.fromkeys(chosen)), name, str(time),
                                  borderline=borderline, note=note))
    return out
