"""Word and character n-gram TF-IDF over normalized Persian text.

Fitted vocabularies are kept as two arrays (terms and idf) rather than a vectorizer's dictionaries:
a model with 200,000 n-grams then saves in seconds instead of minutes and stays small, and the term
lookup is rebuilt on first use after loading. Word and character n-grams are counted with numpy
(:mod:`didgah.features.ngrams`: the same n-grams as scikit-learn's vectorizers, several times faster).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize
from sklearn.utils.validation import check_is_fitted

import didgah.features.ngrams as ngrams
from didgah.base import StringTransformer
from didgah.components import register
from didgah.errors import DataError
from didgah.features.parts import select
from didgah.text.tokenization import PersianAnalyzer


class TfidfTable:
    """A fitted TF-IDF weighting: ``terms_`` and ``idf_`` arrays, L2-normalized rows.

    Parameters
    ----------
    analyzer : "char_wb" or a callable (e.g. ``PersianAnalyzer``)
    ngram_range : (int, int)
        Used by ``char_wb`` only (a callable analyzer makes its own n-grams).
    min_df, max_df, max_features, sublinear_tf : as in ``TfidfVectorizer``
    """

    def __init__(self, analyzer: Any, ngram_range: tuple[int, ...] = (1, 1), min_df: int | float = 1,
                 max_df: float = 1.0, max_features: int | None = None, sublinear_tf: bool = True) -> None:
        self.analyzer = analyzer
        self.ngram_range = tuple(ngram_range)
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _numpy(self) -> bool:
        return ngrams.supported(self.analyzer, self.ngram_range)

    def _fit_numpy(self, texts: list[str]) -> None:
        terms, df = ngrams.fit_vocabulary(texts, self.analyzer, self.ngram_range, self.min_df, self.max_df,
                                          self.max_features)
        self.terms_ = np.asarray(terms, dtype=str)
        self.idf_ = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)  # TfidfTransformer's smooth idf

    def fit(self, texts: list[str]) -> TfidfTable:
        if self._numpy():
            self._fit_numpy(texts)
            return self
        vectorizer = TfidfVectorizer(
            analyzer=self.analyzer, ngram_range=self.ngram_range, min_df=self.min_df, max_df=self.max_df,
            max_features=self.max_features, sublinear_tf=self.sublinear_tf, dtype=np.float32,
        )
        self._fit_checked(vectorizer, texts)
        self.terms_ = np.asarray(vectorizer.get_feature_names_out(), dtype=str)
        self.idf_ = vectorizer.idf_.astype(np.float32)
        return self

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        """``fit(texts).transform(texts)`` with each text analyzed once instead of twice."""
        if self._numpy():
            self._fit_numpy(texts)
            return self.transform(texts)
        counter = CountVectorizer(analyzer=self.analyzer, ngram_range=self.ngram_range, min_df=self.min_df,
                                  max_df=self.max_df, max_features=self.max_features, dtype=np.float32)
        counts = self._fit_checked(counter, texts)  # columns in sorted term order, as get_feature_names_out
        self.terms_ = np.asarray(counter.get_feature_names_out(), dtype=str)
        self.idf_ = TfidfTransformer().fit(counts).idf_.astype(np.float32)
        return self._weigh(sp.csr_matrix(counts, dtype=np.float32))

    def _fit_checked(self, vectorizer: Any, texts: list[str]) -> Any:
        """``vectorizer.fit_transform(texts)``; an empty vocabulary is the data's fault: one DataError line."""
        try:
            return vectorizer.fit_transform(texts)
        except ValueError as exc:
            if "no terms remain" not in str(exc) and "empty vocabulary" not in str(exc):
                raise
            raise DataError(ngrams.no_terms_message(len(texts), self.min_df, self.max_df)) from None

    def _counter(self) -> Any:
        """Something with ``.transform(texts)`` -> counts of ``terms_``: the numpy n-gram index when it
        can count these terms, else a ``CountVectorizer`` with a fixed vocabulary."""
        counter = self.__dict__.get("_cached_counter")
        if counter is None:
            index = ngrams.VocabularyIndex.build(self.terms_.tolist(), self.analyzer, self.ngram_range)
            if index is not None:
                counter = index
            else:
                vocabulary = {term: i for i, term in enumerate(self.terms_.tolist())}
                counter = CountVectorizer(analyzer=self.analyzer, ngram_range=self.ngram_range,
                                          vocabulary=vocabulary, dtype=np.float32)
            self.__dict__["_cached_counter"] = counter
        return counter

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self._weigh(sp.csr_matrix(self._counter().transform(texts), dtype=np.float32))

    def _weigh(self, X: sp.csr_matrix) -> sp.csr_matrix:
        """Counts -> (sublinear) tf times idf, L2-normalized rows."""
        if self.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        X.data *= self.idf_[X.indices]
        return l2_normalize(X, copy=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_cached_counter", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


class _TfidfBase(StringTransformer):
    """Shared fit/transform around one ``TfidfTable`` built in ``fit`` (``table_``)."""

    def _table(self) -> TfidfTable:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, X: Sequence[str], y: object = None) -> _TfidfBase:
        self.table_ = self._table().fit(select(X, self.part))
        self.n_features_in_ = 1
        return self

    def fit_transform(self, X: Sequence[str], y: object = None) -> sp.csr_matrix:
        self.table_ = self._table()
        self.n_features_in_ = 1
        return self.table_.fit_transform(select(X, self.part))

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        check_is_fitted(self)
        return self.table_.transform(select(X, self.part))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.table_.terms_.astype(object)



@register("feature", "tfidf_words.v1")
class WordTfidf(_TfidfBase):
    """TF-IDF over word n-grams from hazm's tokenizer.

    Parameters
    ----------
    ngram_range : (int, int), default=(1, 2)
    min_df : int or float, default=2
    max_df : float, default=0.9
    max_features : int or None, default=None
    sublinear_tf : bool, default=True
    stem : bool, default=False
        Stem tokens with hazm's stemmer.
    remove_stopwords : bool, default=False
        Drop hazm's Persian stopwords.
    part : {"text", "target", "both"}, default="text"
        For (target, text) pairs: which part to read (plain texts are read as they are).

    Example
    -------
    >>> WordTfidf(min_df=1, max_df=1.0).fit_transform(["حمله به پایگاه", "بازسازی پایگاه"]).shape
    (2, 6)
    """

    def __init__(
        self,
        ngram_range: tuple[int, ...] = (1, 2),
        min_df: int | float = 2,
        max_df: float = 0.9,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        stem: bool = False,
        remove_stopwords: bool = False,
        part: str = "text",
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.stem = stem
        self.remove_stopwords = remove_stopwords
        self.part = part

    def _table(self) -> TfidfTable:
        analyzer = PersianAnalyzer(
            stem=self.stem, remove_stopwords=self.remove_stopwords, ngram_range=tuple(self.ngram_range)
        )
        return TfidfTable(analyzer, min_df=self.min_df, max_df=self.max_df, max_features=self.max_features,
                          sublinear_tf=self.sublinear_tf)


@register("feature", "tfidf_chars.v1")
class CharTfidf(_TfidfBase):
    """TF-IDF over character n-grams inside word boundaries (robust to spelling and ZWNJ variation).

    Parameters
    ----------
    ngram_range : (int, int), default=(2, 5)
    min_df : int or float, default=2
    max_df : float, default=0.9
    max_features : int or None, default=200000
    sublinear_tf : bool, default=True
    part : {"text", "target", "both"}, default="text"
        For (target, text) pairs: which part to read.

    Example
    -------
    >>> CharTfidf(min_df=1, max_df=1.0, ngram_range=(3, 3)).fit(["داعش"]).get_feature_names_out().tolist()
    [' دا', 'اعش', 'داع', 'عش ']
    """

    def __init__(
        self,
        ngram_range: tuple[int, ...] = (2, 5),
        min_df: int | float = 2,
        max_df: float = 0.9,
        max_features: int | None = 200000,
        sublinear_tf: bool = True,
        part: str = "text",
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.part = part

    def _table(self) -> TfidfTable:
        return TfidfTable("char_wb", ngram_range=tuple(self.ngram_range), min_df=self.min_df, max_df=self.max_df,
                          max_features=self.max_features, sublinear_tf=self.sublinear_tf)
