"""Word and character n-gram counting with numpy: the n-grams of scikit-learn's vectorizers, faster.

scikit-learn builds every n-gram as a Python string and looks it up in a dict: on news articles that
is most of the time a TF-IDF model spends fitting and predicting. Here a text becomes a sequence of
small integer ids (one per character, or one per word token), 0 marking a break (between words for
characters, between texts, and for characters or tokens that cannot be part of a known n-gram). The
n-gram starting at ``i`` is the integer ``id[i] | id[i+1] << b | ... | id[i+n-1] << (n-1)b`` (``b``
bits per id; ids start at 1, so n-grams of different lengths never share a number). Counting,
document frequencies and vocabulary lookups are then array sorts and binary searches.

- Characters (``analyzer="char_wb"``): texts lowercased, split on whitespace, each word padded with
  one space on each side, n-grams never crossing words: exactly scikit-learn's n-grams when
  ``ngram_range`` starts at 3 or below (scikit-learn emits a word shorter than ``min_n`` whole, a case
  that cannot arise when every padded word has at least 3 characters). When fitting, the
  ``2**b - 1`` most frequent characters get ids (1,023 for n-grams up to 5; Persian news uses a few
  hundred); n-grams with a rarer character are not counted.
- Words (a :class:`~didgah.text.tokenization.PersianAnalyzer`): the analyzer's tokens, n-grams joined
  with a space, as the analyzer itself emits them. When fitting, up to ``2**b - 1`` distinct tokens
  (2**27 for bigrams) get ids in order of appearance; n-grams with later tokens are not counted.

:func:`fit_vocabulary` keeps what ``CountVectorizer(min_df, max_df, max_features)`` keeps (ties
for ``max_features`` broken by term order); :class:`VocabularyIndex` counts known terms in new texts.
Callers fall back to scikit-learn when :func:`supported` says no.

Example
-------
>>> terms, df = fit_vocabulary(["داعش حمله کرد"], "char_wb", (3, 3), min_df=1)
>>> terms[:4]
[' حم', ' دا', ' کر', 'اعش']
>>> VocabularyIndex.build(terms, "char_wb", (3, 3)).transform(["داعش داعش"]).toarray()[0, :4].tolist()
[0.0, 2.0, 0.0, 2.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp

from didgah.errors import DataError
from didgah.text.tokenization import PersianAnalyzer

BREAK = "\x00"  # characters: between words and between texts; its id (0) is never part of an n-gram
FIT_DOC_BITS = 10  # texts per fitting chunk: 2**10, their index packed above the n-gram's bits
CHUNK_CHARACTERS = 4_000_000  # characters per chunk when counting with a known vocabulary


def supported(analyzer: Any, ngram_range: tuple[int, ...]) -> bool:
    """Whether these n-grams can be counted here (else use scikit-learn's vectorizer)."""
    if isinstance(analyzer, PersianAnalyzer):
        low, high = analyzer.ngram_range
        return 1 <= low <= high and high * 16 + FIT_DOC_BITS <= 64
    low, high = ngram_range
    return analyzer == "char_wb" and 1 <= low <= min(high, 3) and high * 8 + FIT_DOC_BITS <= 64


def _range(analyzer: Any, ngram_range: tuple[int, ...]) -> tuple[int, int]:
    low, high = analyzer.ngram_range if isinstance(analyzer, PersianAnalyzer) else ngram_range
    return int(low), int(high)


# -- texts -> id sequences ----------------------------------------------------------------------
def _padded(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Characters: all texts as one array of code points (words padded with spaces, BREAK between
    words and between texts) and each text's start offset in it."""
    parts = []
    for text in texts:
        words = text.lower().split()
        parts.append(" " + f" {BREAK} ".join(words) + " " if words else "")
    return _joined(parts, BREAK)


def _joined(parts: list[str], separator: str) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return np.frombuffer(separator.join(parts).encode("utf-32-le"), dtype=np.uint32), starts


def _char_table(alphabet: np.ndarray) -> np.ndarray:
    """Code point -> 1-based id in ``alphabet`` (sorted code points), 0 for every other character."""
    table = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 1, dtype=np.uint64)
    table[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.uint64)
    return table


def _char_ids(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Code points -> ids through a :func:`_char_table`."""
    inside = codes < len(table)
    return np.where(inside, table[np.where(inside, codes, 0)], np.uint64(0))


def _word_ids(texts: Sequence[str], analyzer: PersianAnalyzer, lookup: Callable[[str], int]
              ) -> tuple[np.ndarray, np.ndarray]:
    """Words: the token ids of all texts in one array (0 after each text) and each text's start."""
    ids: list[int] = []
    starts = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        starts[i] = len(ids)
        ids.extend(map(lookup, analyzer.tokens(text)))
        ids.append(0)
    return np.asarray(ids, dtype=np.uint64), starts


# -- id sequences -> n-gram keys ----------------------------------------------------------------
def _windows(ids: np.ndarray, ngram_range: tuple[int, ...], bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Every n-gram with no 0 id in it: (its integer key, its start position)."""
    zeros = np.concatenate([[0], np.cumsum(ids == 0)])
    keys, positions = [], []
    low, high = ngram_range
    for n in range(low, high + 1):
        count = len(ids) - n + 1
        if count <= 0:
            break
        start = np.flatnonzero(zeros[n : n + count] == zeros[:count])
        key = ids[start].copy()
        for k in range(1, n):
            key |= ids[start + k] << np.uint64(bits * k)
        keys.append(key)
        positions.append(start)
    if not keys:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    return np.concatenate(keys), np.concatenate(positions)


def _bits(n_symbols: int) -> int:
    return max(1, math.ceil(math.log2(n_symbols + 1)))


def _reduce(keys: np.ndarray, df: np.ndarray, tf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum ``df`` and ``tf`` over equal keys; keys sorted."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    first = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, int)
    return keys[first], np.add.reduceat(df[order], first), np.add.reduceat(tf[order], first)


def _decode(keys: np.ndarray, symbols: list[str], bits: int, joiner: str) -> list[str]:
    """Integer keys -> n-gram strings (``symbols[id]``; ``symbols[0]`` unused)."""
    mask = (1 << bits) - 1
    out = []
    for key in keys.tolist():
        parts = []
        while key:
            parts.append(symbols[key & mask])
            key >>= bits
        out.append(joiner.join(parts))
    return out


# -- fitting ------------------------------------------------------------------------------------
def _char_chunks(texts: Sequence[str], bits: int) -> tuple[Iterator[tuple[np.ndarray, np.ndarray]], Callable]:
    """Characters: (ids, starts) per chunk of texts, and the decoder of keys."""
    chunk = 2**FIT_DOC_BITS
    frequency: dict[int, int] = {}
    for start in range(0, len(texts), chunk):
        values, counts = np.unique(_padded(texts[start : start + chunk])[0], return_counts=True)
        for v, c in zip(values.tolist(), counts.tolist()):
            frequency[v] = frequency.get(v, 0) + c
    frequency.pop(0, None)
    alphabet = np.asarray(sorted(sorted(frequency, key=lambda v: (-frequency[v], v))[: 2**bits - 1]), np.uint32)

    table = _char_table(alphabet)

    def chunks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(texts), chunk):
            codes, starts = _padded(texts[start : start + chunk])
            yield _char_ids(codes, table), starts

    symbols = [""] + [chr(c) for c in alphabet.tolist()]
    return chunks(), lambda keys: _decode(keys, symbols, bits, "")


def _word_chunks(texts: Sequence[str], analyzer: PersianAnalyzer, bits: int
                 ) -> tuple[Iterator[tuple[np.ndarray, np.ndarray]], Callable]:
    """Words: (ids, starts) per chunk of texts (token ids given in order of appearance), the decoder."""
    table: dict[str, int] = {}
    limit = 2**bits - 1

    def lookup(token: str) -> int:
        found = table.get(token)
        if found is None:
            if len(table) >= limit:
                return 0
            found = table[token] = len(table) + 1
        return found

    def chunks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(texts), 2**FIT_DOC_BITS):
            yield _word_ids(texts[start : start + 2**FIT_DOC_BITS], analyzer, lookup)

    def decode(keys: np.ndarray) -> list[str]:
        symbols = [""] + list(table)
        return _decode(keys, symbols, bits, " ")

    return chunks(), decode


def fit_vocabulary(texts: Sequence[str], analyzer: Any, ngram_range: tuple[int, ...] = (1, 1),
                   min_df: int | float = 1, max_df: int | float = 1.0,
                   max_features: int | None = None) -> tuple[list[str], np.ndarray]:
    """The n-grams ``CountVectorizer(analyzer, ngram_range, min_df, max_df, max_features)`` fitted on
    ``texts`` keeps, sorted, and the number of texts each occurs in. :class:`DataError` when none."""
    if not supported(analyzer, ngram_range):
        raise ValueError(f"analyzer {analyzer!r} with ngram_range {ngram_range} is not counted here")
    ngram_range = _range(analyzer, ngram_range)
    n_docs = len(texts)
    max_count = max_df if isinstance(max_df, Integral) else max_df * n_docs
    min_count = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if max_count < min_count:
        raise DataError(f"features: max_df={max_df} keeps fewer texts than min_df={min_df}")
    bits = (64 - FIT_DOC_BITS) // ngram_range[1]
    if isinstance(analyzer, PersianAnalyzer):
        chunks, decode = _word_chunks(texts, analyzer, bits)
    else:
        chunks, decode = _char_chunks(texts, bits)
    key_mask = np.uint64(2 ** (bits * ngram_range[1]) - 1)
    doc_shift = np.uint64(64 - FIT_DOC_BITS)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    pending = 0
    for ids, starts in chunks:
        keys, positions = _windows(ids, ngram_range, bits)
        doc = (np.searchsorted(starts, positions, side="right") - 1).astype(np.uint64)
        pairs, in_doc = np.unique(keys | (doc << doc_shift), return_counts=True)
        parts.append(_reduce(pairs & key_mask, np.ones(len(pairs), np.int64), in_doc.astype(np.int64)))
        pending += len(parts[-1][0])
        if len(parts) > 1 and pending > 4 * len(parts[0][0]) + 20_000_000:  # merge now and then
            parts = [_reduce(*(np.concatenate(p) for p in zip(*parts)))]
            pending = len(parts[0][0])
    if not sum(len(p[0]) for p in parts):
        raise DataError(no_terms_message(n_docs, min_df, max_df))
    keys, df, tf = _reduce(*(np.concatenate(p) for p in zip(*parts))) if len(parts) > 1 else parts[0]
    mask = (df >= min_count) & (df <= max_count)
    keys, df, tf = keys[mask], df[mask], tf[mask]
    terms = decode(keys)
    order = sorted(range(len(terms)), key=terms.__getitem__)
    if max_features is not None and len(order) > max_features:
        by_count = np.argsort(-tf[order], kind="stable")[:max_features]
        order = [order[i] for i in sorted(by_count.tolist())]
    if not order:
        raise DataError(no_terms_message(n_docs, min_df, max_df))
    return [terms[i] for i in order], df[order]


def no_terms_message(n_docs: int, min_df: int | float, max_df: int | float) -> str:
    return (f"features: no TF-IDF terms left in {n_docs} training texts (min_df={min_df}, max_df={max_df}); "
            "are the texts Persian, and varied enough?")


# -- counting known terms -----------------------------------------------------------------------
class VocabularyIndex:
    """Counts of known n-grams (``terms``) in texts: ``index.transform(texts)`` -> a sparse matrix with
    one column per term, like ``CountVectorizer(vocabulary=terms).transform``.

    :meth:`build` returns ``None`` when the terms cannot be indexed here (too many distinct symbols,
    an n-gram length outside the range, a character term containing BREAK)."""

    def __init__(self, analyzer: Any, symbols: dict[str, int], bits: int, keys: np.ndarray,
                 columns: np.ndarray, ngram_range: tuple[int, ...], n_terms: int) -> None:
        self.analyzer, self.symbols, self.bits = analyzer, symbols, bits
        self.keys, self.columns, self.ngram_range, self.n_terms = keys, columns, ngram_range, n_terms
        if not isinstance(analyzer, PersianAnalyzer):
            self.table = _char_table(np.asarray(sorted(ord(c) for c in symbols), dtype=np.uint32))

    @classmethod
    def build(cls, terms: Sequence[str], analyzer: Any, ngram_range: tuple[int, ...] = (1, 1)
              ) -> VocabularyIndex | None:
        if not supported(analyzer, ngram_range):
            return None
        ngram_range = _range(analyzer, ngram_range)
        words = isinstance(analyzer, PersianAnalyzer)
        grams = [t.split(" ") for t in terms] if words else [list(t) for t in terms]
        if any(not ngram_range[0] <= len(g) <= ngram_range[1] or BREAK in g or "" in g for g in grams):
            return None
        if words:
            symbols = {s: i + 1 for i, s in enumerate(dict.fromkeys(s for g in grams for s in g))}
        else:
            symbols = {s: i + 1 for i, s in enumerate(sorted({s for g in grams for s in g}))}
        bits = _bits(len(symbols))
        if bits * ngram_range[1] > 64:
            return None
        keys = np.fromiter((sum(symbols[s] << (bits * k) for k, s in enumerate(g)) for g in grams),
                           dtype=np.uint64, count=len(grams))
        order = np.argsort(keys)
        return cls(analyzer, symbols, bits, keys[order], order.astype(np.int64), ngram_range, len(terms))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        blocks, start = [], 0
        while start < len(texts):
            stop, size = start, 0
            while stop < len(texts) and (size < CHUNK_CHARACTERS or stop == start):
                size += len(texts[stop])
                stop += 1
            blocks.append(self._count(texts[start:stop]))
            start = stop
        if not blocks:
            return sp.csr_matrix((0, self.n_terms), dtype=np.float32)
        return sp.vstack(blocks, format="csr")

    def _count(self, texts: Sequence[str]) -> sp.csr_matrix:
        if isinstance(self.analyzer, PersianAnalyzer):
            get = self.symbols.get
            ids, starts = _word_ids(texts, self.analyzer, lambda token: get(token, 0))
        else:
            codes, starts = _padded(texts)
            ids = _char_ids(codes, self.table)
        keys, positions = _windows(ids, self.ngram_range, self.bits)
        where = np.searchsorted(self.keys, keys)
        where[where == len(self.keys)] = 0
        hit = self.keys[where] == keys if len(self.keys) else np.zeros(len(keys), bool)
        doc = np.searchsorted(starts, positions[hit], side="right") - 1
        matrix = sp.csr_matrix((np.ones(len(doc), np.float32), (doc, self.columns[where[hit]])),
                               shape=(len(texts), self.n_terms))
        matrix.sum_duplicates()
        return matrix
