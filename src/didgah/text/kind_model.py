"""Which kind a glued form in های is where it reads both ways: a plural in ‌های or a form in ه‌ای.

ماههای is ماه‌های («months of») or ماهه‌ای («a ... month-long»); حرفهای is حرف‌های or حرفه‌ای. The
news counts say how often each reading is written, and the words around the form say which one the
writer meant: a plural in ‌های is joined by its ezafe to the word after it (حرف‌های مختلف), a form in
ه‌ای mostly ends a noun phrase (برنامه‌ای که, مدرسه‌ای در) or is an adjective after a noun (لیگ
حرفه‌ای), and some words come before plurals (همه, برخی, از جمله). A logistic model weighs both: features
of the counts of the two readings and their stems (:func:`count_features`), of how often news writes the
word after and the word before next to each kind (:func:`odds_features`), and of the neighbouring words
and punctuation (:func:`context_features`).

Its weights (``resources/two_kinds.tsv``, provenance in ``two_kinds.md``) are learnt by
``benchmarks/two_kinds.py`` from the same real news articles as the word counts: every form written with
its ZWNJ (ویژه‌ای, تیم‌های) whose glued spelling reads both ways is an example of the kind its writer
meant, its count features taken from counts of the other articles only, as for a text the counts never
saw.

>>> he_probability("مدرسهای", ["", "در", " ", "مدرسهای", " ", "که", ""], 3) > 0.9
True
"""

from __future__ import annotations

import functools
import math
from importlib import resources

from didgah.text.letters import AFTER_HE, NON_JOINING, PLURAL_SUFFIXES, WORD_MEMO_SIZE, ZWNJ
from didgah.text.lexicon import get_lexicon

# Number words: after one, a noun is singular (سه سال, ۳۳ ساله‌ای); نه («nine», also «no») left out.
NUMBER_WORDS = frozenset(("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "ده", "یازده", "دوازده", "بیست", "سی",
                          "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود", "صد", "هزار", "میلیون", "میلیارد"))
# A stem written this often and never with a suffix of a family does not take it: the one figure, explained
# where the repairs use it (word_repairs, which reads it from here).
RULE_OUT_STEM = 500
_DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
_VERB_PREFIXES = ("می" + ZWNJ, "نمی" + ZWNJ)


def readings(word: str) -> tuple[str, str]:
    """The two readings of a glued form in های: the plural (ماه‌های; stuck to a stem that does not join:
    زنجیرهای) and the form in ه‌ای (ماهه‌ای)."""
    stem = word[:-3]
    plural = stem + "های" if stem[-1] in NON_JOINING else stem + ZWNJ + "های"
    return plural, word[:-2] + ZWNJ + "ای"


def count_features(word: str) -> dict[str, float]:
    """What the news counts and hazm's word list say of the two readings of ``word`` (a glued form in های)."""
    lexicon = get_lexicon()
    count, frequency = lexicon.corpus.get, lexicon.frequency.get
    stem, he_stem = word[:-3], word[:-2]
    plural, he = readings(word)
    joins = stem[-1] not in NON_JOINING
    plurals = sum(count(stem + ZWNJ + s, 0) for s in PLURAL_SUFFIXES) if joins else 0
    he_forms = sum(count(he_stem + ZWNJ + s, 0) for s in AFTER_HE)
    glued = math.log(count(word, 0) + 1)
    return {
        "count:readings": math.log((count(he, 0) + 1) / ((count(plural, 0) if joins else 0) + 1)),
        "count:stems": math.log((count(he_stem, 0) + 1) / (count(stem, 0) + 1)),
        "count:stems_hazm": math.log((frequency(he_stem, 0) + 1) / (frequency(stem, 0) + 1)),
        "count:glued": glued,
        "count:stem_not_joining": float(not joins),
        "count:glued_not_joining": glued * (not joins),
        "count:plural_family": math.log(plurals + 1),
        "count:he_family": math.log(he_forms + 1),
        "count:stem": math.log(count(stem, 0) + 1),
        "count:he_stem": math.log(count(he_stem, 0) + 1),
        "count:never_plural": float(joins and count(stem, 0) >= RULE_OUT_STEM and plurals == 0),
        "count:never_he": float(count(he_stem, 0) >= RULE_OUT_STEM and he_forms == 0),
    }


def _odds(counts: dict[str, tuple[int, int]], word: str) -> float:
    after_he, after_plural = counts.get(word, (0, 0))
    total_he, total_plural = counts.get("", (1, 1))
    return (after_he + 1) / (after_plural * total_he / total_plural + 1)


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def next_word_odds(word: str) -> float:
    """How many times as often news writes ``word`` right after a form in ه‌ای as after a plural in
    ‌های, the plural's count scaled to as many forms and one added to each count, so that a word seen
    there rarely says little and one never seen there says nothing (1.0).

    >>> next_word_odds("که") > 50, next_word_odds("مختلف") < 0.02, next_word_odds("ناشناخته‌ترین")
    (True, True, 1.0)
    """
    return _odds(get_lexicon().next_words, word)


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def previous_word_odds(word: str) -> float:
    """The same as :func:`next_word_odds` for the word right before: a plural follows همه, برخی, تمام.

    >>> previous_word_odds("برخی") < 0.05, previous_word_odds("ناشناخته‌ترین")
    (True, 1.0)
    """
    return _odds(get_lexicon().previous_words, word)


def _mark(gap: str, last: bool) -> str:
    """The punctuation mark nearest the word in what lies between two words (a digit as 0, a line break as ¶)."""
    char = gap.replace(" ", "")[-1 if last else 0]
    return "0" if char in _DIGITS else "¶" if char in "\n\r" else char


def _word_features(name: str, word: str) -> list[str]:
    lexicon = get_lexicon()
    found = [f"{name}:{word}", *(f"{name}:tag:{tag}" for tag in sorted(lexicon.tags.get(word, ())))]
    if word in NUMBER_WORDS:
        found.append(f"{name}:number")
    if word not in lexicon.frequency:
        found.append(f"{name}:unknown")
    return found


def context_features(parts: list[str], i: int) -> list[str]:
    """The neighbours of the word ``parts[i]`` of :func:`didgah.text.letters.split_words`'s parts (words at
    odd places, what lies between them at even ones): the punctuation after it, else the
    next word (its spelling, hazm's tags, whether it is a number, a verb, a plural, a form in ‌ای, a word
    in ی) and the word after that; the punctuation before it, else the word before."""
    found = []
    after = parts[i + 1] if i + 1 < len(parts) else ""
    if after.strip():
        found.append("after:" + _mark(after, last=False))
    elif i + 2 >= len(parts):
        found.append("after:end")
    else:
        following = parts[i + 2]
        found += _word_features("next", following)
        bare = following.split(ZWNJ, 1)[1] if following.startswith(_VERB_PREFIXES) else following
        if following.startswith(_VERB_PREFIXES):
            found.append("next:mi")
        if bare in get_lexicon().verb_forms:
            found.append("next:verb")
        if following.endswith((ZWNJ + "های", ZWNJ + "ها")):
            found.append("next:plural")
        elif following.endswith(ZWNJ + "ای"):
            found.append("next:ay")
        elif following.endswith("ی"):
            found.append("next:y")
        if i + 4 < len(parts) and parts[i + 3] == " ":
            found.append("next2:" + parts[i + 4])
    before = parts[i - 1]
    if before.strip():
        found.append("before:" + _mark(before, last=True))
    elif i < 2:
        found.append("before:start")
    else:
        found += _word_features("prev", parts[i - 2])
    return found


def _shipped_weights() -> tuple[float, dict[str, float]]:
    text = resources.files("didgah.text").joinpath("resources", "two_kinds.tsv").read_text("utf-8")
    rows = dict(line.split("\t") for line in text.splitlines() if line)
    bias = float(rows.pop("#bias"))
    return bias, {feature: float(weight) for feature, weight in rows.items()}


@functools.cache
def weights() -> tuple[float, dict[str, float]]:
    """The model's bias and weights, read once per process from ``resources/two_kinds.tsv``."""
    return _shipped_weights()


def next_word(parts: list[str], i: int) -> str | None:
    """The word after ``parts[i]`` when only a space is between them."""
    return parts[i + 2] if i + 2 < len(parts) and parts[i + 1] == " " else None


def previous_word(parts: list[str], i: int) -> str | None:
    """The word before ``parts[i]`` when only a space is between them."""
    return parts[i - 2] if i >= 2 and parts[i - 1] == " " else None


def odds_features(following: str | None, preceding: str | None) -> dict[str, float]:
    """How much likelier news writes the word after (:func:`next_word`) and the word before
    (:func:`previous_word`) next to a form in ه‌ای than next to a plural in ‌های, as logs
    (:func:`next_word_odds`, :func:`previous_word_odds`; 0 where there is none): learnt from every such
    form, not only those that read both ways, so they speak for words the examples seldom show."""
    return {"count:next_word_odds": math.log(next_word_odds(following)) if following else 0.0,
            "count:previous_word_odds": math.log(previous_word_odds(preceding)) if preceding else 0.0}


def he_probability(word: str, parts: list[str], i: int) -> float:
    """How likely the glued form ``word``, at ``parts[i]``, is the form in ه‌ای rather than the plural."""
    bias, weight = weights()
    numbers = {**count_features(word), **odds_features(next_word(parts, i), previous_word(parts, i))}
    score = bias + sum(weight.get(name, 0.0) * value for name, value in numbers.items())
    score += sum(weight.get(name, 0.0) for name in context_features(parts, i))
    return 1 / (1 + math.exp(-max(min(score, 50.0), -50.0)))
