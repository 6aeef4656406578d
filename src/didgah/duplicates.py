"""Exact and near-duplicate texts between a training and a test set (leakage that inflates scores)."""

from __future__ import annotations

import hashlib
import re

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

_NON_LETTERS = re.compile(r"[\W\d_]+")


def _key(text: str) -> str:
    return hashlib.sha1(_NON_LETTERS.sub("", text).encode()).hexdigest()


def find_duplicates(
    train: list[str], test: list[str], threshold: float = 0.9, chunk: int = 2000
) -> list[tuple[int, int, float]]:
    """Pairs ``(test_index, train_index, similarity)`` where a test text repeats a training text.

    Exact duplicates (the same letters, ignoring spacing, punctuation and digits) have similarity 1.0;
    near duplicates have cosine similarity of character 4-gram TF-IDF vectors >= ``threshold``.
    Each test text is reported once, with its most similar training text.

    >>> find_duplicates(["حمله به پایگاه نظامی در شمال", "بازی فوتبال"], ["حمله  به پایگاه نظامی در شمال!"])
    [(0, 0, 1.0)]
    """
    if not train or not test:
        return []
    exact: dict[str, int] = {}
    for i, text in enumerate(train):
        exact.setdefault(_key(text), i)
    pairs: dict[int, tuple[int, float]] = {}
    for j, text in enumerate(test):
        i = exact.get(_key(text))
        if i is not None:
            pairs[j] = (i, 1.0)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True, dtype=np.float32)
    train_m = vectorizer.fit_transform(train)
    test_m = vectorizer.transform(test)
    for start in range(0, len(test), chunk):
        sims = (test_m[start : start + chunk] @ train_m.T).tocsr()
        for offset in range(sims.shape[0]):
            j = start + offset
            if j in pairs:
                continue
            row = sims.getrow(offset)
            if row.nnz and row.data.max() >= threshold:
                k = int(np.argmax(row.data))
                pairs[j] = (int(row.indices[k]), round(float(row.data[k]), 4))
    return sorted((j, i, s) for j, (i, s) in pairs.items())


def duplicates_within(texts: list[str], threshold: float = 0.9, chunk: int = 2000) -> list[tuple[int, int, float]]:
    """Pairs ``(j, i, similarity)`` with ``i < j`` where text ``j`` repeats an earlier text ``i`` of the same
    list, by the same measure as :func:`find_duplicates` (every such earlier text, not only the closest).

    >>> duplicates_within(["حمله به پایگاه نظامی", "بازی فوتبال", "حمله به پایگاه نظامی!"])
    [(2, 0, 1.0)]
    """
    if len(texts) < 2:
        return []
    pairs: dict[tuple[int, int], float] = {}
    first: dict[str, list[int]] = {}
    for j, text in enumerate(texts):
        key = _key(text)
        for i in first.get(key, []):
            pairs[(j, i)] = 1.0
        first.setdefault(key, []).append(j)
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True,
                             dtype=np.float32).fit_transform(texts)
    for start in range(0, len(texts), chunk):
        sims = (matrix[start : start + chunk] @ matrix[: start + chunk].T).tocoo()
        for offset, i, value in zip(sims.row, sims.col, sims.data):
            j = start + int(offset)
            if int(i) < j and value >= threshold and (j, int(i)) not in pairs:
                pairs[(j, int(i))] = round(min(float(value), 1.0), 4)
    return sorted((j, i, s) for (j, i), s in pairs.items())
