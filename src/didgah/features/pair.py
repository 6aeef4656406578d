"""Features of (target, text) pairs for stance: similarity, best-matching sentences, cue words."""

from __future__ import annotations

import hashlib
import math
import re
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from didgah.base import StringTransformer
from didgah.components import register
from didgah.errors import DataError
from didgah.features.lexicon import LexiconCounts
from didgah.features.tfidf import TfidfTable
from didgah.text.tokenization import PersianAnalyzer

_SENTENCE_END = re.compile(r"(?<=[.!؟?؛])\s+|\n+")
DIGITS = re.compile(r"[0-9۰-۹]+")
MAX_SENTENCES = 80


def sentences(text: str) -> list[str]:
    """Split a text into sentences (on . ! ؟ ? ؛ and line breaks); at least one, at most 80.

    >>> sentences("جمله اول. جمله دوم؟\\nسوم")
    ['جمله اول.', 'جمله دوم؟', 'سوم']
    """
    parts = [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
    return parts[:MAX_SENTENCES] or [text]


def as_pairs(X: Sequence) -> list[tuple[str, str]]:
    pairs = []
    for i, item in enumerate(X):
        if isinstance(item, str) or len(item) != 2:
            raise DataError(f"row {i}: stance features need (target, text) pairs; set data.target_field")
        pairs.append((item[0], item[1]))
    return pairs


def _rowwise_cosine(A: sp.csr_matrix, B: sp.csr_matrix) -> np.ndarray:
    return np.asarray(A.multiply(B).sum(axis=1)).ravel()


def _digest(pairs: list[tuple[str, str]]) -> str:
    h = hashlib.sha1()
    for target, text in pairs:
        h.update(target.encode())
        h.update(b"\x00")
        h.update(text.encode())
        h.update(b"\x01")
    return h.hexdigest()


class _Cache(OrderedDict):
    """A few recent results, so the pair features of one model share one matching pass."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or_make(self, key: tuple, make):  # type: ignore[no-untyped-def]
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        while len(self) > self.size:
            self.popitem(last=False)
        return value


_FITTED = _Cache(2)
_MATCHED = _Cache(4)


class SentenceMatcher:
    """Shared logic: vectorize targets and text sentences, find each text's best-matching sentences.

    Every pair feature fits the same two vectorizers on the same pairs and matches the same sentences,
    so both are cached by the content of the pairs (a model with four pair features does the work once).
    """

    def _fit_vectorizers(self, pairs: list[tuple[str, str]]) -> None:
        def make() -> tuple[TfidfTable, TfidfTable]:
            corpus = [t for t, _ in pairs] + [x for _, x in pairs]
            return (TfidfTable(PersianAnalyzer()).fit(corpus),
                    TfidfTable("char_wb", ngram_range=(2, 4), min_df=2, max_features=100000).fit(corpus))

        self.match_key_ = _digest(pairs)
        self.words_, self.chars_ = _FITTED.get_or_make((self.match_key_,), make)

    def _matches(self, pairs: list[tuple[str, str]]) -> tuple[list[list[str]], list[np.ndarray]]:
        """Each text's sentences and their word+char similarity to the target (cached)."""
        return _MATCHED.get_or_make((self.match_key_, _digest(pairs)), lambda: self._compute_matches(pairs))

    def _best_sentences(self, pairs: list[tuple[str, str]], top_k: int) -> list[str]:
        """Each text's ``top_k`` sentences most similar to its target, in text order."""
        per_sentences, sims = self._matches(pairs)
        out = []
        for sents, s in zip(per_sentences, sims):
            order = np.argsort(-s)[:top_k]
            out.append(" ".join(sents[j] for j in sorted(order)))
        return out

    def _compute_matches(self, pairs: list[tuple[str, str]]) -> tuple[list[list[str]], list[np.ndarray]]:
        all_sentences, owner = [], []
        for i, (_, text) in enumerate(pairs):
            for s in sentences(text):
                all_sentences.append(s)
                owner.append(i)
        owner_of = np.asarray(owner)
        targets_w = self.words_.transform([t for t, _ in pairs])
        targets_c = self.chars_.transform([t for t, _ in pairs])
        sent_w = self.words_.transform(all_sentences)
        sent_c = self.chars_.transform(all_sentences)
        sims = (_rowwise_cosine(sent_w, targets_w[owner_of]) + _rowwise_cosine(sent_c, targets_c[owner_of])) / 2
        per_text_sentences: list[list[str]] = [[] for _ in pairs]
        per_text_sims: list[list[float]] = [[] for _ in pairs]
        for s, o, v in zip(all_sentences, owner, sims):
            per_text_sentences[o].append(s)
            per_text_sims[o].append(float(v))
        return per_text_sentences, [np.asarray(v) for v in per_text_sims]


@register("feature", "pair_similarity.v1", tags=('pair',))
class PairSimilarity(SentenceMatcher, StringTransformer):
    """How much a text is about its target: similarities and overlaps (13 dense features).

    Word and character TF-IDF cosine of target and whole text; of target and the best-matching
    sentence; the mean of the top three sentences; the best sentence's relative position; share of
    target words and numbers found in the text; Jaccard overlap of words; log lengths.

    Example
    -------
    >>> f = PairSimilarity().fit([("حمله به پایگاه", "پایگاه مورد حمله قرار گرفت."), ("قیمت طلا", "بازی فوتبال")])
    >>> X = f.transform([("حمله به پایگاه", "پایگاه مورد حمله قرار گرفت."), ("قیمت طلا", "بازی فوتبال")])
    >>> bool(X[0, 0] > X[1, 0])
    True
    """

    def fit(self, X: Sequence, y: object = None) -> PairSimilarity:
        self._fit_vectorizers(as_pairs(X))
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence) -> sp.csr_matrix:
        check_is_fitted(self)
        pairs = as_pairs(X)
        targets, texts = [t for t, _ in pairs], [x for _, x in pairs]
        tw, xw = self.words_.transform(targets), self.words_.transform(texts)
        tc, xc = self.chars_.transform(targets), self.chars_.transform(texts)
        whole_w, whole_c = _rowwise_cosine(tw, xw), _rowwise_cosine(tc, xc)
        _, sims = self._matches(pairs)
        analyzer = self.words_.analyzer
        rows = np.zeros((len(pairs), 13), dtype=np.float32)
        for i, (target, text) in enumerate(pairs):
            s = sims[i]
            order = np.argsort(-s)
            target_words, text_words = set(analyzer(target)), set(analyzer(text))
            target_numbers, text_numbers = set(DIGITS.findall(target)), set(DIGITS.findall(text))
            rows[i] = [
                whole_w[i], whole_c[i], s.max(), s[order[: 3]].mean(), order[0] / max(1, len(s) - 1),
                len(target_words & text_words) / max(1, len(target_words)),
                len(target_words & text_words) / max(1, len(target_words | text_words)),
                (len(target_numbers & text_numbers) / len(target_numbers)) if target_numbers else 1.0,
                float(bool(target_numbers - text_numbers)),
                math.log1p(len(target_words)), math.log1p(len(text_words)), math.log1p(len(s)),
                float((s > 0.3).sum()) / len(s),
            ]
        return sp.csr_matrix(rows)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["cos_words", "cos_chars", "best_sentence", "top3_sentences", "best_position",
                         "target_coverage", "jaccard", "number_coverage", "missing_number", "log_target_words",
                         "log_text_words", "log_sentences", "share_matching_sentences"])



@register("feature", "stance_cues.v1", tags=('pair',))
class StanceCues(SentenceMatcher, StringTransformer):
    """Refutation, doubt, confirmation, support, opposition and negation cues, plus ``?`` and quotes.

    Cue counts (``lexicon``, built in: ``stance``) in the target, in the whole text, and in the
    ``top_k`` sentences that best match the target; question and quotation marks in the same places;
    and whether target and best sentence disagree in negation.

    Parameters
    ----------
    lexicon : str, default="stance.v1"
        A built-in cue lexicon name or a YAML path (same format as topic lexicons).
    top_k : int, default=2
    normalizer : str, default="persian_normalizer.v1"
    """

    def __init__(self, lexicon: str = "stance.v1", top_k: int = 2, normalizer: str = "persian_normalizer.v1") -> None:
        self.lexicon = lexicon
        self.top_k = top_k
        self.normalizer = normalizer

    def fit(self, X: Sequence, y: object = None) -> StanceCues:
        pairs = as_pairs(X)
        self._fit_vectorizers(pairs)
        self.cues_ = LexiconCounts(lexicon=self.lexicon, normalizer=self.normalizer).fit([])
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence) -> sp.csr_matrix:
        check_is_fitted(self)
        pairs = as_pairs(X)
        best = self._best_sentences(pairs, self.top_k)
        targets, texts = [t for t, _ in pairs], [x for _, x in pairs]
        blocks = [self.cues_.transform(part) for part in (targets, texts, best)]
        marks = np.array([[p.count("؟") + p.count("?"), p.count("«") + p.count('"'), p.count("!")]
                          for part in (targets, texts, best) for p in part], dtype=np.float32)
        marks = np.log1p(marks).reshape(3, len(pairs), 3).transpose(1, 0, 2).reshape(len(pairs), 9)
        negation = self.cues_.categories_.index("negation") if "negation" in self.cues_.categories_ else None
        extra = np.zeros((len(pairs), 1), dtype=np.float32)
        if negation is not None:
            t_neg = blocks[0][:, 3 * negation].toarray().ravel() > 0
            b_neg = blocks[2][:, 3 * negation].toarray().ravel() > 0
            extra[:, 0] = (t_neg != b_neg).astype(np.float32)
        return sp.hstack(blocks + [sp.csr_matrix(marks), sp.csr_matrix(extra)]).tocsr()

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        names = self.cues_.get_feature_names_out()
        out = [f"{where}:{n}" for where in ("target", "text", "best") for n in names]
        out += [f"{where}:{m}" for where in ("target", "text", "best") for m in ("question", "quote", "exclamation")]
        return np.array(out + ["negation_mismatch"])



class _PairTfidf(SentenceMatcher, StringTransformer):
    """TF-IDF over strings derived from each pair (``_strings``), in a table built by ``_new_table``."""

    def _strings(self, pairs: list[tuple[str, str]]) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _new_table(self) -> TfidfTable:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, X: Sequence, y: object = None) -> _PairTfidf:
        pairs = as_pairs(X)
        self._fit_vectorizers(pairs)
        self.table_ = self._new_table().fit(self._strings(pairs))
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence) -> sp.csr_matrix:
        check_is_fitted(self)
        return self.table_.transform(self._strings(as_pairs(X)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return self.table_.terms_.astype(object)


@register("feature", "matched_sentences_tfidf.v1", tags=('pair',))
class MatchedSentencesTfidf(_PairTfidf):
    """Word n-gram TF-IDF of the ``top_k`` text sentences that best match the target.

    Parameters
    ----------
    top_k : int, default=2
    ngram_range : (int, int), default=(1, 2)
    min_df : int, default=2
    max_features : int or None, default=50000
    """

    def __init__(self, top_k: int = 2, ngram_range: tuple[int, ...] = (1, 2), min_df: int = 2,
                 max_features: int | None = 50000) -> None:
        self.top_k = top_k
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features

    def _strings(self, pairs: list[tuple[str, str]]) -> list[str]:
        return self._best_sentences(pairs, self.top_k)

    def _new_table(self) -> TfidfTable:
        return TfidfTable(PersianAnalyzer(ngram_range=tuple(self.ngram_range)), min_df=self.min_df,
                          max_features=self.max_features)


class TokenList:
    """Analyzer for texts that are already space-separated tokens (picklable, unlike a lambda)."""

    def __call__(self, text: str) -> list[str]:
        return text.split(" ")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)


@register("feature", "pair_difference.v1", tags=('pair',))
class PairDifference(_PairTfidf):
    """What target and text say differently: the words only one of them uses, and their cross pairs.

    For each pair, the words of the target missing from its best-matching sentence (``T:word``), the
    words of that sentence missing from the target (``X:word``), and pairs of the two
    (``T:word|X:word``, at most ``max_cross`` of each side) - so a linear model can learn contradictions
    such as افزایش|کاهش or فعال|غیرفعال. TF-IDF weighted.

    Parameters
    ----------
    min_df : int, default=2
    max_cross : int, default=8
    max_features : int or None, default=100000
    """

    def __init__(self, min_df: int = 2, max_cross: int = 8, max_features: int | None = 100000) -> None:
        self.min_df = min_df
        self.max_cross = max_cross
        self.max_features = max_features

    def _strings(self, pairs: list[tuple[str, str]]) -> list[str]:
        analyzer = self.words_.analyzer
        out = []
        for (target, _), best in zip(pairs, self._best_sentences(pairs, 1)):
            t_words, x_words = analyzer(target), analyzer(best)
            t_only = [w for w in dict.fromkeys(t_words) if w not in set(x_words)]
            x_only = [w for w in dict.fromkeys(x_words) if w not in set(t_words)]
            tokens = [f"T:{w}" for w in t_only] + [f"X:{w}" for w in x_only]
            tokens += [f"T:{a}|X:{b}" for a in t_only[: self.max_cross] for b in x_only[: self.max_cross]]
            out.append(" ".join(tokens) if tokens else "_same_")
        return out

    def _new_table(self) -> TfidfTable:
        return TfidfTable(TokenList(), min_df=self.min_df, max_features=self.max_features)
