"""Hashed word and character n-grams: features with no fitted vocabulary, for out-of-core training.

A hashing extractor learns nothing from data, so batches streamed one after another all map into the
same columns and nothing grows with the corpus. Rows are sublinear term frequencies, L2-normalized.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from didgah.base import StringTransformer
from didgah.components import register
from didgah.features.parts import select
from didgah.text.tokenization import PersianAnalyzer


class _Hashing(StringTransformer):
    def _analyzer(self) -> tuple[Any, tuple[int, ...]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, X: Sequence[str], y: object = None) -> _Hashing:
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        analyzer, ngram_range = self._analyzer()
        vectorizer = HashingVectorizer(analyzer=analyzer, ngram_range=ngram_range, n_features=self.n_features,
                                       alternate_sign=False, norm=None, dtype=np.float32)
        counts = vectorizer.transform(select(X, self.part))
        np.log(counts.data, counts.data)
        counts.data += 1.0
        return l2_normalize(counts, copy=False)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"hash{i}" for i in range(self.n_features)], dtype=object)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


@register("feature", "hashing_words.v1", tags=('streaming',))
class WordHashing(_Hashing):
    """Hashed word n-grams from hazm's tokenizer.

    Parameters
    ----------
    ngram_range : (int, int), default=(1, 2)
    n_features : int, default=2**20
        Columns; distinct n-grams beyond that share columns.
    part : {"text", "target", "both"}, default="text"

    Example
    -------
    >>> WordHashing(n_features=16).fit_transform(["حمله به پایگاه"]).shape
    (1, 16)
    """

    def __init__(self, ngram_range: tuple[int, ...] = (1, 2), n_features: int = 2**20, part: str = "text") -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.part = part

    def _analyzer(self) -> tuple[Any, tuple[int, ...]]:
        return PersianAnalyzer(ngram_range=tuple(self.ngram_range)), (1, 1)


@register("feature", "hashing_chars.v1", tags=('streaming',))
class CharHashing(_Hashing):
    """Hashed character n-grams inside word boundaries.

    Parameters
    ----------
    ngram_range : (int, int), default=(2, 5)
    n_features : int, default=2**20
    part : {"text", "target", "both"}, default="text"
    """

    def __init__(self, ngram_range: tuple[int, ...] = (2, 5), n_features: int = 2**20, part: str = "text") -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.part = part

    def _analyzer(self) -> tuple[Any, tuple[int, ...]]:
        return "char_wb", tuple(self.ngram_range)
