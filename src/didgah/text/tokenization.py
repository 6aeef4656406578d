"""Tokenization with one reused hazm ``WordTokenizer`` (building one costs about 0.6 s)."""

from __future__ import annotations

import functools

import hazm


@functools.cache
def _word_tokenizer() -> hazm.WordTokenizer:
    return hazm.WordTokenizer(join_verb_parts=False, separate_emoji=True)


@functools.cache
def _stemmer() -> hazm.Stemmer:
    return hazm.Stemmer()


@functools.cache
def stopwords() -> frozenset[str]:
    """hazm's Persian stopword list."""
    return frozenset(hazm.stopwords_list())


def tokenize(text: str) -> list[str]:
    """Split a (normalized) Persian text into word tokens; punctuation is a token of its own.

    >>> tokenize("گروه‌های مسلح، حمله کردند.")
    ['گروه\u200cهای', 'مسلح', '،', 'حمله', 'کردند', '.']
    """
    return _word_tokenizer().tokenize(text)


def stem(token: str) -> str:
    """hazm's rule-based stem of one token (کتاب‌ها -> کتاب)."""
    return _stemmer().stem(token)


class PersianAnalyzer:
    """A picklable callable that turns a normalized text into tokens, for ``TfidfVectorizer(analyzer=...)``.

    Parameters
    ----------
    stem : bool
        Reduce tokens with hazm's stemmer.
    remove_stopwords : bool
        Drop hazm's stopwords.
    ngram_range : (int, int)
        Word n-grams to emit, joined with a space.
    min_token_length : int
        Drop shorter tokens (punctuation is length 1).
    """

    def __init__(
        self,
        stem: bool = False,
        remove_stopwords: bool = False,
        ngram_range: tuple[int, ...] = (1, 1),
        min_token_length: int = 2,
    ) -> None:
        self.stem = stem
        self.remove_stopwords = remove_stopwords
        self.ngram_range = tuple(ngram_range)
        self.min_token_length = min_token_length

    def tokens(self, text: str) -> list[str]:
        tokens = [t for t in tokenize(text) if len(t) >= self.min_token_length]
        if self.remove_stopwords:
            stop = stopwords()
            tokens = [t for t in tokens if t not in stop]
        if self.stem:
            tokens = [stem(t) for t in tokens]
        return tokens

    def __call__(self, text: str) -> list[str]:
        tokens = self.tokens(text)
        low, high = self.ngram_range
        grams: list[str] = []
        for n in range(low, high + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"PersianAnalyzer({args})"
