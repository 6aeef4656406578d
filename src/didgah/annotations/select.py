"""What to label next: random, rule-enriched, uncertainty and diversity selection over a corpus.

Every chosen item records its strategy (its stratum) and, for the strategies that draw a probability
sample, the size of the pool it was drawn from, so evaluation can undo the enrichment
(:mod:`didgah.annotations.prevalence`):

- ``random``: a simple random sample of the items not yet labelled (stratum ``random``);
- ``rules``: stratified by labelling functions. Each item goes to one stratum: ``rules:<label>`` for the
  rarest label a function votes positive for, else ``rules:none``; each stratum is sampled at random, so a
  rare label gets many more positives than a random sample would hold, and the pool sizes give the weights;
- ``uncertainty``: the items a saved model is least sure of (multi-label: a score closest to its
  label's threshold; otherwise the highest entropy). Not a probability sample: no pool is recorded;
- ``diversity``: a random order that skips near duplicates of items already labelled or already chosen
  (:func:`didgah.duplicates.duplicates_within`). Not a probability sample either;
- ``recheck``: a second reading of the items another annotator labelled positive or marked borderline;
  each keeps the strategy and pool it was first drawn with, so the weights stay valid.

The strategies are a few lines over the model's scores and the vote matrix; no active-learning library
is needed for them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from didgah.errors import DidgahError

STRATEGIES = ("random", "rules", "uncertainty", "diversity", "recheck")


@dataclass(frozen=True)
class Choice:
    """One item to label: its position in the corpus, id, strategy (stratum) and the stratum's pool size
    (``None``: not drawn at random), and the score that ranked it (uncertainty)."""

    index: int
    id: str
    strategy: str
    pool: int | None
    score: float | None = None


@dataclass
class Selection:
    """The items chosen, in the order to label them, and per stratum its pool size and how many were drawn."""

    choices: list[Choice]
    strata: dict[str, dict[str, Any]] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: ``N items: rules:refugees 40 of 310, rules:none 20 of 9,120, ...``."""
        parts = [f"{name} {s['drawn']}" + (f" of {s['pool']:,}" if s["pool"] is not None else "")
                 for name, s in self.strata.items()]
        return f"{len(self.choices)} items: " + ", ".join(parts)


def _open(ids: Sequence[str], exclude: Collection[str]) -> list[int]:
    done = set(exclude)
    return [i for i, row_id in enumerate(ids) if row_id not in done]


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DidgahError(f"--n: expected a positive number of items, got {n!r}")


def random_selection(ids: Sequence[str], n: int, exclude: Collection[str] = (), seed: int = 0) -> Selection:
    """``n`` items drawn at random (seeded) from those whose id is not in ``exclude``.

    Examples
    --------
    >>> random_selection(["a", "b", "c", "d"], 2, exclude={"a"}, seed=0).strata
    {'random': {'pool': 3, 'drawn': 2}}
    """
    _check_n(n)
    pool = _open(ids, exclude)
    rng = np.random.default_rng(seed)
    picked = [pool[k] for k in rng.permutation(len(pool))[:n]]
    return Selection([Choice(i, ids[i], "random", len(pool)) for i in picked],
                     {"random": {"pool": len(pool), "drawn": len(picked)}})


def _allocate(n: int, pools: dict[str, int], rest: str, rest_share: float) -> dict[str, int]:
    """How many to draw per stratum: ``rest_share`` of ``n`` from ``rest``, the others shared equally,
    nobody over its pool, leftovers handed to strata with room."""
    take = {name: 0 for name in pools}
    if pools.get(rest):
        take[rest] = min(pools[rest], round(n * rest_share) if len(pools) > 1 else n)
    left = n - sum(take.values())
    while left > 0:
        room = [s for s in pools if s != rest and take[s] < pools[s]] or [s for s in pools if take[s] < pools[s]]
        if not room:
            break
        share = max(1, left // len(room))
        for name in room:
            extra = min(share, pools[name] - take[name], left)
            take[name] += extra
            left -= extra
            if left == 0:
                break
    return take


def _interleave(groups: list[list[Choice]]) -> list[Choice]:
    """Round robin over the strata, so a session stopped early still has some of each."""
    out, position = [], 0
    while any(position < len(g) for g in groups):
        out += [g[position] for g in groups if position < len(g)]
        position += 1
    return out


def rules_selection(texts: Sequence[str], ids: Sequence[str], functions: str, n: int, exclude: Collection[str] = (),
                    seed: int = 0, labels: Sequence[str] | None = None, normalizer: str = "persian_normalizer.v1",
                    rest_share: float = 0.2) -> Selection:
    """``n`` items stratified by the positive votes of a labelling-function set (a built-in name such as
    ``topic_lfs.v1`` or a YAML file); ``rest_share`` of them from the items no function votes for.

    Only the labels in ``labels`` (default: the set's) make strata."""
    from didgah.weak.sets import load_functions
    from didgah.weak.votes import apply_functions

    _check_n(n)
    if not 0 <= rest_share <= 1:
        raise DidgahError(f"rest_share: expected a share between 0 and 1, got {rest_share!r}")
    set_labels, lfs = load_functions(functions, normalizer)
    used = [label for label in set_labels if labels is None or label in labels]
    if not used:
        raise DidgahError(f"--functions: {functions} votes on {', '.join(set_labels)}, none of the labels "
                          f"{', '.join(labels or [])}")
    pool = _open(ids, exclude)
    votes = apply_functions(lfs, [texts[i] for i in pool], used, normalizer).votes
    positive = (votes == 1).any(axis=1)  # (items, labels)
    order = sorted(range(len(used)), key=lambda k: positive[:, k].sum())  # rarest label first
    strata: dict[str, list[int]] = {f"rules:{used[k]}": [] for k in order}
    strata["rules:none"] = []
    for row, i in enumerate(pool):
        hit = next((k for k in order if positive[row, k]), None)
        strata["rules:none" if hit is None else f"rules:{used[hit]}"].append(i)
    sizes = {name: len(members) for name, members in strata.items()}
    take = _allocate(n, sizes, "rules:none", rest_share)
    rng = np.random.default_rng(seed)
    groups = []
    for name, members in strata.items():
        picked = [members[k] for k in rng.permutation(len(members))[:take[name]]]
        groups.append([Choice(i, ids[i], name, sizes[name]) for i in picked])
    return Selection(_interleave(groups), {name: {"pool": sizes[name], "drawn": take[name]} for name in strata})


def uncertainty_scores(model: Any, inputs: Sequence[Any]) -> np.ndarray:
    """How unsure ``model`` is of each input, higher = less sure: multi-label, minus the distance of the
    score closest to its label's threshold; otherwise the entropy of the class probabilities."""
    proba = np.asarray(model.predict_proba(list(inputs)), dtype=float)
    if model.task == "multilabel":
        thresholds = np.array([model.thresholds[c] for c in model.classes_], dtype=float)
        return -np.abs(proba - thresholds).min(axis=1)
    p = np.clip(proba, 1e-12, 1.0)
    return -(p * np.log(p)).sum(axis=1)


def uncertainty_selection(model: Any, inputs: Sequence[Any], ids: Sequence[str], n: int,
                          exclude: Collection[str] = ()) -> Selection:
    """The ``n`` items ``model`` is least sure of (:func:`uncertainty_scores`), least sure first."""
    _check_n(n)
    pool = _open(ids, exclude)
    if not pool:
        return Selection([], {"uncertainty": {"pool": None, "drawn": 0}})
    scores = uncertainty_scores(model, [inputs[i] for i in pool])
    ranked = np.argsort(-scores, kind="stable")[:n]
    choices = [Choice(pool[k], ids[pool[k]], "uncertainty", None, round(float(scores[k]), 6)) for k in ranked]
    return Selection(choices, {"uncertainty": {"pool": None, "drawn": len(choices)}})


def diversity_selection(texts: Sequence[str], ids: Sequence[str], n: int, exclude: Collection[str] = (),
                        seed: int = 0, threshold: float = 0.9, order: Sequence[int] | None = None) -> Selection:
    """``n`` items in a random order (or ``order``, positions in the corpus), skipping each item that
    repeats (exactly or nearly, at ``threshold``) an item already labelled (id in ``exclude``) or chosen."""
    from didgah.duplicates import duplicates_within

    _check_n(n)
    done = set(exclude)
    labelled = [i for i, row_id in enumerate(ids) if row_id in done]
    if order is None:
        pool = _open(ids, exclude)
        order = [pool[k] for k in np.random.default_rng(seed).permutation(len(pool))]
    else:
        order = [i for i in order if ids[i] not in done]
    window = max(4 * n, 500)
    while True:  # look at a growing window of the order until n are found or it is all seen
        considered = list(order[:window])
        listed = labelled + considered
        earlier: dict[int, list[int]] = {}
        for j, i, _ in duplicates_within([texts[k] for k in listed], threshold):
            earlier.setdefault(j, []).append(i)
        kept = set(range(len(labelled)))
        chosen, skipped = [], 0
        for j in range(len(labelled), len(listed)):
            if any(i in kept for i in earlier.get(j, [])):
                skipped += 1
                continue
            kept.add(j)
            chosen.append(listed[j])
            if len(chosen) == n:
                break
        if len(chosen) == n or window >= len(order):
            break
        window *= 2
    choices = [Choice(i, ids[i], "diversity", None) for i in chosen]
    return Selection(choices, {"diversity": {"pool": None, "drawn": len(choices), "skipped_duplicates": skipped}})


def recheck_selection(ids: Sequence[str], annotations: Sequence[Any], exclude: Collection[str] = (),
                      annotator: str | None = None, n: int | None = None) -> Selection:
    """The items of ``annotations`` (lines of other annotators than ``annotator``) with a label or marked
    borderline, in the order first labelled, for an independent second reading; ids not in ``ids`` and
    ids in ``exclude`` are left out."""
    position = {row_id: i for i, row_id in enumerate(ids)}
    done, seen = set(exclude), set()
    choices = []
    for a in annotations:
        if a.annotator == annotator or a.adjudicated or not (a.labels or a.borderline):
            continue
        if a.id in position and a.id not in done and a.id not in seen:
            seen.add(a.id)
            choices.append(Choice(position[a.id], a.id, a.strategy or "recheck", a.pool))
    choices = choices[:n] if n else choices
    return Selection(choices, {"recheck": {"pool": None, "drawn": len(choices)}})
