"""Topic-lexicon counts: how often, and how variously, each category's seed terms occur in a text."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from didgah.base import StringTransformer
from didgah.components import register
from didgah.features.parts import select
from didgah.text.normalization import normalize
from didgah.text.phrases import read_lexicon, term_pattern


@register("feature", "topic_lexicon.v1", tags=('streaming',))
class LexiconCounts(StringTransformer):
    """Per category: log(1 + hits), log(1 + distinct terms hit) and hits per sqrt(words).

    The lexicon is read and normalized in ``fit`` and kept in the fitted object (``lexicon_``), so a
    saved model needs no lexicon file.

    Parameters
    ----------
    lexicon : str, default="topics.v1"
        A built-in lexicon name or a path to a YAML lexicon.
    normalizer : str, default="persian_normalizer.v1"
        The normalizer applied to the terms (use the same as for the texts).
    part : {"text", "target", "both"}, default="text"
        For (target, text) pairs: which part to read.

    Example
    -------
    >>> X = LexiconCounts().fit_transform(["حمله تروریستی داعش", "امنیت غذایی"])
    >>> X.shape, X[0, 0] > 0, X[1, 0] == 0
    ((2, 9), True, True)
    """

    def __init__(self, lexicon: str = "topics.v1", normalizer: str = "persian_normalizer.v1", part: str = "text") -> None:
        self.lexicon = lexicon
        self.normalizer = normalizer
        self.part = part

    def fit(self, X: Sequence[str], y: object = None) -> LexiconCounts:
        raw = read_lexicon(self.lexicon)
        self.lexicon_ = {
            category: {key: [normalize(t, self.normalizer) for t in entry[key]] for key in ("terms", "exclude")}
            for category, entry in raw.items()
        }
        self.categories_ = list(self.lexicon_)
        self.n_features_in_ = 1
        return self

    def _compiled(self) -> list[tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
        cache = getattr(self, "_patterns", None)
        if cache is None or cache[0] is not self.lexicon_:
            patterns = [(term_pattern(e["terms"]), term_pattern(e["exclude"])) for e in self.lexicon_.values()]
            cache = (self.lexicon_, patterns)
            self._patterns = cache
        return cache[1]

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        check_is_fitted(self)
        X = select(X, self.part)
        patterns = self._compiled()
        rows = np.zeros((len(X), 3 * len(patterns)), dtype=np.float32)
        for i, text in enumerate(X):
            words = max(1, text.count(" ") + 1)
            for j, (terms, exclude) in enumerate(patterns):
                body = exclude.sub(" ", text) if exclude else text
                hits = terms.findall(body) if terms else []
                rows[i, 3 * j] = math.log1p(len(hits))
                rows[i, 3 * j + 1] = math.log1p(len(set(hits)))
                rows[i, 3 * j + 2] = len(hits) / math.sqrt(words)
        return sp.csr_matrix(rows)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"{c}:{kind}" for c in self.categories_ for kind in ("hits", "distinct", "density")])

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_patterns", None)
        return state

