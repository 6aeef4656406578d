"""Topic-lexicon counts: how often, and how variously, each category's seed terms occur in a text."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

from didgah.base import StringTransformer
from didgah.errors import ConfigError
from didgah.features.parts import select
from didgah.text.normalization import PERSIAN_LETTERS, ZWNJ, normalize

BUILTIN_LEXICONS = {"topics": "topic_lexicon.yaml", "stance": "stance_cues.yaml"}
_BOUNDARY = f"(?<![{PERSIAN_LETTERS}{ZWNJ}])"


def read_lexicon(source: str) -> dict[str, dict[str, list[str]]]:
    """Read a lexicon: a built-in name (``"topics"``) or a YAML file of ``category: {terms, exclude}``."""
    if source in BUILTIN_LEXICONS:
        text = resources.files("didgah.text").joinpath("resources", BUILTIN_LEXICONS[source]).read_text("utf-8")
        where = f"built-in lexicon {source!r}"
    else:
        path = Path(source)
        if not path.is_file():
            raise ConfigError(f"lexicon: no file {source} (and not a built-in name: {', '.join(BUILTIN_LEXICONS)})")
        text, where = path.read_text("utf-8"), str(path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: invalid YAML ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{where}: expected a mapping of category -> {{terms: [...], exclude: [...]}}")
    lexicon = {}
    for category, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("terms"), list) or not entry["terms"]:
            raise ConfigError(f"{where}: category {category!r} needs a non-empty list 'terms'")
        lexicon[str(category)] = {
            "terms": [str(t) for t in entry["terms"]],
            "exclude": [str(t) for t in entry.get("exclude") or []],
        }
    return lexicon


def term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One regex for a list of terms: each matches a word starting with it (longest first), and a space in
    a term matches a space or a ZWNJ; ``None`` for no terms."""
    if not terms:
        return None
    alternatives = sorted({re.escape(t).replace(r"\ ", f"[ {ZWNJ}]") for t in terms}, key=len, reverse=True)
    return re.compile(_BOUNDARY + "(?:" + "|".join(alternatives) + ")")


class LexiconCounts(StringTransformer):
    """Per category: log(1 + hits), log(1 + distinct terms hit) and hits per sqrt(words).

    The lexicon is read and normalized in ``fit`` and kept in the fitted object (``lexicon_``), so a
    saved model needs no lexicon file.

    Parameters
    ----------
    lexicon : str, default="topics"
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

    def __init__(self, lexicon: str = "topics", normalizer: str = "persian_normalizer.v1", part: str = "text") -> None:
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

