"""Does the text say what the claim says? Verb polarity, absolute words and rare-word coverage.

A claim that *contradicts* an article usually shares its topic words and differs in a few places: a
verb negated («ندارد» where the article has «دارد»), an absolute word added («هیچ‌گاه», «صرفا»), a
name or number swapped. ``claim_alignment.v1`` measures those differences between the target and its
best-matching sentences (the same TF-IDF matching as the other pair features) and the whole text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from didgah.base import StringTransformer
from didgah.components import register
from didgah.errors import ConfigError
from didgah.features.pair import DIGITS, SentenceMatcher, as_pairs
from didgah.text.lexicon import PERSON_ENDINGS, get_lexicon
from didgah.text.normalization import ZWNJ

_PARTICIPLE_ENDINGS = ("ه", "ه" + ZWNJ + "ام", "ه" + ZWNJ + "ای", "ه" + ZWNJ + "است", "ه" + ZWNJ + "ایم",
                       "ه" + ZWNJ + "اید", "ه" + ZWNJ + "اند", "ن")
_BE_POSITIVE = {"است", "هست", "هستند", "هستیم", "هستم", "هستید", "هستی"}
_BE_NEGATIVE = {"نیست", "نیستند", "نیستیم", "نیستم", "نیستید", "نیستی"}
ABSOLUTES = frozenset({"هیچ", "هرگز", "هیچگاه", "هیچ" + ZWNJ + "گاه", "اصلا", "صرفا", "فقط", "تنها", "تمام", "تمامی",
                       "همه", "همواره", "دیگر", "کاملا", "قطعا", "حتما", "بدون"})
# word pairs of opposite meaning; a target using one side where its sentences use only the other is
# a likely contradiction (the linear model learns such pairs from data too, but only those it has seen)
ANTONYMS = (
    ("افزایش", "کاهش"), ("بیشتر", "کمتر"), ("بالا", "پایین"), ("موافق", "مخالف"), ("موافقت", "مخالفت"),
    ("تایید", "تکذیب"), ("تایید", "رد"), ("پذیرفت", "رد"), ("آزاد", "بازداشت"), ("آزادی", "بازداشت"),
    ("پیروزی", "شکست"), ("موفقیت", "شکست"), ("برنده", "بازنده"), ("مثبت", "منفی"), ("حمایت", "مخالفت"),
    ("صعود", "سقوط"), ("رشد", "افت"), ("ارزان", "گران"), ("ارزانی", "گرانی"), ("آغاز", "پایان"),
    ("شروع", "پایان"), ("باز", "بسته"), ("بازگشایی", "تعطیلی"), ("بازگشایی", "تعطیل"), ("ممنوع", "مجاز"),
    ("صلح", "جنگ"), ("دوست", "دشمن"), ("ورود", "خروج"), ("لغو", "برگزاری"), ("توقف", "ادامه"),
    ("تعلیق", "ادامه"), ("زیاد", "کم"), ("قوی", "ضعیف"), ("درست", "نادرست"), ("صحیح", "غلط"),
    ("واقعی", "جعلی"), ("حقیقت", "دروغ"), ("امن", "ناامن"), ("بزرگ", "کوچک"), ("نخستین", "آخرین"),
    ("اول", "آخر"), ("قبل", "بعد"), ("پیش", "پس"), ("زنده", "کشته"), ("داخلی", "خارجی"), ("کامل", "ناقص"),
    ("عضویت", "خروج"), ("استخدام", "اخراج"), ("انتصاب", "برکناری"), ("تصویب", "رد"), ("کسب", "از دست"),
)
_ANTONYMS_OF: dict[str, list[str]] = {}
for _a, _b in ANTONYMS:
    _ANTONYMS_OF.setdefault(_a, []).append(_b)
    _ANTONYMS_OF.setdefault(_b, []).append(_a)
_OPPOSITE_PREFIXES = ("نا", "غیر", "بی", "عدم")


def opposite_words(target_words: Sequence[str], text_words: Sequence[str]) -> int:
    """How many target words the text contradicts: an antonym (or the word with «نا», «غیر», «بی»,
    «عدم» before it) is in the text while the word itself is not.

    >>> opposite_words(["قیمت", "افزایش", "یافت"], ["قیمت", "کاهش", "یافت"]), opposite_words(["قانونی"], ["غیرقانونی"])
    (1, 1)
    """
    text = set(text_words)
    bigrams = {a + " " + b for a, b in zip(text_words, text_words[1:])}
    count = 0
    for w in dict.fromkeys(target_words):
        if w in text:
            continue
        opposites = _ANTONYMS_OF.get(w, []) + [p + w for p in _OPPOSITE_PREFIXES] + [p + ZWNJ + w for p in _OPPOSITE_PREFIXES]
        opposites += [p + " " + w for p in _OPPOSITE_PREFIXES]
        opposites += [w[len(p):].lstrip(ZWNJ) for p in _OPPOSITE_PREFIXES if w.startswith(p) and len(w) > len(p) + 2]
        if any(o in text or o in bigrams for o in opposites):
            count += 1
    return count


def _verb_stem(word: str, prefixed: bool) -> str | None:
    """The stem of ``word`` if it is a verb form (stem + person ending, or past stem + participle)."""
    lexicon = get_lexicon()
    past, present = lexicon.past_stems, lexicon.present_stems
    for stem_set, endings in ((past, PERSON_ENDINGS + _PARTICIPLE_ENDINGS), (present, PERSON_ENDINGS)):
        for ending in endings:
            if ending and not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)] if ending else word
            # a bare stem («دار», «برد») is a verb only after می/نمی; alone it is more often a noun
            if stem in stem_set and (ending or prefixed or stem_set is past):
                return stem
    return None


@lru_cache(maxsize=200_000)
def verb_polarity(word: str) -> tuple[str, bool] | None:
    """``(stem, negated)`` if ``word`` looks like a finite verb or participle, else ``None``.

    Negation in Persian is a prefix («ن», «نمی»): a word is read as negated when it is not itself a
    verb form but is one without that prefix, so «نشست» (a past stem) stays positive.

    >>> verb_polarity("ندارد"), verb_polarity("دارد"), verb_polarity("نیست"), verb_polarity("نظر")
    (('دار', True), ('دار', False), ('هست', True), None)
    """
    if word in _BE_POSITIVE:
        return "هست", False
    if word in _BE_NEGATIVE:
        return "هست", True
    for prefix, negated in (("نمی" + ZWNJ, True), ("نمی", True), ("می" + ZWNJ, False), ("می", False)):
        if word.startswith(prefix):
            stem = _verb_stem(word[len(prefix):], True)
            if stem:
                return stem, negated
    stem = _verb_stem(word, False)
    if stem:
        return stem, False
    if word.startswith("ن") and len(word) > 3:
        stem = _verb_stem(word[1:], False)
        if stem:
            return stem, True
    return None


def _polarities(words: Sequence[str]) -> dict[str, set[bool]]:
    out: dict[str, set[bool]] = {}
    for w in words:
        found = verb_polarity(w)
        if found:
            out.setdefault(found[0], set()).add(found[1])
    return out


def _flips(target: dict[str, set[bool]], text: dict[str, set[bool]]) -> tuple[int, int]:
    """How many target verbs the text has only with the other polarity, and with the same polarity."""
    flips = same = 0
    for stem, polarity in target.items():
        if stem in text:
            if text[stem] & polarity:
                same += 1
            else:
                flips += 1
    return flips, same


@register("feature", "claim_alignment.v1", tags=('pair',))
class ClaimAlignment(SentenceMatcher, StringTransformer):
    """How the target and the text's best-matching sentences differ in polarity and content (18 features).

    Features: negated verbs in the target, in the ``top_k`` best sentences and in the whole text;
    whether only the target (or only the sentences) negate; target verbs the sentences (and the text)
    use with the opposite polarity or the same; absolute words («هیچ», «صرفا», «تمام» ...) of the
    target absent from the sentences; IDF-weighted share of the target's words found in the sentences
    and in the text; the rarest target word missing from each (its IDF, scaled); target numbers absent
    from the sentences; target words whose opposite (an antonym, or the word with «نا», «غیر», «بی»)
    the sentences, or the text, use instead.

    Parameters
    ----------
    top_k : int, default=3
    """

    def __init__(self, top_k: int = 3) -> None:
        self.top_k = top_k

    def fit(self, X: Sequence, y: object = None) -> ClaimAlignment:
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or self.top_k < 1:
            raise ConfigError(f"claim_alignment.v1: top_k must be a whole number >= 1, got {self.top_k!r}")
        self._fit_vectorizers(as_pairs(X))
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence) -> sp.csr_matrix:
        check_is_fitted(self)
        pairs = as_pairs(X)
        best = self._best_sentences(pairs, self.top_k)
        analyzer = self.words_.analyzer
        idf = dict(zip(self.words_.terms_.tolist(), self.words_.idf_.tolist()))
        top_idf = max(idf.values(), default=1.0)
        rows = np.zeros((len(pairs), 18), dtype=np.float32)
        for i, ((target, text), sents) in enumerate(zip(pairs, best)):
            t_words, s_words, x_words = analyzer(target), analyzer(sents), analyzer(text)
            t_pol, s_pol, x_pol = _polarities(t_words), _polarities(s_words), _polarities(x_words)
            t_neg = sum(True in p for p in t_pol.values())
            s_neg = sum(True in p for p in s_pol.values())
            x_neg = sum(True in p for p in x_pol.values())
            s_flip, s_same = _flips(t_pol, s_pol)
            x_flip, x_same = _flips(t_pol, x_pol)
            s_set, x_set = set(s_words), set(x_words)
            absolutes = sum(1 for w in dict.fromkeys(t_words) if w in ABSOLUTES and w not in s_set)
            weights = {w: idf.get(w, top_idf) for w in set(t_words)}
            total = sum(weights.values()) or 1.0
            in_s = sum(v for w, v in weights.items() if w in s_set) / total
            in_x = sum(v for w, v in weights.items() if w in x_set) / total
            miss_s = max((v for w, v in weights.items() if w not in s_set), default=0.0) / top_idf
            miss_x = max((v for w, v in weights.items() if w not in x_set), default=0.0) / top_idf
            t_numbers = set(DIGITS.findall(target))
            rows[i] = [
                min(t_neg, 3), math.log1p(s_neg), math.log1p(x_neg), float(t_neg > 0 and s_neg == 0),
                float(s_neg > 0 and t_neg == 0), s_flip, s_same, x_flip, x_same, absolutes,
                in_s, in_x, miss_s, miss_x, len(t_numbers - set(DIGITS.findall(sents))),
                float(s_flip > 0 or (t_neg > 0 and s_neg == 0)),
                opposite_words(t_words, s_words), opposite_words(t_words, x_words),
            ]
        return sp.csr_matrix(rows)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(["target_negated_verbs", "sentences_negated_verbs", "text_negated_verbs",
                         "negated_only_in_target", "negated_only_in_sentences", "sentence_polarity_flips",
                         "sentence_polarity_same", "text_polarity_flips", "text_polarity_same",
                         "target_absolutes_missing", "idf_coverage_sentences", "idf_coverage_text",
                         "rarest_missing_sentences", "rarest_missing_text", "numbers_missing_sentences",
                         "any_contradiction", "opposite_words_sentences", "opposite_words_text"])
