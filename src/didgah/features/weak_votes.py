"""Labelling-function votes as features: the classifier learns from gold labels how far to trust each rule.

``weak_votes.v1`` applies a set of labelling functions (``didgah.weak``; the built-in ``topic_lfs.v1`` or
a YAML file) to each (already normalized) text and returns, per function and label, +1 for a positive
vote, -1 for a negative vote and 0 for an abstention. The functions are loaded by name when needed and
never stored in the fitted model, so saved models stay small and skops-safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from didgah.base import StringTransformer
from didgah.components import register
from didgah.features.parts import select

_LOADED: dict[str, tuple[list[str], list[Any]]] = {}


def _functions(source: str) -> tuple[list[str], list[Any]]:
    from didgah.weak.sets import load_functions

    if source not in _LOADED:
        _LOADED[source] = load_functions(source)
    return _LOADED[source]


@register("feature", "weak_votes.v1")
class WeakVotes(StringTransformer):
    """Votes of labelling functions per (function, label) pair that the functions can vote on.

    Parameters
    ----------
    functions : str, default="topic_lfs.v1"
        A built-in labelling-function set or the path of a labelling-function YAML file.
    part : {"text", "target", "both"}, default="text"

    Attributes
    ----------
    pairs_ : ndarray of str
        ``function:label`` names of the output columns (pairs with at least one vote in training).
    """

    def __init__(self, functions: str = "topic_lfs.v1", part: str = "text") -> None:
        self.functions = functions
        self.part = part

    def _votes(self, X: Sequence[Any]) -> tuple[np.ndarray, list[str]]:
        from didgah.weak.votes import ABSTAIN, apply_functions

        labels, functions = _functions(self.functions)
        matrix = apply_functions(functions, select(X, self.part), labels, normalizer=None)
        votes = matrix.votes.astype(np.int8)
        signed = np.where(votes == ABSTAIN, 0, np.where(votes == 1, 1, -1)).astype(np.float32)
        names = [f"{f}:{label}" for f in matrix.functions for label in labels]
        return signed.reshape(len(votes), -1), names

    def fit(self, X: Sequence[Any], y: Any = None) -> WeakVotes:
        signed, names = self._votes(X)
        keep = np.flatnonzero(np.abs(signed).sum(axis=0) > 0)
        self.columns_ = keep
        self.pairs_ = np.asarray([names[i] for i in keep], dtype=str)
        return self

    def transform(self, X: Sequence[Any]) -> sp.csr_matrix:
        check_is_fitted(self)
        signed, _ = self._votes(X)
        return sp.csr_matrix(signed[:, self.columns_])

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.pairs_.astype(object)
