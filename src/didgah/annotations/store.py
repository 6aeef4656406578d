"""Standoff annotation files: one JSON object per line, pointing into a corpus by source and row id.

A line looks like this (the corpus text is never copied)::

    {"source": "irnews-2020/train.jsonl", "id": "8123", "labels": ["security"], "annotator": "maryam",
     "borderline": false, "time": "2026-12-06T10:31:02+00:00", "note": "", "strategy": "rules:refugees",
     "pool": 4120, "adjudicated": false}

``source``, ``id``, ``labels``, ``annotator`` and ``time`` are required; ``borderline`` defaults to false;
``note``, ``strategy`` (how the item was chosen), ``pool`` (the size of the stratum it was drawn from, for
prevalence weighting) and ``adjudicated`` are optional. Any other field is an error.

A relative ``source`` is looked up in the annotation file's folder, then in ``$DIDGAH_DATA_DIR`` when
that is set; a source that is neither a local file nor looks like a path is a hub dataset id. Never
relative to the current directory: a file means the same wherever a command runs.

Files are append-only: :class:`AnnotationWriter` writes and flushes one line per decision, so a session
that stops keeps every decision made, and a new session skips what its annotator already labelled.
Among one annotator's lines for an item the last wins; an ``adjudicated`` line wins over all others.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from didgah.data import FILE_FORMATS, json_line
from didgah.errors import DataError, suggest

REQUIRED = ("source", "id", "labels", "annotator", "time")
OPTIONAL = ("borderline", "note", "strategy", "pool", "adjudicated")
FIELDS = REQUIRED + OPTIONAL
DATA_DIR_ENV = "DIDGAH_DATA_DIR"


@dataclass(frozen=True)
class Annotation:
    """One line of an annotation file; ``file`` and ``line`` say where it was read (empty when new)."""

    source: str
    id: str
    labels: tuple[str, ...]
    annotator: str
    time: str
    borderline: bool = False
    note: str | None = None
    strategy: str | None = None
    pool: int | None = None
    adjudicated: bool = False
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def where(self) -> str:
        """``file:line``, for messages."""
        return f"{self.file}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        """The line's object: required fields, ``borderline``, and the optional ones that are set."""
        out: dict[str, Any] = {"source": self.source, "id": self.id, "labels": list(self.labels),
                               "annotator": self.annotator, "borderline": self.borderline, "time": self.time}
        for key in ("note", "strategy", "pool"):
            if getattr(self, key) not in (None, ""):
                out[key] = getattr(self, key)
        if self.adjudicated:
            out["adjudicated"] = True
        return out


def now() -> str:
    """The current time, ISO 8601 with its UTC offset, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _check(obj: Any, where: str, labels: Iterable[str] | None) -> Annotation:
    if not isinstance(obj, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for key in obj:
        if key not in FIELDS:
            raise DataError(f"{where}: unknown field {key!r}{suggest(key, FIELDS)}; allowed: {', '.join(FIELDS)}")
    for key in REQUIRED:
        if key not in obj:
            raise DataError(f"{where}: missing field {key!r}")
    for key in ("source", "annotator", "time"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            raise DataError(f"{where}: field {key!r}: expected a non-empty string, got {obj[key]!r}")
    row_id = obj["id"]
    if isinstance(row_id, bool) or not isinstance(row_id, (str, int)) or str(row_id) == "":
        raise DataError(f"{where}: field 'id': expected the row id as a string, got {row_id!r}")
    values = obj["labels"]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataError(f"{where}: field 'labels': expected a list of label strings, got {values!r}")
    if labels is not None:
        known = list(labels)
        for value in values:
            if value not in known:
                raise DataError(f"{where}: field 'labels': unknown label {value!r}{suggest(value, known)}; "
                                f"labels: {', '.join(known)}")
    try:
        dt.datetime.fromisoformat(obj["time"])
    except ValueError:
        raise DataError(f"{where}: field 'time': not an ISO time, got {obj['time']!r}") from None
    for key in ("borderline", "adjudicated"):
        if key in obj and not isinstance(obj[key], bool):
            raise DataError(f"{where}: field {key!r}: expected true or false, got {obj[key]!r}")
    for key in ("note", "strategy"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise DataError(f"{where}: field {key!r}: expected a string, got {obj[key]!r}")
    pool = obj.get("pool")
    if pool is not None and (isinstance(pool, bool) or not isinstance(pool, int) or pool < 1):
        raise DataError(f"{where}: field 'pool': expected a positive integer (the stratum's size), got {pool!r}")
    return Annotation(source=obj["source"], id=str(row_id), labels=tuple(dict.fromkeys(values)),
                      annotator=obj["annotator"], time=obj["time"], borderline=bool(obj.get("borderline", False)),
                      note=obj.get("note"), strategy=obj.get("strategy"), pool=pool,
                      adjudicated=bool(obj.get("adjudicated", False)))


def read_annotations(path: str | Path, labels: Iterable[str] | None = None) -> list[Annotation]:
    """Every line of an annotation file, checked: a problem is one ``DataError`` naming ``file:line`` and
    the field (malformed JSON, a missing or unknown field, labels not a list, a label outside ``labels``).

    Blank lines are skipped; an empty file has no annotations."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such annotation file")
    out = []
    known = list(labels) if labels is not None else None
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            where = f"{path}:{number}"
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DataError(f"{where}: not valid UTF-8") from None
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: not valid JSON ({exc.msg})") from None
            annotation = _check(obj, where, known)
            out.append(Annotation(**{**annotation.__dict__, "file": str(path), "line": number}))
    return out


def data_root() -> Path | None:
    """``$DIDGAH_DATA_DIR`` (the shared data folder) when set, else ``None``."""
    value = os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser().resolve() if value else None


def _looks_local(source: str) -> bool:
    return Path(source).suffix.lower() in FILE_FORMATS or source.startswith((".", "/", "~")) or source.count("/") > 1


def resolve_source(source: str, annotation_file: str | Path, where: str = "") -> str:
    """The corpus a line's ``source`` names: an absolute local path, or the unchanged hub id.

    Looked up in the annotation file's folder, then in ``$DIDGAH_DATA_DIR``; a source that exists in
    neither but looks like a file path is a ``DataError``."""
    path = Path(source).expanduser()
    if path.is_absolute():
        return str(path)
    candidates = [Path(annotation_file).resolve().parent / path]
    root = data_root()
    if root is not None:
        candidates.append(root / path)
    for candidate in candidates:
        if candidate.exists():
            return str(candidate.resolve())
    if _looks_local(source):
        places = " or ".join(str(c.parent) for c in candidates)
        hint = "" if root is not None else f" (set {DATA_DIR_ENV} to the shared data folder)"
        raise DataError(f"{where or annotation_file}: source {source!r}: no such file in {places}{hint}")
    return source


def source_key(annotation: Annotation) -> str:
    """The corpus a line names, resolved when it can be found, else as written: a key to tell items of
    different corpora apart where the corpus itself is not read (agreement)."""
    try:
        return resolve_source(annotation.source, annotation.file, annotation.where)
    except DataError:
        return annotation.source


def source_for(corpus: str, annotation_file: str | Path) -> str:
    """How a line names ``corpus``: relative to ``$DIDGAH_DATA_DIR`` when the corpus is inside it, else
    relative to the annotation file's folder; a hub id unchanged."""
    path = Path(corpus).expanduser()
    if not path.exists():
        return corpus
    path = path.resolve()
    root = data_root()
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return Path(os.path.relpath(path, Path(annotation_file).resolve().parent)).as_posix()


def same_source(a: str, b: str) -> bool:
    """Whether two resolved sources name the same corpus (the same file, or the same hub id)."""
    if a == b:
        return True
    pa, pb = Path(a), Path(b)
    return pa.exists() and pb.exists() and pa.resolve() == pb.resolve()


class AnnotationWriter:
    """Appends annotation lines to a file, one flushed line per decision.

    ``done`` holds the ids this annotator already labelled in this source, so a session can resume.
    :meth:`retract_last` removes the last line this writer wrote (an undo), and only that.

    Parameters
    ----------
    path : the annotation file (created with its folders when missing; existing lines are kept and checked)
    annotator : the name every line written gets
    source : the corpus, as :func:`source_for` writes it
    labels : the label set; existing lines with other labels are an error

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> with AnnotationWriter(path, "maryam", "corpus.jsonl", ["security"]) as writer:
    ...     writer.write("7", ["security"]).labels
    ('security',)
    """

    def __init__(self, path: str | Path, annotator: str, source: str, labels: Iterable[str] | None = None) -> None:
        if not annotator.strip():
            raise DataError("--annotator: a name is needed (it goes into every line)")
        self.path = Path(path)
        self.annotator = annotator
        self.source = source
        self.labels = list(labels) if labels is not None else None
        existing = read_annotations(self.path, self.labels) if self.path.is_file() else []
        mine = Annotation(source, "", (), annotator, "", file=str(self.path))
        self.done = {a.id for a in existing
                     if a.annotator == annotator and (a.source == source or same_source(source_key(a), source_key(mine)))}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: TextIO = open(self.path, "a+", encoding="utf-8")
        self._handle.seek(0, os.SEEK_END)
        if self._handle.tell() > 0:
            self._handle.seek(self._handle.tell() - 1)
            last = self._handle.read(1)
            self._handle.seek(0, os.SEEK_END)
            if last != "\n":  # a line cut short by a crash stays its own (broken) line, never merges with ours
                self._handle.write("\n")
        self._written: list[tuple[int, int, Annotation]] = []  # (offset before, offset after, line)

    def write(self, row_id: str, labels: Iterable[str], *, borderline: bool = False, note: str | None = None,
              strategy: str | None = None, pool: int | None = None, adjudicated: bool = False,
              time: str | None = None) -> Annotation:
        """Append one line and flush it to disk; returns what was written."""
        values = list(dict.fromkeys(labels))
        if self.labels is not None:
            for value in values:
                if value not in self.labels:
                    raise DataError(f"{self.path}: unknown label {value!r}{suggest(value, self.labels)}")
        annotation = Annotation(source=self.source, id=str(row_id), labels=tuple(values), annotator=self.annotator,
                                time=time or now(), borderline=borderline, note=note or None, strategy=strategy,
                                pool=pool, adjudicated=adjudicated)
        self._handle.seek(0, os.SEEK_END)
        before = self._handle.tell()
        self._handle.write(json_line(annotation.to_json()))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._written.append((before, self._handle.tell(), annotation))
        self.done.add(annotation.id)
        return annotation

    def retract_last(self) -> Annotation | None:
        """Remove the last line this writer wrote (an undo); ``None`` when there is none, or when another
        process appended after it (then the line stays: a later line of the same annotator wins anyway)."""
        if not self._written:
            return None
        before, after, annotation = self._written[-1]
        self._handle.seek(0, os.SEEK_END)
        if self._handle.tell() != after:
            return None
        self._written.pop()
        self._handle.truncate(before)
        self._handle.flush()
        os.fsync(self._handle.fileno())
        if not any(a.id == annotation.id for _, _, a in self._written):
            self.done.discard(annotation.id)
        return annotation

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> AnnotationWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_annotations(path: str | Path, annotations: Iterable[Annotation]) -> Path:
    """Write a whole annotation file at once (atomically), e.g. an adjudicated or imported one."""
    from didgah.outputs import atomic_file

    path = Path(path)
    with atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        for annotation in annotations:
            handle.write(json_line(annotation.to_json()))
    return path
