"""Word and character n-gram TF-IDF over normalized Persian text."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from didgah.text.tokenization import PersianAnalyzer


class _TfidfBase(TransformerMixin, BaseEstimator):
    """Shared fit/transform around one ``TfidfVectorizer`` built in ``fit`` (``vectorizer_``)."""

    def _vectorizer(self) -> TfidfVectorizer:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, X: Sequence[str], y: object = None) -> _TfidfBase:
        self.vectorizer_ = self._vectorizer().fit(list(X))
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[str]):
        return self.vectorizer_.transform(list(X))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


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

    Example
    -------
    >>> WordTfidf(min_df=1).fit_transform(["حمله به پایگاه", "بازسازی پایگاه"]).shape
    (2, 5)
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 2,
        max_df: float = 0.9,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        stem: bool = False,
        remove_stopwords: bool = False,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.stem = stem
        self.remove_stopwords = remove_stopwords

    def _vectorizer(self) -> TfidfVectorizer:
        analyzer = PersianAnalyzer(
            stem=self.stem, remove_stopwords=self.remove_stopwords, ngram_range=tuple(self.ngram_range)
        )
        return TfidfVectorizer(
            analyzer=analyzer,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )


class CharTfidf(_TfidfBase):
    """TF-IDF over character n-grams inside word boundaries (robust to spelling and ZWNJ variation).

    Parameters
    ----------
    ngram_range : (int, int), default=(2, 5)
    min_df : int or float, default=2
    max_df : float, default=0.9
    max_features : int or None, default=200000
    sublinear_tf : bool, default=True

    Example
    -------
    >>> CharTfidf(min_df=1, ngram_range=(3, 3)).fit(["داعش"]).get_feature_names_out().tolist()
    [' دا', 'اعش', 'داع', 'عش ']
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (2, 5),
        min_df: int | float = 2,
        max_df: float = 0.9,
        max_features: int | None = 200000,
        sublinear_tf: bool = True,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )
