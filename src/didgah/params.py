"""Parameter constraints of didgah's components, declared once by parameter name, and the check that
a config runs on every component before any data is read.

The constraints use scikit-learn's parameter-validation vocabulary (intervals, string options,
types), so didgah's transformers are validated exactly as scikit-learn's estimators are; a parameter
means the same in every component that takes it (``min_df`` of word and of pair n-grams alike).
"""

from __future__ import annotations

import re
from numbers import Integral, Real
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions

from didgah.errors import ConfigError

_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
_DOCUMENT_FREQUENCY = [_POSITIVE_INT, Interval(Real, 0, 1, closed="both")]

CONSTRAINTS: dict[str, list[Any]] = {
    # n-gram features
    "ngram_range": [tuple, list],  # and two positive integers, low <= high: see check_ngram_range
    "min_df": _DOCUMENT_FREQUENCY,
    "max_df": _DOCUMENT_FREQUENCY,
    "max_features": [_POSITIVE_INT, None],
    "n_features": [_POSITIVE_INT],
    "sublinear_tf": ["boolean"],
    "stem": ["boolean"],
    "remove_stopwords": ["boolean"],
    "part": [StrOptions({"text", "target", "both"})],
    # pair, lexicon and embedding features
    "top_k": [_POSITIVE_INT],
    "max_cross": [Interval(Integral, 0, None, closed="left")],
    "max_chars": [_POSITIVE_INT, None],
    "weight": [Interval(Real, 0, None, closed="neither")],
    "disk_cache": ["boolean"],
    "lexicon": [str],
    "normalizer": [str],
    "functions": [str],
    "encoder": [str],
    "interactions": [list, tuple],
    # sentence windows pooled to the article (pooled_embeddings.v1, sentence_scores.v1)
    "window": [_POSITIVE_INT],
    "pooling": [list, tuple],  # and names of poolings: see check_pooling
    "max_sentences": [_POSITIVE_INT],
    "iterations": [_POSITIVE_INT],
    "cv": [_POSITIVE_INT],
    "C": [Interval(Real, 0, None, closed="neither")],
    "embeddings": ["boolean"],
    "embedding_weight": [Interval(Real, 0, None, closed="neither")],
    "embedding_kind": [StrOptions({"passage", "query"})],
    "seed": [Integral],
    # the normalizer
    "version": [str],
    "digits": [StrOptions({"persian", "latin", "keep"})],
    "boilerplate": ["boolean"],
    "glued_words": ["boolean"],
    "hamza": [StrOptions({"keep", "fold"}), None],
    "n_jobs": [Integral, None],
    "cache": ["boolean"],
    "cache_dir": [str, None],
    "long_text": [StrOptions({"truncate", "error"})],
}


def constraints_for(estimator: BaseEstimator) -> dict[str, list[Any]]:
    """The constraints of the parameters ``estimator`` takes (for ``_parameter_constraints``)."""
    return {name: CONSTRAINTS[name] for name in estimator._get_param_names() if name in CONSTRAINTS}


def check_ngram_range(value: Any, where: str) -> None:
    """``where``: the config key holding the parameters, e.g. ``features[0].params``."""
    ok = (isinstance(value, (list, tuple)) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value) and value[0] <= value[1])
    if not ok:
        raise ConfigError(f"{where}.ngram_range: expected [low, high], two positive integers with "
                          f"low <= high, got {list(value) if isinstance(value, tuple) else value!r}")


POOLINGS = ("max", "top_k", "mean", "softmax")


def check_pooling(value: Any, where: str) -> None:
    """``pooling``: a non-empty list of pooling names (see :func:`didgah.features.sentences.pool`)."""
    ok = isinstance(value, (list, tuple)) and len(value) > 0 and all(v in POOLINGS for v in value)
    if not ok:
        raise ConfigError(f"{where}.pooling: expected a non-empty list of {', '.join(POOLINGS)}, "
                          f"got {list(value) if isinstance(value, tuple) else value!r}")


_PARAMETER = re.compile(r"The '(?P<name>[^']+)' parameter of \w+ (?P<rule>.*?)\.? Got (?P<got>.*) instead\.?$", re.S)


def validate_component(estimator: BaseEstimator, where: str) -> None:
    """Check ``estimator``'s parameters and those of the estimators it wraps; a bad value is one
    ``ConfigError`` naming the config key (``where.NAME``, ``where`` being e.g. ``model.params``)."""
    stack = [estimator]
    while stack:
        current = stack.pop()
        params = current.get_params(deep=False)
        if "ngram_range" in params:
            check_ngram_range(params["ngram_range"], where)
        if "pooling" in params:
            check_pooling(params["pooling"], where)
        if getattr(current, "_parameter_constraints", None) is not None:
            try:
                current._validate_params()
            except InvalidParameterError as exc:
                match = _PARAMETER.match(" ".join(str(exc).split()))
                if not match:
                    raise ConfigError(f"{where}: {exc}") from None
                raise ConfigError(f"{where}.{match['name']}: {match['rule']}; got {match['got']}") from None
        stack.extend(v for v in params.values() if isinstance(v, BaseEstimator))
