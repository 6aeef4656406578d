"""Corpora: load through Hugging Face ``datasets``, validate against the declared schema, fingerprint.

A corpus source is a local CSV / JSONL / JSON / Parquet file, a folder written by
``Dataset.save_to_disk``, or a hub dataset id (only when online). The schema says which fields hold
the text (joined with a newline: title + body), the label(s), an optional id and an optional group.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from didgah.errors import DataError, DidgahWarning

_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_CHARS = 100_000  # about 15,000 words: ten times a long news article
LONG_TEXT_POLICIES = ("truncate", "error")


def bound_length(texts: list[str], max_chars: int | None, policy: str = "truncate", where: str = "") -> list[str]:
    """Texts cut to ``max_chars`` characters (``None``: no limit), with one warning naming how many
    were cut; with ``policy="error"`` a longer text is a ``DataError`` instead. Memory and time stay
    bounded whatever a corpus holds."""
    if max_chars is None:
        return texts
    long = [i for i, t in enumerate(texts) if len(t) > max_chars]
    if not long:
        return texts
    longest = max(len(texts[i]) for i in long)
    if policy == "error":
        raise DataError(f"{where + ' ' if where else ''}text {long[0]} has {len(texts[long[0]]):,} characters, over preprocess.max_chars "
                        f"({max_chars:,}); raise the limit or set preprocess.long_text: truncate")
    warnings.warn(f"{where + ': ' if where else ''}{len(long)} text(s) over preprocess.max_chars ({max_chars:,} characters) were cut to that "
                  f"length (the longest had {longest:,})", DidgahWarning, stacklevel=2)
    return [t[:max_chars] if len(t) > max_chars else t for t in texts]


FILE_FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "json", ".json": "json", ".parquet": "parquet"}
EMPTY_POLICIES = ("error", "skip")
# how items whose annotators disagree are read (didgah.annotations.join.resolve_labels)
RESOLVE_POLICIES = ("error", "adjudicated_only", "first")


@dataclass
class Corpus:
    """Texts with their labels, ids and groups, in file order, plus where they came from.

    ``labels`` holds label lists (multi-label) or one label per text (multiclass); it is ``None`` for
    an unlabelled corpus. ``rows`` keeps every original field, for writing predictions beside them.
    """

    texts: list[str]
    labels: list[Any] | None
    ids: list[str]
    groups: list[str] | None
    source: str
    fingerprint: str
    rows: list[dict[str, Any]] = field(repr=False, default_factory=list)
    skipped: list[int] = field(default_factory=list)
    targets: list[str] | None = None
    # when the labels come from annotation files: each file's path and fingerprint, and one-line notes
    annotation_files: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def inputs(self) -> list[Any]:
        """What a model reads: the texts, or (target, text) pairs for a stance corpus."""
        return self.texts if self.targets is None else list(zip(self.targets, self.texts))

    @property
    def strings(self) -> list[str]:
        """One string per example (target and text joined for pairs), e.g. for duplicate search."""
        return self.texts if self.targets is None else [f"{t}\n{x}" for t, x in zip(self.targets, self.texts)]

    def subset(self, index: Any) -> Corpus:
        """The rows at ``index`` (positions), as a new corpus."""
        index = [int(i) for i in index]
        pick = lambda values: None if values is None else [values[i] for i in index]  # noqa: E731
        return Corpus(
            texts=pick(self.texts), labels=pick(self.labels), ids=pick(self.ids), groups=pick(self.groups),
            source=self.source, fingerprint=self.fingerprint, rows=pick(self.rows) or [],
            targets=pick(self.targets),
        )


def concat_corpora(parts: list[Corpus], where: str = "data") -> Corpus:
    """Corpora read one after the other as one (each part read with its own fields): ids must stay unique,
    the fingerprint covers every part's."""
    if len(parts) == 1:
        return parts[0]
    owner: dict[str, str] = {}
    for part in parts:
        for row_id in part.ids:
            if row_id in owner:
                raise DataError(f"{where}: id {row_id!r} is in both {owner[row_id]} and {part.source}; ids must be "
                                "unique across the parts")
            owner[row_id] = part.source
    labelled = [p.labels is not None for p in parts]
    if any(labelled) and not all(labelled):
        raise DataError(f"{where}: some parts have labels and some do not")
    paired = [p.targets is not None for p in parts]
    if any(paired) and not all(paired):
        raise DataError(f"{where}: some parts have targets (stance pairs) and some do not")
    grouped = any(p.groups is not None for p in parts)
    joined = lambda name: [v for p in parts for v in getattr(p, name)]  # noqa: E731
    return Corpus(
        texts=joined("texts"), labels=joined("labels") if all(labelled) else None, ids=joined("ids"),
        groups=[g for p in parts for g in (p.groups if p.groups is not None else p.ids)] if grouped else None,
        source=" + ".join(p.source for p in parts),
        fingerprint="sha256:" + hashlib.sha256("\n".join(p.fingerprint for p in parts).encode()).hexdigest(),
        rows=joined("rows"), targets=joined("targets") if all(paired) else None,
        annotation_files=joined("annotation_files"), notes=joined("notes"),
    )


def file_fingerprint(path: Path) -> str:
    """sha256 of a file's bytes, or of a folder's files (names and bytes, in sorted order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for p in files:
        if path.is_dir():
            digest.update(str(p.relative_to(path)).encode())
        with open(p, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()


def content_fingerprint(texts: list[str], labels: list[Any] | None) -> str:
    """sha256 of the texts and labels actually used (independent of file format and column order)."""
    digest = hashlib.sha256()
    for i, text in enumerate(texts):
        digest.update(text.encode())
        digest.update(b"\x00")
        if labels is not None:
            digest.update(json.dumps(labels[i], ensure_ascii=False, sort_keys=True).encode())
        digest.update(b"\x01")
    return "sha256:" + digest.hexdigest()


def read_rows(source: str | list[str], split: str | None = None, where: str = "data",
              ) -> tuple[list[dict[str, Any]], str]:
    """Read every row of a corpus source as dictionaries; returns the rows and the source's fingerprint.

    A list of sources is read in order as one corpus (same schema); its fingerprint covers every part."""
    if isinstance(source, (list, tuple)):
        rows, digest = [], hashlib.sha256()
        for part in source:
            part_rows, part_print = read_rows(part, split, where)
            rows += part_rows
            digest.update(part_print.encode())
        return rows, "sha256:" + digest.hexdigest()
    path = _local_path(source, where)
    if path is not None:
        return _read_local(path, split, where), file_fingerprint(path)
    return _read_hub(source, split, where), f"hub:{source}:{split or 'train'}"


def _local_path(source: str, where: str) -> Path | None:
    """The local file or ``save_to_disk`` folder a source names, ``None`` for a hub id; a missing file
    or a folder that is neither is one ``DataError``."""
    path = Path(source)
    if path.is_dir() and not (path / "dataset_info.json").is_file() and not (path / "dataset_dict.json").is_file():
        raise DataError(f"{where}: {source} is a folder, not a data file nor a folder written by save_to_disk")
    if path.exists():
        return path
    if path.suffix.lower() in FILE_FORMATS or source.startswith((".", "/", "~")) or source.count("/") > 1:
        raise DataError(f"{where}: no such file {source}")
    return None


def _read_local(path: Path, split: str | None, where: str) -> list[dict[str, Any]]:
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        if path.is_dir():
            loaded = datasets.load_from_disk(str(path))
            if isinstance(loaded, datasets.DatasetDict):
                name = split or ("train" if "train" in loaded else None)
                if name not in loaded:
                    raise DataError(f"{where}: {path} has splits {', '.join(loaded)}; name one with 'split'")
                loaded = loaded[name]
            return loaded.to_list()
        fmt = FILE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise DataError(f"{where}: {path}: unsupported format {path.suffix!r}; use {', '.join(FILE_FORMATS)}")
        _check_encoding(path, fmt, where)
        options = {"delimiter": "\t"} if path.suffix.lower() == ".tsv" else {}
        dataset = datasets.load_dataset(fmt, data_files=str(path), split="train", **options)
        return dataset.to_list()
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError(f"{where}: no such file {path}") from None
    except Exception as exc:  # datasets raises many types for malformed files
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise DataError(f"{where}: cannot read {path}: {detail[:200]}") from None


def _check_encoding(path: Path, fmt: str, where: str) -> None:
    """Every line valid UTF-8 (and, for JSONL, valid JSON), read line by line: the line at fault is named,
    before the reader prints its own message, and a large file is never held whole."""
    if fmt == "parquet":
        return
    jsonl = path.suffix.lower() == ".jsonl"
    empty = True
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DataError(f"{where}: {path} line {number}: not valid UTF-8 (save the file as UTF-8)") from None
            if text.strip():
                empty = False
                if jsonl:
                    try:
                        json.loads(text)
                    except json.JSONDecodeError as exc:
                        raise DataError(f"{where}: {path} line {number}: not valid JSON ({exc.msg})") from None
    if empty:
        raise DataError(f"{where}: {path} is empty")


def _read_hub(name: str, split: str | None, where: str) -> list[dict[str, Any]]:
    import datasets

    if os.environ.get("HF_DATASETS_OFFLINE") == "1" or os.environ.get("HF_HUB_OFFLINE") == "1":
        raise DataError(f"{where}: {name!r} is not a local file and the hub is offline (HF_DATASETS_OFFLINE=1)")
    try:
        return datasets.load_dataset(name, split=split or "train").to_list()
    except Exception as exc:
        raise DataError(f"{where}: cannot load hub dataset {name!r}: {str(exc).splitlines()[0][:200]}") from None


def blank(text: str) -> bool:
    """Whether a text has nothing visible: only whitespace and format characters (ZWNJ, ZWJ, marks)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def text_of(row: dict[str, Any], fields: list[str]) -> str:
    """The fields' values joined by newlines, leaving out blank ones ('' when all are blank)."""
    parts = []
    for name in fields:
        value = row.get(name)
        if value is None:
            continue
        parts.append(value.strip() if isinstance(value, str) else str(value))
    return "\n".join(p for p in parts if not blank(p))


def as_labels(value: Any, multilabel: bool, row: int, where: str, label_field: str) -> Any:
    if multilabel:
        if value is None:
            return []
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                raise DataError(f"{where} row {row}: field {label_field!r} starts like a JSON list but is not one: "
                                f"{value[:80]!r} (write [\"a\", \"b\"] or a|b)") from None
        elif isinstance(value, str):
            value = [v.strip() for v in value.split("|") if v.strip()]
        if not isinstance(value, list):
            raise DataError(f"{where} row {row}: field {label_field!r} should be a list of labels, got {value!r}")
        return [str(v) for v in value]
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DataError(f"{where} row {row}: field {label_field!r} is empty")
    if isinstance(value, list):
        raise DataError(f"{where} row {row}: field {label_field!r} holds a list; set task: multilabel")
    return str(value).strip()


def load_corpus(
    source: str | list[str],
    text_fields: list[str],
    label_field: str | None = None,
    *,
    multilabel: bool = True,
    labels: list[str] | None = None,
    id_field: str | None = "id",
    group_field: str | None = None,
    split: str | None = None,
    empty_text: str = "error",
    where: str = "data",
    target_field: str | None = None,
    max_chars: int | None = None,
    long_text: str = "truncate",
    repeated_ids: str = "error",
) -> Corpus:
    """Load and validate a corpus.

    Parameters
    ----------
    source : str or list of str
        Path of a CSV/JSONL/JSON/Parquet file or ``save_to_disk`` folder, or a hub dataset id; a list
        of them is read as one corpus (ids must stay unique across the parts).
    text_fields : list of str
        Fields joined (newline) into the text, e.g. ``["title", "text"]``; each must exist.
    label_field : str or None
        The label field; ``None`` for an unlabelled corpus.
    multilabel : bool
        Labels are lists (multi-label) or single strings (multiclass).
    labels : list of str or None
        The declared label set: any other label is an error naming its row.
    id_field, group_field : str or None
        Optional id and group fields (a missing id field falls back to the row number).
    empty_text : {"error", "skip"}
        What to do with rows whose text is empty or whitespace.
    target_field : str or None
        For stance corpora: the field holding the target or claim; examples become (target, text) pairs.
    where : str
        The config key to name in error messages.
    max_chars, long_text : int or None, {"truncate", "error"}
        Texts longer than ``max_chars`` are cut (one warning) or refused, as :func:`bound_length`.
    repeated_ids : {"error", "same_text"}
        Rows that repeat an id are an error; with ``"same_text"`` rows repeating an id *and its text* (one
        article paired with several claims, say) are read once, and only differing texts are an error.
    """
    if empty_text not in EMPTY_POLICIES:
        raise DataError(f"{where}.empty_text: {empty_text!r} is not one of {', '.join(EMPTY_POLICIES)}")
    rows, fingerprint = read_rows(source, split, where)
    name = " + ".join(source) if isinstance(source, (list, tuple)) else str(source)
    if not rows:
        raise DataError(f"{where}: {name} has no rows")
    columns = set().union(*(r.keys() for r in rows[:1000]))
    required = list(text_fields) + [f for f in (label_field, group_field, target_field) if f]
    for column in required:
        if column not in columns:
            raise DataError(f"{where}: {name} has no column {column!r} (columns: {', '.join(sorted(columns))})")
    use_ids = bool(id_field) and id_field in columns
    texts, out_labels, ids, groups, kept_rows, skipped, empty, targets = [], [], [], [], [], [], [], []
    declared = set(labels) if labels else None
    for i, row in enumerate(rows):
        text = text_of(row, text_fields)
        target = text_of(row, [target_field]) if target_field else ""
        if not text or (target_field and not target):
            empty.append(i)
            continue
        if target_field:
            targets.append(target)
        if label_field:
            value = as_labels(row.get(label_field), multilabel, i, f"{where}: {name}", label_field)
            if declared is not None:
                for label in value if multilabel else [value]:
                    if label not in declared:
                        raise DataError(
                            f"{where}: {name} row {i}: label {label!r} is not in the declared labels "
                            f"{sorted(declared)}"
                        )
            out_labels.append(value)
        texts.append(text)
        ids.append(str(row[id_field]) if use_ids and row.get(id_field) is not None else str(i))
        if group_field:
            groups.append(str(row.get(group_field)))
        kept_rows.append(row)
    if empty:
        message = empty_rows_message(f"{where}: {name}", empty, text_fields + ([target_field] if target_field else []))
        if empty_text == "error":
            hint = "pass --empty-text skip" if where.startswith("--") else "set empty_text: skip (config section data)"
            raise DataError(f"{message}; {hint} to leave them out")
        skipped = empty
    if not texts:
        raise DataError(f"{where}: {name}: every row has empty text")
    texts = bound_length(texts, max_chars, long_text, f"{where}: {name}")
    if use_ids and repeated_ids == "same_text" and len(ids) != len(set(ids)):
        first_text: dict[str, str] = {}
        keep = []
        for k, (row_id, text) in enumerate(zip(ids, texts)):
            if row_id not in first_text:
                first_text[row_id] = text
                keep.append(k)
            elif first_text[row_id] != text:
                raise DataError(f"{where}: {name}: id {row_id!r} repeats with a different text")
        texts, ids, kept_rows = [texts[k] for k in keep], [ids[k] for k in keep], [kept_rows[k] for k in keep]
        out_labels = [out_labels[k] for k in keep] if label_field else out_labels
        groups = [groups[k] for k in keep] if group_field else groups
        targets = [targets[k] for k in keep] if target_field else targets
    duplicate_ids = len(ids) - len(set(ids))
    if use_ids and duplicate_ids:
        seen: set[str] = set()
        first = next(x for x in ids if x in seen or seen.add(x))  # type: ignore[func-returns-value]
        raise DataError(f"{where}: {name}: {duplicate_ids} duplicate id(s) in field {id_field!r}, e.g. {first!r}")
    return Corpus(
        texts=texts,
        labels=out_labels if label_field else None,
        ids=ids,
        groups=groups if group_field else None,
        source=name,
        fingerprint=fingerprint,
        rows=kept_rows,
        skipped=skipped,
        targets=targets if target_field else None,
    )


def empty_rows_message(where: str, rows: list[int], fields: list[str]) -> str:
    """``where: N row(s) with empty text in [fields] (rows 3, 9, ...)``, naming at most ten rows."""
    shown = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
    return f"{where}: {len(rows)} row(s) with empty text in {fields} (rows {shown})"


def persian_share(texts: list[str], sample: int = 500) -> float:
    """Share of letters in Arabic script among all letters of (a sample of) the texts."""
    letters = arabic = 0
    for text in texts[:sample]:
        for ch in text:
            if ch.isalpha():
                letters += 1
                if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
                    arabic += 1
    return arabic / letters if letters else 0.0


PERSIAN_SHARE_WARNING = 0.5


def script_warning(texts: list[str], where: str) -> str | None:
    """A warning naming the share of Persian-script letters when it is under half, else ``None``."""
    share = persian_share(texts)
    if share >= PERSIAN_SHARE_WARNING:
        return None
    return f"{where}: only {share:.0%} of letters are in Persian/Arabic script; is this a Persian corpus?"


def json_line(row: Any) -> str:
    """One JSON line, Persian readable; a lone surrogate (not text, but possible in a Python str) is
    written as its ``\\uXXXX`` escape, so the line is valid UTF-8 and reads back unchanged."""
    line = json.dumps(row, ensure_ascii=False, default=str)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n"


def iter_rows(source: str, split: str | None, batch_size: int, where: str) -> Iterator[list[dict[str, Any]]]:
    """The rows of a corpus source, ``batch_size`` at a time, never all at once (the file is checked
    as :func:`read_rows` checks it)."""
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    local = _local_path(source, where)
    if local is not None and local.is_file():
        fmt = FILE_FORMATS.get(local.suffix.lower())
        if fmt is None:
            raise DataError(f"{where}: {local}: unsupported format {local.suffix!r}; use {', '.join(FILE_FORMATS)}")
        _check_encoding(local, fmt, where)
    path = Path(source)
    try:
        if path.is_dir():
            loaded = datasets.load_from_disk(str(path))  # memory-mapped: rows are read as they are iterated
            if isinstance(loaded, datasets.DatasetDict):
                loaded = loaded[split or "train"]
        elif path.exists():
            fmt = FILE_FORMATS.get(path.suffix.lower())
            if fmt is None:
                raise DataError(f"{where}: {path}: unsupported format {path.suffix!r}; use {', '.join(FILE_FORMATS)}")
            loaded = datasets.load_dataset(fmt, data_files=str(path), split="train", streaming=True)
        else:
            loaded = datasets.load_dataset(source, split=split or "train", streaming=True)
        for batch in loaded.iter(batch_size=batch_size):
            columns = list(batch)
            yield [dict(zip(columns, values)) for values in zip(*(batch[c] for c in columns))]
    except DataError:
        raise
    except Exception as exc:  # datasets raises many types for missing or malformed sources
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise DataError(f"{where}: cannot stream {source}: {detail[:200]}") from None
