"""Word repairs decided from evidence: how often real Persian news writes each form.

The repairs of ``persian_normalizer.v2``. Each candidate change is checked against two word lists
(:mod:`didgah.text.lexicon`): hazm's word list, and didgah's own counts of word forms in real news,
where a form with a zero-width non-joiner (ZWNJ, تیم‌های) is counted apart from the same letters glued
(تیمهای). The rules:

- a word that hazm's list counts (بیشتر, دفتر, تنها), or that news writes glued far more often than
  with a ZWNJ (بیشترین, بهای, انتهای, فیلتر), or more often when hazm's list holds it too (آنها), is a
  word: it is never split;
- a glued suffix (ها, های, تر, ترین, ای, اش ...) or prefix (می, نمی) gets its ZWNJ when news writes
  the joined form and rarely the glued one (تیمهای -> تیم‌های); when neither is written, when the stem
  is a word and the glued form is not (پروبیوتیکها -> پروبیوتیک‌ها); a form in ای, ام, اند ... after ه
  with no attested stem at all, when news writes it joined or its stem is made of words the lists hold
  (غیرحرفهای -> غیرحرفه‌ای, ذلیلانهای -> ذلیلانه‌ای, نشناختهاند -> نشناخته‌اند);
- a glued form with two readings that news both writes (حرفهای: حرف‌های or حرفه‌ای), or that is right
  as typed with another stem (دورهای: دور+های or دوره‌ای), or whose stems hazm's list counts both as
  common words (صحنهای: صحن‌های or صحنه‌ای), is left as it is, unless news rules the other reading out:
  it writes the chosen form ten times as often as the other can have been written, or it writes the
  other's stem often and never with that kind of suffix (حملهای: حمل is common, حمل‌ها never written);
- where news writes no reading joined, the stems decide, but a verb reading (a participle with a
  personal ending, as news writes that participle: دریافته‌ایم, for news writes دریافته‌اند) is not
  outweighed by a commoner stem (دریافت): دریافتهایم is left as it is;
- a plural in های is always followed by the word its ezafe joins and never follows هر, هیچ, چند or
  یک or a number, so before punctuation, a word that ends a phrase (را, است ...) or a preposition or
  conjunction that begins one (از, برای, و ...), or after those determiners, a form that also reads as
  ه + ای is not a plural (پنج ماههای را, هر صحنهای, هالهای از ابهام, ۳۳ سالهای);
- otherwise, where a glued form reads both as a plural in های and as ه + ای, the word after it weighs
  in: a split is not made when how much more often news writes the chosen reading, times how much more
  often news writes the next word after that kind of form than after the other, is below one (محلهای
  وجود دارد: محل‌های is written 33 times and محله‌ای at most twice, but وجود follows a form in ه‌ای 24
  times as often as a plural, so the form stays as it is); and a form the counts leave as it is gets
  the reading that this product puts ten times above every reading of the other kind (مدرسهای در ->
  مدرسه‌ای, حرفهای مختلف -> حرف‌های);
- and for each such form, a model of the two kinds learnt from how news writes them in their sentences
  (:mod:`didgah.text.kind_model`) must back the reading those rules choose, or it is left as typed;
  where they choose none, it may choose one itself when it is sure (:func:`_concur`);
- ترین ends almost no word: glued after a stem of three letters or more, or after a space, it is the
  suffix (پرلوکیشنترین, مینیمال ترین); تر attaches to a stem that takes it (an adjective, a word in ی
  or انه, a participle, پر/کم/خوش/بد + a word), and after a space also to the end of a compound adjective
  (آسیب پذیر تر, بی طرف تر) or before از «than»;
- a suffix typed after a space is attached when it is never a word of its own (ها, اند, اش, ترین ...),
  or when its stem can take it (تر «wet» and ای «O» are words too);
- two words typed without a space are split only when the glued string is never seen in the news
  counts (سنتکام, خبرآنلاین stay) and both parts are common there.

>>> repair_suffixes("تیمهای ملی و بیشترین بهای پروبیوتیکها")
'تیم\u200cهای ملی و بیشترین بهای پروبیوتیک\u200cها'
"""

from __future__ import annotations

import functools
import re

from didgah.text import kind_model
from didgah.text.glued_words import split_word
from didgah.text.kind_model import next_word_odds
from didgah.text.letters import (
    AFTER_HE,
    HE_SUFFIXES,
    LETTER,
    NON_JOINING,
    PLURAL_SUFFIXES,
    WORD_MEMO_SIZE,
    ZWNJ,
    attach,
    split_words,
    sub_words,
)
from didgah.text.lexicon import get_lexicon

PLURAL = PLURAL_SUFFIXES
SUPERLATIVE = "ترین"
COMPARATIVE = (SUPERLATIVE, "تر")
SUFFIXES = PLURAL + COMPARATIVE + AFTER_HE

# A glued form is a word of its own when news writes it at least this many times as often as the
# joined reading (بیشترین 613 against بیش‌ترین 27; not بزرگترین 483 against بزرگ‌ترین 142).
WORD_MARGIN = 5
# One reading wins over another only when news writes it this many times as often (نامه‌ای 282 against
# نام‌های 60 is not enough: نامهای stays).
READING_MARGIN = 10
# A reading is also doubtful when another reading's stem is seen at least 1/STEM_MARGIN as often.
STEM_MARGIN = 10
# A stem is attested when news writes it this often (or hazm's list counts it).
MIN_STEM_COUNT = 3

_BOUNDARY_BEFORE = f"(?<!{LETTER}|{ZWNJ})"
_BOUNDARY_AFTER = f"(?!{LETTER}|{ZWNJ}|[0-9۰-۹٠-٩A-Za-z])"


def _count(word: str) -> int:
    return get_lexicon().corpus.get(word, 0)


def _is_word(word: str) -> bool:
    """Counted by hazm's word list (not merely listed: the list also holds glued forms, counted zero)."""
    return get_lexicon().frequency.get(word, 0) > 0


def _attested(stem: str) -> bool:
    """A stem seen in news or counted by hazm's list, or made of one with the suffix ی or یی
    (سمساری from سمسار, باواریایی from باواریا)."""
    if _count(stem) >= MIN_STEM_COUNT or _is_word(stem):
        return True
    base = stem[:-2] if stem.endswith("یی") else stem[:-1] if stem.endswith("ی") else ""
    return len(base) >= 2 and (_count(base) >= MIN_STEM_COUNT or _is_word(base))


def _stem_weight(stem: str) -> int:
    """How much a reading's stem is seen: its news count, or 1 when only hazm's list counts it."""
    return max(_count(stem), 1 if _is_word(stem) else 0)


# Prefixes that make an adjective of a noun (پرجرم, کم‌حوصله, خوش‌نام, بدشانس); بی, با and نا are left
# out: they also begin many words of other kinds (بیمار, باران, نامه).
ADJECTIVE_PREFIXES = ("پر", "کم", "خوش", "بد")
# Prefixes before a participle that are not words of their own (ن «not», نا, وا); the preverbs در, بر,
# باز, فرو are words, so they come in as words (:func:`_composed`).
_PARTICIPLE_PREFIXES = ("ن", "نا", "وا")


def _participle(stem: str) -> bool:
    """A past participle (شده, شناخته: a past stem of hazm's verb list + ه) or a present one in نده
    (کننده, سازنده: a present stem + نده): Persian uses both as adjectives."""
    lex = get_lexicon()
    return stem.endswith("ه") and (stem[:-1] in lex.past_stems or (stem.endswith("نده") and stem[:-3] in lex.present_stems))


def _adjective_form(stem: str) -> bool:
    """A word of three letters or more in ی (شخصی, رقابتی) or of five or more in انه (سختگیرانه,
    ظالمانه): Persian's productive adjective endings."""
    return (len(stem) >= 3 and stem.endswith("ی")) or (len(stem) >= 5 and stem.endswith("انه"))


def _comparable(stem: str) -> bool:
    """Whether a stem takes تر/ترین: an adjective in hazm's list, an adjective form
    (:func:`_adjective_form`), a participle, an adjective prefix before an attested word of two letters or
    more (پرجرم), or news writes the stem with ترین (glued or joined) or joined to تر."""
    if get_lexicon().is_adjective(stem) or _adjective_form(stem) or _participle(stem):
        return True
    if any(stem.startswith(p) and len(stem) - len(p) >= 2 and _attested(stem[len(p) :]) for p in ADJECTIVE_PREFIXES):
        return True
    return _count(stem + ZWNJ + "تر") + _count(stem + ZWNJ + SUPERLATIVE) + _count(stem + SUPERLATIVE) > 0


def _verb_stem(stem: str) -> bool:
    """A verb's past or present stem that hazm's list does not also tag as a noun or adjective (گرفت, هست)."""
    lex = get_lexicon()
    verbal = stem in lex.past_stems or stem in lex.present_stems
    return verbal and not {"N", "AJ"} & lex.tags.get(stem, frozenset())


def _readings(word: str) -> list[tuple[str, str]]:
    """Every (stem, suffix) cut of a glued word whose stem is attested and can take that suffix; for
    ترین, which ends almost no word (those it ends, ویترین, دکسترین, are in hazm's list), any stem of
    three letters or more of a word hazm's list does not hold (پرلوکیشنترین, مینیمالترین)."""
    found = []
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem) < 2:
            continue
        if suffix == SUPERLATIVE and len(stem) >= 3 and not get_lexicon().known(word):
            found.append((stem, suffix))
            continue
        if not _attested(stem):
            continue
        if suffix in AFTER_HE and not stem.endswith("ه"):
            continue
        if suffix in COMPARATIVE and not _comparable(stem):
            continue
        if suffix in PLURAL and _verb_stem(stem):
            continue  # گرفت+های, هست+های: a verb takes no plural (so گرفتهایم, هستهای have one reading)
        found.append((stem, suffix))
    return found or _composed_readings(word)


def _participle_like(word: str) -> bool:
    """A participle (:func:`_participle`) or its negative (نشناخته, نیافته)."""
    return _participle(word) or (word.startswith("ن") and _participle(word[1:]))


def _composed(stem: str) -> bool:
    """Whether a stem in ه that neither word list holds is made of words that they do: a word and an
    attested word of four letters or more (غیر+حرفه, ضد+حمله, چند+رسانه, مدیر+رسانه; not اب+راه in
    ابراهام), a word or a verb prefix and a participle (ن+شناخته, در+نیافته, گرد+آمده, نا+جنبنده), or a
    word and انه or یانه, which make an adjective of it (ذلیل+انه, تجاوزگرا+یانه)."""
    if len(stem) < 5 or not stem.endswith("ه"):
        return False
    for tail in ("یانه", "انه"):
        if stem.endswith(tail) and len(stem) - len(tail) >= 3 and _attested(stem[: -len(tail)]):
            return True
    for k in range(1, len(stem) - 3):
        head, tail = stem[:k], stem[k:]
        word_head = len(head) >= 2 and _attested(head)
        if _participle_like(tail) and (word_head or head in _PARTICIPLE_PREFIXES):
            return True
        if word_head and _attested(tail):
            return True
    return False


def _composed_readings(word: str) -> list[tuple[str, str]]:
    """For a glued word with no reading of an attested stem, the reading in ای, ام, اند ... of a stem in ه
    that news writes joined to that suffix (غیرحرفه‌ای, though not غیرحرفه alone) or that is made of
    words the word lists hold (:func:`_composed`): غیرحرفهای, ذلیلانهای, نشناختهاند. Only where there is
    no other reading, and not in ای after a letter that does not join, where the form reads as a plural
    as typed of a stem news does not hold (علفزارهای is علفزار+های, not علفزاره‌ای)."""
    for suffix in AFTER_HE:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem) < 2 or not stem.endswith("ه"):
            continue
        if _count(attach(stem, suffix)) >= MIN_STEM_COUNT:
            return [(stem, suffix)]
        if not (suffix == "ای" and stem[-2] in NON_JOINING) and _composed(stem):
            return [(stem, suffix)]
    return []


# The news word list keeps forms written at least 3 times (``word_frequencies.py --min-count``): a form
# it lacks was written at most UNSEEN_BOUND times.
UNSEEN_BOUND = 2
# A stem news writes this often and never with a suffix of a family (plural ها/های..., or ای/ام/اند...
# after ه) does not take that family. Of the nouns news writes 200 times or more and does write with a
# plural, one in ten is written with it once in 160 uses or less (0.0063 per use; ای ام اند after ه: 0.0083),
# so at 500 uses nine in ten such nouns have been seen with it at least three times, the least the counts
# keep (``python benchmarks/word_frequencies.py --suffix-rates``). At 100, the median's five expected
# plurals, common nouns that news rarely makes plural were ruled out: گوش (297 uses; گوش‌های -> گوشه‌ای).
RULE_OUT_STEM = kind_model.RULE_OUT_STEM
_FAMILIES = (PLURAL, AFTER_HE, COMPARATIVE)


def _upper(count: int) -> float:
    """A rough 95 % upper bound of how often news writes a form it was seen written ``count`` times (a
    form missing from the counts: UNSEEN_BOUND times)."""
    count = max(count, UNSEEN_BOUND)
    return count + 2 * count**0.5 + 2


def _ruled_out(stem: str, suffix: str, best: str) -> bool:
    """Whether news rules a reading out against the chosen form ``best``, which it must write: it writes
    ``best`` at least READING_MARGIN times as often as the reading can have been written (:func:`_upper`),
    or it writes the reading's stem often (RULE_OUT_STEM) and never with a suffix of the reading's family
    (حمل, 772 times, never حمل‌ها or حمل‌های, while حمله‌ای is written). Only a stem that joins shows
    this: one that does not is written glued to its suffix (مدیرهای, قطرهای), and a glued form may be
    another reading's or a misspelling, so news counts of it tell nothing. Where news never writes
    ``best`` (دیده‌ای, تذکره‌ای), nothing is ruled out."""
    best_count = _count(best)
    if best_count == 0:
        return False
    if best_count >= READING_MARGIN * _upper(_count(attach(stem, suffix))):
        return True
    family = next(f for f in _FAMILIES if suffix in f)
    return (stem[-1] not in NON_JOINING and _count(stem) >= RULE_OUT_STEM
            and not any(_count(stem + ZWNJ + s) for s in family))


def _common_rival(readings: list[tuple[str, str]], best: str) -> bool:
    """Whether another reading's stem is as common a word as the chosen one's and news does not rule that
    reading out (:func:`_ruled_out`). Common: hazm's list, counted on a far larger corpus than the news
    counts, counts the stem at least 1/STEM_MARGIN as often (صحن and صحنه, کمیت and کمیته, پیمان and
    پیمانه; not ماه and ماهه). حمل and حمله are both common too, but news never writes a plural of حمل:
    حملهای is حمله‌ای."""
    frequency = get_lexicon().frequency
    chosen = next(frequency.get(stem, 0) for stem, suffix in readings if attach(stem, suffix) == best)
    return chosen > 0 and any(frequency.get(stem, 0) * STEM_MARGIN > chosen and not _ruled_out(stem, suffix, best)
                              for stem, suffix in readings if attach(stem, suffix) != best)


def _without_plural(readings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The readings left where a plural in های cannot stand: where a form also reads as ه + ای
    (ماهه‌ای), that reading is the one."""
    if not any(suffix == "ای" for _, suffix in readings):
        return readings
    return [(stem, suffix) for stem, suffix in readings if suffix != "های"]


def _next_word_against(readings: list[tuple[str, str]], best: str, odds: float) -> bool:
    """Whether the word after a glued form, which news writes ``odds`` times as often after a form in ه‌ای
    as after a plural in ‌های, makes the reading of the other kind likelier than the chosen ``best``:
    how many times as often news writes ``best`` as that reading (at most UNSEEN_BOUND times where it
    is not counted), times the odds for ``best``'s kind, is below one. Only where news writes ``best``:
    where it does not, the choice was made on other evidence (the stems), which counts do not weigh."""
    if _count(best) == 0:
        return False
    if best.endswith(ZWNJ + "های"):
        rival_suffix, for_best = "ای", 1 / odds
    elif best.endswith("ه" + ZWNJ + "ای"):
        rival_suffix, for_best = "های", odds
    else:
        return False
    if for_best >= 1:
        return False
    return any(_count(best) * for_best < max(_count(attach(stem, suffix)), UNSEEN_BOUND)
               for stem, suffix in readings if suffix == rival_suffix)


# The glued words in های met so far that read both as a plural and as ه + ای (ماههای: ماه‌های, ماهه‌ای),
# which the words around them may tell apart; filled by repair_glued_suffix.
_TWO_KINDS: set[str] = set()


def _next_word_picks(word: str, readings: list[tuple[str, str]], odds: float) -> str:
    """Where the counts leave a glued form as it is, the reading of one kind (ه‌ای or a plural in ‌های) that
    the word after settles, else ``word``: news writes that reading joined, and how often, times the odds
    for its kind (:func:`next_word_odds`), is at least READING_MARGIN times as much as each reading of the
    other kind can have been written (:func:`_upper`). مدرسهای در: مدرسه‌ای 6 times, مدرس‌های never,
    در 39 times likelier after ه‌ای; نامهای مختلف: نام‌های 60 times, نامه‌ای 282, مختلف 123 times likelier
    after a plural."""
    if odds == 1.0:
        return word
    kinds = {"ای": [attach(stem, suffix) for stem, suffix in readings if suffix == "ای"],
             "های": [attach(stem, suffix) for stem, suffix in readings if suffix == "های"]}
    for kind, other, factor in (("ای", "های", odds), ("های", "ای", 1 / odds)):
        for form in kinds[kind]:
            count = _count(form)
            if (ZWNJ in form and count and kinds[other]
                    and all(count * factor >= READING_MARGIN * _upper(_count(rival)) for rival in kinds[other])):
                return form
    return word


# Personal endings after a past participle: دریافته‌ایم «we have received», رفته‌اند.
_PERFECT_ENDINGS = tuple(s for s in HE_SUFFIXES if s != "ای")


def _verb_reading(stem: str, suffix: str) -> bool:
    """Whether a reading is a verb, a participle in ه with a personal ending, as news writes that participle
    (دریافته + ایم: news writes دریافته‌اند). How often news writes a participle as a word says little of
    how often it writes the verb, so such a reading is not outweighed by a commoner stem (دریافت)."""
    return suffix in _PERFECT_ENDINGS and any(_count(stem + ZWNJ + ending) for ending in _PERFECT_ENDINGS)


def _both_kinds(word: str, readings: list[tuple[str, str]]) -> bool:
    return word.endswith("های") and {"های", "ای"} <= {suffix for _, suffix in readings}


def two_kinds(word: str) -> bool:
    """Whether a glued word reads both as a plural in های and as ه + ای, both stems attested (ماههای:
    ماه‌های, ماهه‌ای), and is not a word of hazm's list: the forms :mod:`didgah.text.kind_model` weighs."""
    return ZWNJ not in word and not _is_word(word) and _both_kinds(word, _readings(word))


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def repair_glued_suffix(word: str, plural: bool = True, next_odds: float = 1.0) -> str:
    """One glued word with its suffix attached by a ZWNJ where the evidence says so, else as it is.
    ``plural`` false: a plural in های cannot stand where the word is (:func:`_plural_excluded`), so an
    ambiguous form in های is not one (:func:`_without_plural`). ``next_odds``: :func:`next_word_odds`
    of the word after it (:func:`_next_word_against`).

    >>> repair_glued_suffix("قهرمانیهای"), repair_glued_suffix("حرفهای"), repair_glued_suffix("فیلتر")
    ('قهرمانی\u200cهای', 'حرفهای', 'فیلتر')
    """
    if ZWNJ in word or _is_word(word):
        return word
    readings = _readings(word)
    if _both_kinds(word, readings):
        if len(_TWO_KINDS) > WORD_MEMO_SIZE:
            _TWO_KINDS.clear()
            repair_glued_suffix.cache_clear()
        _TWO_KINDS.add(word)
    if not plural:
        readings = _without_plural(readings)
    # Each change: (how often news writes it joined, how often its stem, the joined form).
    changes = sorted(((_count(attach(stem, suffix)), _stem_weight(stem), attach(stem, suffix))
                      for stem, suffix in readings if stem[-1] not in NON_JOINING), reverse=True)
    if not changes:
        return word
    best_count, best_stem, best = changes[0]
    glued = _count(word)
    # Stems that compete: when news writes the word glued at all, a stem ending in ا د ر و ... that
    # takes the suffix as typed (دورهای: دور+های or دوره‌ای); when no reading is ever written joined,
    # the other readings' stems too (otherwise the joined counts decide: هسته‌ای, not هست+های).
    rivals = [_stem_weight(stem) for stem, _ in readings if stem[-1] in NON_JOINING] if glued else []
    if best_count > 0:
        if glued >= (1 if get_lexicon().known(word) else WORD_MARGIN) * best_count:
            return word  # a word of its own (بیشترین, بهای; آنها, which hazm's list holds)
        if any(count * READING_MARGIN > best_count for count, _, _ in changes[1:]):
            return _next_word_picks(word, readings, next_odds)  # two readings that news both writes (حرفهای)
    elif glued:
        return word  # news writes it glued, never joined
    elif any(_verb_reading(stem, suffix) for stem, suffix in readings if attach(stem, suffix) != best):
        return word  # دریافتهایم: دریافت‌هایم, or the verb دریافته‌ایم (news writes دریافته‌اند)
    else:
        rivals += [weight for _, weight, _ in changes[1:]]
    if any(weight * STEM_MARGIN > best_stem for weight in rivals):
        return _next_word_picks(word, readings, next_odds)  # the stems compete (دورهای)
    if len(readings) > 1 and _common_rival(readings, best):
        return _next_word_picks(word, readings, next_odds)  # two common stems (صحنهای: صحن‌های or صحنه‌ای)
    if next_odds != 1.0 and _next_word_against(readings, best, next_odds):
        return word  # the word after speaks for the other reading (محلهای وجود دارد)
    return best


# A stem, a space, a suffix; then whether «از» («than») follows.
_SPACED_SUFFIX = re.compile(f"{_BOUNDARY_BEFORE}({LETTER}+) ({'|'.join(SUFFIXES)}){_BOUNDARY_AFTER}(?=( از{_BOUNDARY_AFTER})?)")
# What every match of _SPACED_SUFFIX holds: a text without it (two in three news articles) skips the slow
# pattern, which tries every run of letters as a stem.
_SPACE_THEN_SUFFIX = re.compile(f" (?:{'|'.join(SUFFIXES)}){_BOUNDARY_AFTER}")


# Suffixes that are never words of their own: after a space they belong to the word before, whatever it is
# (برنامک ها, نفرستاده اند, پرلوکیشن ترین). تر («wet») and ای (the vocative «O») are words too.
_NEVER_ALONE = frozenset((*PLURAL, SUPERLATIVE, *(s for s in AFTER_HE if s != "ای")))


# Short words ending in ه that no suffix follows (که اند is «who are», not one word).
_NOT_STEMS = frozenset({"که", "به", "نه", "چه"})


def _join_spaced_suffix(match: re.Match[str]) -> str:
    stem, suffix = match.group(1), match.group(2)
    if len(stem) < 2 or stem in _NOT_STEMS or (suffix in AFTER_HE and not stem.endswith("ه")):
        return match.group()
    if suffix not in _NEVER_ALONE and not (_attested(stem) or (suffix in AFTER_HE and _composed(stem))):
        return match.group()
    if suffix == "تر" and not (match.group(3) or _comparable(stem) or _compound_adjective_part(stem, match)):
        return match.group()  # تر is also a word («wet»): only after a stem that takes it, or before از
    return attach(stem, suffix)


def _compound_adjective_part(stem: str, match: re.Match[str]) -> bool:
    """Whether a stem typed apart ends a compound adjective: a present stem of three letters or more
    (آسیب پذیر تر, لذت بخش تر), or a word after an adjective prefix typed as a word (بی طرف تر, پر رونق
    تر). Glued, a present stem + تر is often a word of its own (ماستر, بوستر)."""
    return (len(stem) >= 3 and stem in get_lexicon().present_stems) or _after_adjective_prefix(match)


# An adjective prefix written as a word of its own just before (بی طرف تر, پر رونق تر); not با, which is
# also the preposition «with» (با چشمان تر).
_PREFIX_WORD_BEFORE = re.compile(f"(?<!{LETTER}|{ZWNJ})(?:{'|'.join((*ADJECTIVE_PREFIXES, 'بی', 'نا'))}) $")


def _after_adjective_prefix(match: re.Match[str]) -> bool:
    return _PREFIX_WORD_BEFORE.search(match.string, max(0, match.start() - 5), match.start()) is not None


# Words that end the phrase before them, so that no ezafe can precede them: the object marker, the
# relative که, the copulas and auxiliaries that end a clause, and the prepositions and conjunctions that
# begin a new phrase and that news writes after a word in ه‌ای at least 50 times as often (per word) as
# after a plural in ‌های (in the news counts' part: از 743 times against 16, برای 382 against 8, و 340
# against 15, نیز, بر, جز, درباره; not در, به, با, which begin modifiers too: کشورهای در حال توسعه).
_PHRASE_ENDERS = frozenset({"را", "که", "است", "نیست", "بود", "شد", "باشد", "دارد",
                            "از", "برای", "و", "نیز", "بر", "جز", "درباره"})
_PHRASE_END_PUNCTUATION = tuple(".،؛:!؟?")
# Determiners that take a singular noun (هر روز, هیچ کس, چند سال, یک بار), numbers among them (سه سال,
# ۳۳ ساله‌ای): in the news counts' part, of the glued-or-joined forms right after a number, 239 are in ه‌ای
# and 68 plurals in ‌های, and none of those plurals (ساله‌های, تحریم‌های, دوره‌های ...) also reads as ه + ای.
_SINGULAR_DETERMINERS = frozenset({"هر", "هیچ", "چند", *kind_model.NUMBER_WORDS})
_DIGITS_BEFORE = re.compile(r"(?:^|\s)[0-9۰-۹٠-٩]+ $")


def _plural_excluded(parts: list[str], i: int) -> bool:
    """Whether a plural in های cannot stand at the word ``parts[i]`` of ``split_words(text)``: its ezafe
    needs a following word, so not before punctuation that ends a phrase (. ، ؛ : ! ؟) or a word of
    ``_PHRASE_ENDERS``; nor after a determiner that takes a singular noun, a number included. The end of
    a text does not count: a text may be a single word, or a title."""
    before, after = parts[i - 1], parts[i + 1]
    if i >= 3 and before.strip() == "" and parts[i - 2] in _SINGULAR_DETERMINERS:
        return True
    if _DIGITS_BEFORE.search(before):
        return True
    if after.strip() == "":
        return i + 2 < len(parts) and parts[i + 2] in _PHRASE_ENDERS
    return after.lstrip().startswith(_PHRASE_END_PUNCTUATION)


def repair_suffixes(text: str) -> str:
    """Attach plural, comparative and ه-suffixes typed after a space or glued (see the module rules).

    A suffix typed after a space (کتاب ها, خانه اش, سریع تر) is attached when it is never a word of its
    own (ها, های ..., and ام, اش, اند ... after a final ه), or when its stem is attested and can take it
    (تر, ترین, ای); a glued one by :func:`repair_glued_suffix`.

    >>> repair_suffixes("کتاب ها و خانه اش و بندر ها")
    'کتاب\u200cها و خانه\u200cاش و بندرها'
    """
    if _SPACE_THEN_SUFFIX.search(text):
        text = _SPACED_SUFFIX.sub(_join_spaced_suffix, text)
    parts = split_words(text)
    repaired = parts.copy()
    repaired[1::2] = map(repair_glued_suffix, parts[1::2])  # every word as it is alone
    both = _TWO_KINDS.intersection(parts)
    if both:  # ماههای: ماه‌های or ماهه‌ای, which the words around it may tell
        for i in [i for i in range(1, len(parts), 2) if parts[i] in both]:
            proposed = repair_glued_suffix(parts[i], not _plural_excluded(parts, i), _next_odds(parts, i))
            context = (i >= 2 and not parts[i - 1].strip()) or (i + 2 < len(parts) and not parts[i + 1].strip())
            repaired[i] = _concur(parts[i], proposed, kind_model.he_probability(parts[i], repaired, i), context)
    return "".join(repaired)


# Where a glued form reads both as a plural in ‌های and as ه + ای, the rules above propose a reading (or
# none) and the model of :mod:`didgah.text.kind_model`, learnt from how news writes such forms, weighs
# the counts and the words around: a proposed reading stands only when the model gives it at least
# CONCUR; where the rules propose none, the model's reading is taken at DECIDE or more, only next to a
# word (a form standing alone, دورهای, has only its counts to go by, which left it open) and never
# against a plural as typed that news writes (نهادهای: the model learns from forms written with a ZWNJ
# and never saw a plural glued to a stem that does not join). Set on the fidelity benchmark's
# cross-validated part (``benchmarks/fidelity.py --part folds``; 0.9 to 0.999 and 0.98 to 0.999 tried)
# and checked on its dev part (docs/normalization.md): CONCUR at 0.995 rather than 0.98 leaves two more
# glued forms of the rarer reading as typed for 34 repairs of the commoner one left undone, a trade made
# once the stems composed of words (:func:`_composed`) had repaired more than that.
CONCUR = 0.995
DECIDE = 0.99


def _concur(word: str, proposed: str, he: float, context: bool = True) -> str:
    """The reading of a two-kind glued ``word`` from the rules' ``proposed`` one and the model's
    probability ``he`` of the form in ه‌ای (:data:`CONCUR`; :data:`DECIDE` when ``context``: a word
    next to it)."""
    plural, he_form = kind_model.readings(word)
    if proposed != word:
        return proposed if (he if proposed == he_form else 1 - he) >= CONCUR else word
    if not context or (plural == word and _count(word) > 0):
        return word  # alone, or a plural as typed that news writes (نهادهای), which the model never saw
    return he_form if he >= DECIDE else plural if 1 - he >= DECIDE else word


def _next_odds(parts: list[str], i: int) -> float:
    """:func:`next_word_odds` of the word after ``parts[i]`` when only a space is between them, else 1.0."""
    if i + 2 < len(parts) and parts[i + 1] == " ":
        return next_word_odds(parts[i + 2])
    return 1.0


_SPACED_PREFIX = re.compile(f"{_BOUNDARY_BEFORE}(ن?می) ({LETTER}+){_BOUNDARY_AFTER}")
_GLUED_PREFIX = re.compile(f"{_BOUNDARY_BEFORE}(ن?می)({LETTER}{{2,}}){_BOUNDARY_AFTER}")


def _verb_after_prefix(prefix: str, rest: str) -> bool:
    return rest in get_lexicon().verb_forms or _count(prefix + ZWNJ + rest) > 0


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def _prefixed(prefix: str, rest: str, glued: bool) -> str | None:
    joined = prefix + ZWNJ + rest
    if not _verb_after_prefix(prefix, rest):
        return None
    if glued:
        word = prefix + rest
        if _is_word(word) or _count(word) >= WORD_MARGIN * max(_count(joined), 1):
            return None  # میدان, میلیون, میزان: words of their own
        if _count(joined) == 0 and _count(word) > 0:
            return None
    return joined


def _join_prefix(match: re.Match[str], glued: bool) -> str:
    joined = _prefixed(match.group(1), match.group(2), glued)
    return match.group() if joined is None else joined


def repair_prefixes(text: str) -> str:
    """Attach the verbal prefixes می and نمی with a ZWNJ (میشود, می شود -> می‌شود; میکرده -> می‌کرده).

    What follows must be a verb form of hazm's list or written after می/نمی in news, and a glued whole
    that is a word of its own (میدان, میزان, میلیون) is left alone.

    >>> repair_prefixes("نمیشود و می شود و میکرده در میدان")
    'نمی\u200cشود و می\u200cشود و می\u200cکرده در میدان'
    """
    text = _SPACED_PREFIX.sub(lambda m: _join_prefix(m, glued=False), text)
    return _GLUED_PREFIX.sub(lambda m: _join_prefix(m, glued=True), text)


_RUN_ON = re.compile(f"({_BOUNDARY_BEFORE}{LETTER}{{6,}}{_BOUNDARY_AFTER})")


# A split leaves two words that news writes at least this often each (not آنی+باله, کاپ+ریو).
MIN_PART_COUNT = 50
# First parts of names and compounds that Persian writes glued (سیدحمید, محمدنجار, امیرحسین).
_NAME_PARTS = ("سید", "محمد", "امیر", "میر", "عبد")
# Preverbs: بازیابد, برگرداند, درآورد, فروریخت are one verb.
_PREVERBS = ("باز", "بر", "در", "فرو", "ور")


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def _split_unseen(word: str) -> str:
    if _count(word) > 0 or word.startswith(_NAME_PARTS):
        return word  # news writes it as one word (سنتکام, خبرآنلاین, عصرایران), or a name
    lex = get_lexicon()
    if any(word.startswith(p) and word[len(p) :] in lex.verb_forms for p in _PREVERBS):
        return word
    split = split_word(word)
    if split != word and min(map(_count, split.split(" "))) < MIN_PART_COUNT:
        return word
    return split


def split_run_on_words(text: str) -> str:
    """Split two words typed without a space, as :func:`didgah.text.glued_words.split_glued_words`
    does, but only words that real news never writes as one, never next to a ZWNJ, never a name
    beginning with سید, محمد ... or a verb with a preverb (بازیابد), and only into two words that news
    writes often.

    >>> split_run_on_words("درفرودگاه مهرآباد و خبرآنلاین")
    'در فرودگاه مهرآباد و خبرآنلاین'
    """
    return sub_words(_RUN_ON, _split_unseen, text)
