"""Agreement between annotators, the items they disagree on, and an adjudicated file.

Annotators are told apart by the ``annotator`` field (one file per annotator is usual, but not needed);
each annotator's last line for an item counts, and adjudicated lines are not an annotator. Per label:

- Cohen's kappa for every pair of annotators, over the items both labelled (scikit-learn's
  ``cohen_kappa_score``); undefined (``None``) when both gave the same value to every item;
- F1 between each pair (the first annotator's labels as reference; symmetric for F1);
- Krippendorff's alpha (nominal, the ``krippendorff`` package) over all annotators, when there are more
  than two; items some annotators did not label count as missing;
- counts: items per annotator, items shared, positives per annotator.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from didgah.annotations.store import Annotation, read_annotations, source_key
from didgah.errors import DidgahError

Item = tuple[str, str]  # (resolved source, id)


def annotator_labels(files: Sequence[str], labels: Sequence[str] | None = None,
                     ) -> tuple[dict[str, dict[Item, Annotation]], list[str]]:
    """Each annotator's last line per item (adjudicated lines left out), and the label set (given, or
    every label seen, sorted)."""
    raters: dict[str, dict[Item, Annotation]] = {}
    seen: set[str] = set()
    for path in files:
        for annotation in read_annotations(path, labels):
            if annotation.adjudicated:
                continue
            item = (source_key(annotation), annotation.id)
            raters.setdefault(annotation.annotator, {})[item] = annotation
            seen.update(annotation.labels)
    if len(raters) < 2:
        raise DidgahError(f"agreement: needs the labels of at least two annotators; {', '.join(files)} hold "
                          f"{len(raters)} ({', '.join(raters) or 'none'})")
    return raters, list(labels) if labels else sorted(seen)


def _kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    from sklearn.metrics import cohen_kappa_score

    if len(a) == 0 or len(set(a.tolist()) | set(b.tolist())) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b)
    return None if np.isnan(value) else round(float(value), 4)


def _f1(a: np.ndarray, b: np.ndarray) -> float | None:
    both, total = int((a & b).sum()), int(a.sum() + b.sum())
    return round(2 * both / total, 4) if total else None


def _alpha(matrix: np.ndarray) -> float | None:
    import krippendorff

    values = matrix[~np.isnan(matrix)]
    if len(set(values.tolist())) < 2:
        return None
    return round(float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")), 4)


def agreement(files: Sequence[str], labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Agreement figures between the annotators of ``files`` (see the module's description)."""
    raters, label_set = annotator_labels(files, labels)
    names = sorted(raters)
    items = sorted(set().union(*(set(r) for r in raters.values())))
    shared_all = [i for i in items if all(i in raters[n] for n in names)]
    result: dict[str, Any] = {
        "annotators": names, "labels": label_set,
        "items": {"total": len(items), "labelled_by_all": len(shared_all),
                  "per_annotator": {n: len(raters[n]) for n in names}},
        "pairs": [], "per_label": {},
    }
    for a, b in itertools.combinations(names, 2):
        common = [i for i in items if i in raters[a] and i in raters[b]]
        same = sum(set(raters[a][i].labels) == set(raters[b][i].labels) for i in common)
        result["pairs"].append({"annotators": [a, b], "items": len(common),
                                "exact_agreement": round(same / len(common), 4) if common else None})
    for label in label_set:
        entry: dict[str, Any] = {"positives": {n: sum(label in x.labels for x in raters[n].values()) for n in names},
                                 "pairs": []}
        for a, b in itertools.combinations(names, 2):
            common = [i for i in items if i in raters[a] and i in raters[b]]
            va = np.array([label in raters[a][i].labels for i in common], dtype=int)
            vb = np.array([label in raters[b][i].labels for i in common], dtype=int)
            entry["pairs"].append({"annotators": [a, b], "items": len(common), "kappa": _kappa(va, vb),
                                   "f1": _f1(va, vb)})
        if len(names) > 2:
            matrix = np.array([[float(label in raters[n][i].labels) if i in raters[n] else np.nan for i in items]
                               for n in names])
            entry["alpha"] = _alpha(matrix)
        result["per_label"][label] = entry
    return result


def disagreements(files: Sequence[str], labels: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The items two or more annotators labelled differently: source, id, each annotator's labels,
    notes and borderline marks (the list to adjudicate)."""
    raters, _ = annotator_labels(files, labels)
    out = []
    for item in sorted(set().union(*(set(r) for r in raters.values()))):
        lines = {n: r[item] for n, r in sorted(raters.items()) if item in r}
        if len({frozenset(a.labels) for a in lines.values()}) > 1:
            first = next(iter(lines.values()))
            out.append({"source": first.source, "id": first.id,
                        "labels": {n: list(a.labels) for n, a in lines.items()},
                        "notes": {n: a.note for n, a in lines.items() if a.note},
                        "borderline": {n: a.borderline for n, a in lines.items()}})
    return out


def adjudicate(files: Sequence[str], adjudicator_file: str, labels: Sequence[str] | None = None,
               ) -> tuple[list[Annotation], list[dict[str, Any]]]:
    """The adjudicated gold: for every item, the adjudicator's labels when the adjudicator's file has the
    item, else the annotators' labels when they agree; ``adjudicated: true`` on items two or more people
    read. Returns the lines and the disagreements still without an adjudicator's line (left out)."""
    raters, _ = annotator_labels(files, labels)
    decided: dict[Item, Annotation] = {}
    for annotation in read_annotations(adjudicator_file, labels):
        decided[(source_key(annotation), annotation.id)] = annotation
    out, open_items = [], []
    for item in sorted(set().union(*(set(r) for r in raters.values())) | set(decided)):
        lines = [r[item] for _, r in sorted(raters.items()) if item in r]
        origin = next((a for a in lines if a.strategy), lines[0] if lines else decided.get(item))
        strategy, pool = (origin.strategy, origin.pool) if origin else (None, None)
        if item in decided:
            a = decided[item]
            out.append(Annotation(a.source, a.id, a.labels, a.annotator, a.time, borderline=a.borderline,
                                  note=a.note, adjudicated=True, strategy=strategy, pool=pool))
        elif len({frozenset(a.labels) for a in lines}) == 1:
            last = max(lines, key=lambda a: a.time)
            out.append(Annotation(last.source, last.id, last.labels, "+".join(a.annotator for a in lines), last.time,
                                  borderline=any(a.borderline for a in lines),
                                  note="; ".join(a.note for a in lines if a.note) or None,
                                  adjudicated=len(lines) > 1, strategy=strategy, pool=pool))
        else:
            open_items.append({"source": lines[0].source, "id": lines[0].id,
                               "labels": {a.annotator: list(a.labels) for a in lines}})
    return out, open_items


def format_agreement(result: dict[str, Any]) -> str:
    """The figures as a markdown table, one row per label and pair."""
    names = result["annotators"]
    items = result["items"]
    lines = [f"{len(names)} annotators ({', '.join(f'{n} {items['per_annotator'][n]}' for n in names)} items); "
             f"{items['total']} items, {items['labelled_by_all']} labelled by all",
             "", "| label | annotators | items | kappa | F1 | positives |", "|---|---|---|---|---|---|"]
    show = lambda v: "–" if v is None else f"{v:.3f}"
    for label, entry in result["per_label"].items():
        for pair in entry["pairs"]:
            a, b = pair["annotators"]
            lines.append(f"| {label} | {a} · {b} | {pair['items']} | {show(pair['kappa'])} | {show(pair['f1'])} | "
                         f"{entry['positives'][a]} · {entry['positives'][b]} |")
    alphas = {label: e["alpha"] for label, e in result["per_label"].items() if "alpha" in e}
    if alphas:
        lines += ["", "Krippendorff's alpha: " + ", ".join(f"{k} {show(v)}" for k, v in alphas.items())]
    lines += ["", "exact agreement (same label set): " + ", ".join(
        f"{p['annotators'][0]} · {p['annotators'][1]} {show(p['exact_agreement'])}" for p in result["pairs"])]
    return "\n".join(lines)
