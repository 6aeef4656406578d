"""Dense claim-sentence similarity of (target, text) pairs from a multilingual sentence encoder.

``pair_embeddings.v1`` encodes the target as an e5 *query* and the ``top_k`` text sentences that best
match it by TF-IDF (the same matching as the other pair features) as e5 *passages*, then describes the
pair by how close the closest sentences are and by how the target and its closest sentence differ
(element-wise product and absolute difference of their embeddings: the direction of a statement, not
only its topic). Embeddings come from :func:`didgah.features.embeddings.embed`, so they share its
memory and disk cache (``$DIDGAH_CACHE_DIR/embeddings``); the encoder is a fixed pretrained model and
learns nothing from the training data, while the TF-IDF matching is fitted on the training pairs only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from didgah.base import StringTransformer
from didgah.components import register
from didgah.errors import ConfigError
from didgah.features.embeddings import DIMENSIONS, ENCODERS, embed
from didgah.features.pair import SentenceMatcher, as_pairs

INTERACTIONS = ("product", "abs_difference", "difference", "sentence")
SCORES = ("dense_max", "dense_mean", "dense_tfidf_best", "dense_gap", "dense_argmax_rank", "dense_min")


@register("feature", "pair_embeddings.v1", tags=('pair',))
class PairEmbeddings(SentenceMatcher, StringTransformer):
    """Claim-sentence cosine features and embedding interactions (e5 query vs passages).

    Parameters
    ----------
    encoder : str, default="multilingual-e5-small"
    top_k : int, default=5
        How many of the text's sentences (best TF-IDF matches of the target) are encoded; 0 encodes
        every sentence (slow on long articles with a cold cache).
    max_chars : int, default=400
        Each sentence and target is cut to this many characters before encoding.
    interactions : list of str, default=("product", "abs_difference")
        Blocks built from the target embedding ``q`` and the embedding ``p`` of its closest sentence:
        ``product`` (q*p), ``abs_difference`` (|q-p|), ``difference`` (q-p), ``sentence`` (p).
    weight : float, default=1.0
        Scales the interaction blocks (the six cosine scores are not scaled).
    disk_cache : bool, default=True

    Features: max, mean and min cosine of target and the encoded sentences, the cosine with the best
    TF-IDF sentence, max minus that, and the TF-IDF rank of the closest sentence (0 = the best TF-IDF
    sentence, scaled to [0, 1]); then the interaction blocks (384 columns each for e5-small).

    Example
    -------
    >>> f = PairEmbeddings(top_k=2, interactions=[])  # doctest: +SKIP
    >>> f.fit([("قیمت طلا", "قیمت طلا بالا رفت. بازی فوتبال")]).transform([("قیمت طلا", "بازی فوتبال")]).shape
    (1, 6)
    """

    def __init__(self, encoder: str = "multilingual-e5-small", top_k: int = 5, max_chars: int = 400,
                 interactions: Sequence[str] = ("product", "abs_difference"), weight: float = 1.0,
                 disk_cache: bool = True) -> None:
        self.encoder = encoder
        self.top_k = top_k
        self.max_chars = max_chars
        self.interactions = interactions
        self.weight = weight
        self.disk_cache = disk_cache

    def _check(self) -> None:
        if self.encoder not in ENCODERS:
            raise ConfigError(f"pair_embeddings.v1: unknown encoder {self.encoder!r}; known: {', '.join(ENCODERS)}")
        unknown = [i for i in self.interactions if i not in INTERACTIONS]
        if unknown:
            raise ConfigError(f"pair_embeddings.v1: interactions: unknown {unknown[0]!r}; "
                              f"known: {', '.join(INTERACTIONS)}")
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or self.top_k < 0:
            raise ConfigError(f"pair_embeddings.v1: top_k must be a whole number >= 0, got {self.top_k!r}")

    def fit(self, X: Sequence[Any], y: Any = None) -> PairEmbeddings:
        self._check()
        self._fit_vectorizers(as_pairs(X))
        self.n_features_in_ = 1
        return self

    def _candidates(self, pairs: list[tuple[str, str]]) -> list[list[str]]:
        """Each text's sentences to encode, best TF-IDF match first."""
        per_sentences, sims = self._matches(pairs)
        out = []
        for sents, s in zip(per_sentences, sims):
            order = np.argsort(-s, kind="stable")
            if self.top_k:
                order = order[: self.top_k]
            out.append([sents[j] for j in order])
        return out

    def transform(self, X: Sequence[Any]) -> np.ndarray:
        check_is_fitted(self)
        pairs = as_pairs(X)
        candidates = self._candidates(pairs)
        flat = [s for c in candidates for s in c]
        q = embed([t for t, _ in pairs], self.encoder, int(self.max_chars), disk_cache=self.disk_cache, kind="query")
        p = embed(flat, self.encoder, int(self.max_chars), disk_cache=self.disk_cache, kind="passage")
        dim = DIMENSIONS[self.encoder]
        scores = np.zeros((len(pairs), len(SCORES)), dtype=np.float32)
        closest = np.zeros((len(pairs), dim), dtype=np.float32)
        start = 0
        for i, c in enumerate(candidates):
            block = p[start:start + len(c)]
            start += len(c)
            cos = block @ q[i]
            best = int(np.argmax(cos))
            scores[i] = [cos.max(), cos.mean(), cos[0], cos.max() - cos[0], best / max(1, len(c) - 1), cos.min()]
            closest[i] = block[best]
        blocks = [scores]
        w = np.float32(self.weight)
        for name in self.interactions:
            if name == "product":
                blocks.append(q * closest * w)
            elif name == "abs_difference":
                blocks.append(np.abs(q - closest) * w)
            elif name == "difference":
                blocks.append((q - closest) * w)
            else:
                blocks.append(closest * w)
        return np.hstack(blocks)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        dim = DIMENSIONS[self.encoder]
        names = list(SCORES) + [f"{name}_{j}" for name in self.interactions for j in range(dim)]
        return np.array(names, dtype=object)
