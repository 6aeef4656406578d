"""Splitting two words typed without a space (حفظتمامیت -> حفظ تمامیت), from hazm's lexicon: a step of
every normalizer, and the base of the corpus-checked run-on repair (:mod:`didgah.text.word_repairs`)."""

from __future__ import annotations

import functools
import re

from didgah.text.letters import (
    COMPARATIVE_SUFFIXES,
    HE_SUFFIXES,
    LETTER,
    PLURAL_SUFFIXES,
    WORD_MEMO_SIZE,
    sub_words,
)
from didgah.text.lexicon import get_lexicon

_SHORT_LEFT_WORDS = frozenset({"در", "به", "از", "با", "که", "تا", "را", "بر"})
_NOT_A_RIGHT_PART = frozenset(PLURAL_SUFFIXES + HE_SUFFIXES + COMPARATIVE_SUFFIXES) | {
    "ان", "ات", "گان", "یان", "ی", "یی", "ین", "ش", "شان", "مان", "تان", "ست", "اش",
}
GLUE_MIN_FREQUENCY = 20000
# Parts of compound names and words that Persian writes either way (عطارزاده, محمودوند, فریدونشهر).
_COMPOUND_PARTS = frozenset({"زاده", "وند", "پور", "نژاد", "آباد", "شهر", "مهر", "رضا", "نیا", "فر", "یکه", "گونه"})
_INFLECTIONS = tuple(sorted(_NOT_A_RIGHT_PART | {"م", "ت", "ند", "یم", "ید", "د"}, key=len, reverse=True))


def _verb(word: str) -> bool:
    """Whether a word reads as a verb form, with or without the prefixes ن، ب، می، نمی (رساندیم, نهراسد)."""
    forms = get_lexicon().verb_forms
    return any(word.startswith(p) and word[len(p) :] in forms for p in ("", "ن", "ب", "می", "نمی"))


def _inflected(word: str) -> bool:
    """Whether a word reads as a listed stem plus an inflectional suffix (بندرها, آوارگان, شهروندی)."""
    lex = get_lexicon()
    return any(word.endswith(s) and lex.known(word[: -len(s)]) for s in _INFLECTIONS if len(word) > len(s) + 1)
_ARABIC_ARTICLE = ("ال", "وال", "بال", "فال")  # الانوار, والناس: Arabic phrases, not two Persian words
_PLAIN_WORD = re.compile(f"{LETTER}{{6,}}")
_PLAIN_WORD_GROUP = re.compile(f"({_PLAIN_WORD.pattern})")


def split_glued_words(text: str, min_frequency: int = GLUE_MIN_FREQUENCY) -> str:
    """Split two words typed without a space, when the lexicon allows exactly one split.

    A word is split only if it is not in the lexicon at all, does not read as an inflected word or a
    verb, does not start with the Arabic article ال, and exactly one cut leaves two listed words, both
    common (each seen at least ``min_frequency`` times in
    hazm's word list; a left part of two letters only for a preposition such as در or از). Suffix-like
    right parts (ها, ان, ی ...) and parts of compound names (زاده, وند, آباد ...) never count.

    >>> split_glued_words("بر حفظتمامیت ارضی سوریه تاکید کرد")
    'بر حفظ تمامیت ارضی سوریه تاکید کرد'
    """
    if min_frequency == GLUE_MIN_FREQUENCY:
        return sub_words(_PLAIN_WORD_GROUP, split_word, text)
    return _PLAIN_WORD.sub(lambda match: split_word(match.group(), min_frequency), text)


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def split_word(word: str, min_frequency: int = GLUE_MIN_FREQUENCY) -> str:
    """One word of :func:`split_glued_words`: split in two, or returned as it is."""
    lex = get_lexicon()
    if lex.known(word) or word.startswith(_ARABIC_ARTICLE) or _inflected(word) or _verb(word):
        return word
    readings = []  # every cut into two listed words, however rare: more than one = ambiguous
    for cut in range(2, len(word) - 1):
        left, right = word[:cut], word[cut:]
        if right in _NOT_A_RIGHT_PART or not (lex.known(left) and lex.known(right)):
            continue
        readings.append((left, right))
    if len(readings) != 1:
        return word
    left, right = readings[0]
    if right in _COMPOUND_PARTS or len(right) < 3 or (len(left) == 2 and left not in _SHORT_LEFT_WORDS):
        return word
    common = lex.attested(left, min_frequency) and lex.attested(right, min_frequency)
    return f"{left} {right}" if common else word
