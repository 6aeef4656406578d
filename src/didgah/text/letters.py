"""Persian letter classes and the zero-width non-joiner rules every word repair shares."""

from __future__ import annotations

import re
from collections.abc import Callable

ZWNJ = "\u200c"

# Letters that never join to the following letter: a ZWNJ after them is meaningless (بندر‌ها -> بندرها).
NON_JOINING = "اآأإٱدذرزژوؤ"
PERSIAN_LETTERS = "آ-ی" + "ءأإؤئ" + "پچژکگی"
LETTER = f"[{PERSIAN_LETTERS}]"
WORD = re.compile(f"{LETTER}[{PERSIAN_LETTERS}{ZWNJ}]*")
_WORD_SPLIT = re.compile(f"({WORD.pattern})")


def split_words(text: str) -> list[str]:
    """``text`` cut into words (runs of Persian letters and ZWNJs, at odd places) and what lies between
    them (at even places, the first and last possibly empty).

    >>> split_words("در «خانه‌ای» ۳ تا")
    ['', 'در', ' «', 'خانه‌ای', '» ۳ ', 'تا', '']
    """
    return _WORD_SPLIT.split(text)

PLURAL_SUFFIXES = ("هایشان", "هایتان", "هایمان", "هایی", "هایم", "هایت", "هایش", "های", "ها")
HE_SUFFIXES = ("اند", "ایم", "اید", "ای", "ام")  # after a final ه: ویژه‌ای, رفته‌اند
AFTER_HE = (*HE_SUFFIXES, "اش")  # and the possessive: خانه‌اش
COMPARATIVE_SUFFIXES = ("ترین", "تر")

# Word-level repairs depend on the word alone (and the fixed lexicon): each distinct word of a process
# is analysed once. Bounded, so a huge corpus cannot grow the memo without limit.
WORD_MEMO_SIZE = 1 << 18


def attach(stem: str, suffix: str) -> str:
    """Join a suffix to its stem: with a ZWNJ after a joining letter, directly after a non-joiner."""
    return stem + suffix if stem[-1] in NON_JOINING else stem + ZWNJ + suffix


def sub_words(pattern: re.Pattern[str], repair: Callable[[str], str], text: str) -> str:
    """``pattern.sub(lambda m: repair(m.group()), text)`` without a Python call per match object:
    splitting on the pattern in a capturing group yields the same matches, every second item."""
    parts = pattern.split(text)
    parts[1::2] = map(repair, parts[1::2])
    return "".join(parts)
