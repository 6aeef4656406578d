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
