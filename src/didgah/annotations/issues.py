"""Likely label errors in a gold or silver set, found by confident learning (cleanlab).

The input is a finished cross-validated run: its ``predictions.jsonl`` holds every training item's
out-of-fold scores next to its gold labels, which is what confident learning needs (scores from a model
that never saw the item). cleanlab's ``find_label_issues`` (its multi-label version for multi-label runs) estimates, per label, how often the given
label disagrees with what the scores say, and lists the items most likely mislabelled, most likely
first. They are candidates for a second look, not corrections: read each against the guideline.

To check an annotation file, run a config that trains on it (``data.annotations``) with
``evaluation.method: kfold``, then ``didgah label-issues RUN_DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from didgah.annotations.session import require
from didgah.config_types import ExperimentConfig
from didgah.errors import DidgahError
from didgah.rundir import RunDir


def label_issues(run_dir: str | Path, top: int | None = None) -> list[dict[str, Any]]:
    """The run's items whose gold labels are likely wrong, most likely first: id, gold, the labels the
    out-of-fold model predicted, its scores, rank, and the start of the text."""
    run = RunDir.open(run_dir)
    config = ExperimentConfig.from_dict(run.config())
    if config.evaluation.method != "kfold":
        raise DidgahError(f"{run_dir}: label issues need out-of-fold scores of every item: a run with "
                          f"evaluation.method kfold (this one is {config.evaluation.method})")
    require("cleanlab", "didgah label-issues")
    from cleanlab.filter import find_label_issues
    from cleanlab.multilabel_classification.filter import find_label_issues as find_multilabel_issues

    task, classes = config.task, list(config.data.labels)
    rows = [r for r in run.predictions() if r.get("fold") is not None]
    if len(rows) < 2:
        raise DidgahError(f"{run_dir}: too few out-of-fold predictions for confident learning")
    scores = np.array([[float(r["scores"][c]) for c in classes] for r in rows])
    if task == "multilabel":
        given: Any = [[classes.index(label) for label in r["gold"]] for r in rows]
        ranked = find_multilabel_issues(given, np.clip(scores, 0.0, 1.0), n_jobs=1,
                                        return_indices_ranked_by="self_confidence")
    else:
        given = np.array([classes.index(r["gold"]) for r in rows])
        probabilities = np.clip(scores, 1e-12, None)
        probabilities = probabilities / probabilities.sum(axis=1, keepdims=True)
        ranked = find_label_issues(given, probabilities, n_jobs=1, return_indices_ranked_by="self_confidence")
    out = []
    for rank, k in enumerate(ranked[:top] if top else ranked, 1):
        row = rows[int(k)]
        out.append({"rank": rank, "id": row["id"], "gold": row["gold"], "predicted": row["predicted"],
                    "scores": row["scores"], "text": row.get("text", "")[:300]})
    return out
