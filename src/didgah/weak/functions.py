"""Labelling functions: small rules that read one (normalized) text and vote on some labels.

A labelling function (LF) returns, for each label it speaks about, ``POSITIVE`` (the label applies),
``NEGATIVE`` (it does not) or nothing (``ABSTAIN``: no opinion). Three kinds:

- :class:`LexiconLF`: phrases (each with a weight) whose hits add up to a score; the LF votes when the
  score reaches ``min_score``. ``exclude`` phrases are removed before matching (a topic word in a sense
  the guideline rejects: «امنیت غذایی»); ``context`` phrases, when given, must occur in the same
  sentence as a hit (or within ``window`` sentences of it) for it to count; a hit in a sentence
  holding an ``unless`` phrase does not count.
- :class:`RegexLF`: a regular expression; votes when it matches at least ``min_count`` times.
- :class:`PythonLF`: any callable ``text -> {label: 1 | 0}`` (a label left out, or ``None``, abstains).

Texts are normalized once before the LFs see them (:func:`didgah.weak.votes.apply_functions`);
lexicon phrases are normalized with the same normalizer when the LF is built. A phrase matches a word
that starts with it (تروریست matches تروریستی) and, for several words, a space or ZWNJ between them.

Example
-------
>>> lf = LexiconLF("war", ["security"], ["جنگ", "حمله موشکی"], exclude=["جنگ اقتصادی"])
>>> lf("حمله موشکی به پایگاه"), lf("جنگ اقتصادی آمریکا")
({'security': 1}, {})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from didgah.errors import ConfigError
from didgah.text.normalization import ZWNJ, normalize
from didgah.text.phrases import term_pattern

POSITIVE, NEGATIVE, ABSTAIN = 1, 0, -1
VOTES = {"positive": POSITIVE, "negative": NEGATIVE}
_SENTENCE_END = re.compile(r"[.!?؟\n]+")


class LabellingFunction:
    """A named rule voting ``vote`` on ``labels`` when it fires; subclasses say when it fires."""

    def __init__(self, name: str, labels: Sequence[str], vote: int = POSITIVE) -> None:
        if vote not in (POSITIVE, NEGATIVE):
            raise ConfigError(f"labelling function {name!r}: vote must be positive (1) or negative (0), got {vote!r}")
        if not labels:
            raise ConfigError(f"labelling function {name!r}: names no label to vote on")
        self.name = name
        self.labels = list(labels)
        self.vote = vote

    def fires(self, text: str) -> bool:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def __call__(self, text: str) -> dict[str, int]:
        """The votes on one normalized text: ``{label: POSITIVE | NEGATIVE}``; absent labels abstain."""
        return {label: self.vote for label in self.labels} if self.fires(text) else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, labels={self.labels}, vote={self.vote})"


def _key(phrase: str) -> str:
    return " ".join(phrase.replace(ZWNJ, " ").split())


class LexiconLF(LabellingFunction):
    """Votes when the weighted hits of its phrases reach ``min_score``.

    Parameters
    ----------
    name : str
    labels : list of str
        The labels it votes on.
    phrases : list of str or mapping phrase -> weight
        Phrases to look for (weight 1 each when given as a list). Every occurrence counts.
    vote : {1, 0}, default=1
        ``POSITIVE`` or ``NEGATIVE``.
    min_score : float, default=1
        The LF fires when the summed weights of the hits reach this (2 with weights 1 = two hits).
    exclude : list of str
        Phrases removed from the text before matching (a word inside them never hits).
    context : list of str
        If given, a hit counts only in a sentence that also holds one of these phrases.
    window : int, default=0
        How many sentences before and after a hit may hold the ``context`` phrase instead (0: the
        same sentence only). «بازسازی دوباره بم ...» after a sentence on the earthquake counts with 1.
    unless : list of str
        A hit does not count in a sentence that holds one of these phrases.
    normalizer : str, default="persian_normalizer.v1"
        Normalizes the phrases as the texts are normalized.
    """

    def __init__(
        self,
        name: str,
        labels: Sequence[str],
        phrases: Sequence[str] | Mapping[str, float],
        vote: int = POSITIVE,
        min_score: float = 1,
        exclude: Sequence[str] = (),
        context: Sequence[str] = (),
        unless: Sequence[str] = (),
        normalizer: str = "persian_normalizer.v1",
        window: int = 0,
    ) -> None:
        super().__init__(name, labels, vote)
        if isinstance(window, bool) or not isinstance(window, int) or window < 0:
            raise ConfigError(f"labelling function {name!r}: window must be a non-negative integer, got {window!r}")
        self.window = window
        weights = dict(phrases) if isinstance(phrases, Mapping) else {p: 1.0 for p in phrases}
        if not weights:
            raise ConfigError(f"labelling function {name!r}: needs at least one phrase")
        norm = lambda p: normalize(str(p), normalizer)  # noqa: E731
        self.weights = {_key(norm(p)): float(w) for p, w in weights.items()}
        self.min_score = float(min_score)
        self._phrases = term_pattern(list(self.weights))
        self._exclude = term_pattern([_key(norm(p)) for p in exclude])
        self._context = term_pattern([_key(norm(p)) for p in context])
        self._unless = term_pattern([_key(norm(p)) for p in unless])

    def hits(self, text: str) -> list[str]:
        """The phrases that hit in ``text`` (normalized), one entry per counted occurrence."""
        if self._exclude is not None:
            text = self._exclude.sub(" ", text)
        if self._context is None and self._unless is None:
            return [_key(m) for m in self._phrases.findall(text)]
        found: list[str] = []
        sentences = _SENTENCE_END.split(text)
        near = self._near_context(sentences)
        for i, sentence in enumerate(sentences):
            if not near[i]:
                continue
            if self._unless is not None and self._unless.search(sentence):
                continue
            found.extend(_key(m) for m in self._phrases.findall(sentence))
        return found

    def _near_context(self, sentences: list[str]) -> list[bool]:
        """Per sentence: does it, or one within ``window`` sentences, hold a context phrase?"""
        if self._context is None:
            return [True] * len(sentences)
        holds = [bool(self._context.search(s)) for s in sentences]
        w = self.window
        return [any(holds[max(0, i - w):i + w + 1]) for i in range(len(sentences))]

    def score(self, text: str) -> float:
        return sum(self.weights.get(hit, 0.0) for hit in self.hits(text))

    def fires(self, text: str) -> bool:
        return self.score(text) >= self.min_score


class RegexLF(LabellingFunction):
    """Votes when ``pattern`` matches the normalized text at least ``min_count`` times.

    >>> RegexLF("evacuated", ["refugees"], r"تخلیه[^.]{0,40}(?:سیل|آتش)")("تخلیه روستا به دلیل سیل")
    {'refugees': 1}
    """

    def __init__(self, name: str, labels: Sequence[str], pattern: str, vote: int = POSITIVE,
                 min_count: int = 1) -> None:
        super().__init__(name, labels, vote)
        try:
            self._regex = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"labelling function {name!r}: invalid pattern: {exc}") from None
        self.pattern = pattern
        self.min_count = int(min_count)

    def fires(self, text: str) -> bool:
        count = 0
        for _ in self._regex.finditer(text):
            count += 1
            if count >= self.min_count:
                return True
        return False


class PythonLF(LabellingFunction):
    """Wraps any ``text -> {label: 1 | 0 | None}`` callable; labels it leaves out or maps to None abstain.

    >>> PythonLF("short", lambda t: {"security": 0} if len(t) < 20 else {}, ["security"])("کوتاه")
    {'security': 0}
    """

    def __init__(self, name: str, function: Callable[[str], Mapping[str, Any]], labels: Sequence[str]) -> None:
        super().__init__(name, labels)
        self.function = function

    def __call__(self, text: str) -> dict[str, int]:
        result = self.function(text) or {}
        if not isinstance(result, Mapping):
            raise ConfigError(f"labelling function {self.name!r}: returned {result!r}, expected a mapping label -> 1/0")
        votes = {}
        for label, vote in result.items():
            if vote is None or vote == ABSTAIN:
                continue
            if label not in self.labels or vote not in (POSITIVE, NEGATIVE):
                raise ConfigError(f"labelling function {self.name!r}: vote {label!r}: {vote!r} is not one of "
                                  f"its labels {self.labels} with 1/0/None")
            votes[label] = int(vote)
        return votes
