"""Base class for didgah's transformers, whose input is a list of texts (or text pairs), not an array."""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin


class StringTransformer(TransformerMixin, BaseEstimator):
    """A scikit-learn transformer over a list of strings or (target, text) pairs."""

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
