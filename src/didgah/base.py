"""Base class for didgah's transformers, whose input is a list of texts (or text pairs), not an array."""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin

from didgah.params import constraints_for


class StringTransformer(TransformerMixin, BaseEstimator):
    """A scikit-learn transformer over a list of strings or (target, text) pairs.

    Its parameters are validated as scikit-learn's are, by the constraints :mod:`didgah.params`
    declares for each parameter name."""

    @property
    def _parameter_constraints(self) -> dict[str, list[Any]]:
        return constraints_for(self)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
