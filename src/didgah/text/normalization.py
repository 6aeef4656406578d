"""Persian text repairs: small pure ``str -> str`` functions and the named, versioned pipelines.

Each repair does one thing and can be used alone. A normalizer is a named list of repairs applied in a
visible order (``NORMALIZERS``); its name and version are stored in every trained model, so a model
always normalizes new text the way its training text was normalized.

Example
-------
>>> normalize("گروههای تروريستي در سوريه")
'گروه‌های تروریستی در سوریه'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from didgah.errors import ConfigError
from didgah.text.debris import remove_page_debris
from didgah.text.glued_words import split_glued_words
from didgah.text.letters import (
    COMPARATIVE_SUFFIXES,
    HE_SUFFIXES,
    NON_JOINING,
    PLURAL_SUFFIXES,
    WORD_MEMO_SIZE,
    ZWNJ,
)
from didgah.text.letters import LETTER as _LETTER
from didgah.text.letters import WORD as _WORD
from didgah.text.letters import attach as _attach
from didgah.text.letters import sub_words as _sub_words
from didgah.text.lexicon import get_lexicon
from didgah.text.word_repairs import repair_prefixes, repair_suffixes, split_run_on_words

# ---------------------------------------------------------------------------------------------
# Character-level repairs
# ---------------------------------------------------------------------------------------------

def _char_map(mapping: dict[str, str]) -> Callable[[str], str]:
    """A function writing each key character as its value: ``str.replace`` per character is about a
    hundred times faster than ``str.translate`` on non-ASCII text (values never occur among the keys)."""
    pairs = tuple(mapping.items())
    if set(mapping) & set("".join(mapping.values())):
        raise ValueError("a replaced character reappears among the replacements")

    def apply(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    return apply


# Arabic letter variants and their Persian forms; alef with hamza is apart (the ``hamza`` option).
_ARABIC_LETTERS = {
    "ي": "ی",  # U+064A Arabic yeh
    "ى": "ی",  # U+0649 alef maksura
    "ې": "ی",
    "ۍ": "ی",
    "ك": "ک",  # U+0643 Arabic kaf
    "ڪ": "ک",
    "ة": "ه",  # teh marbuta
    "ۀ": "ه",  # heh with yeh above: its ezafe mark is dropped like other diacritics
    "ە": "ه",
    "ھ": "ه",
    "ۂ": "ه",
    "ہ": "ه",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
}
_HAMZA_ON_ALEF = {"أ": "ا", "إ": "ا"}
_ARABIC_TO_PERSIAN = _char_map({**_ARABIC_LETTERS, **_HAMZA_ON_ALEF})
_ARABIC_TO_PERSIAN_KEEP_HAMZA = _char_map(_ARABIC_LETTERS)
HAMZA_FORMS = ("keep", "fold")
# What each normalizer does with أ and إ unless told: v1 folds them into ا, as it always did.
DEFAULT_HAMZA = {"persian_normalizer.v1": "fold", "persian_normalizer.v2": "keep"}

_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


# Presentation-block characters with no compatibility decomposition: ornate parentheses become plain
# ones; the rest (dot symbols, honorific ligatures, unassigned code points) are dropped.
_UNDECOMPOSABLE = {"\ufd3e": "(", "\ufd3f": ")"}


def _plain_form(match: re.Match[str]) -> str:
    plain = unicodedata.normalize("NFKC", match.group())
    return _PRESENTATION_FORMS.sub(lambda m: _UNDECOMPOSABLE.get(m.group(), ""), plain)


def fix_presentation_forms(text: str) -> str:
    """Replace Arabic presentation forms (ﻻ, ﮐ, ﷲ ...) with the ordinary letters they stand for.

    Symbols of those blocks that stand for no letter (﮲, ﷽) are removed; ﴾ ﴿ become ( ).

    >>> fix_presentation_forms("ﻻﻣﭗ")
    'لامپ'
    """
    return _PRESENTATION_FORMS.sub(_plain_form, text)


def fix_arabic_letters(text: str, hamza: str = "fold") -> str:
    """Write Arabic letter variants as their Persian forms: ي ى -> ی, ك -> ک, ة ۀ -> ه, ٱ -> ا; and
    alef with hamza (أ إ) as ا when ``hamza="fold"`` (تأمین -> تامین), or as it is when ``"keep"``.

    ؤ and ئ are Persian letters and always stay (مسئول, مؤثر).

    >>> fix_arabic_letters("كشور عربي و تأمین")
    'کشور عربی و تامین'
    >>> fix_arabic_letters("تأمین", hamza="keep")
    'تأمین'
    """
    if hamza == "fold":
        return _ARABIC_TO_PERSIAN(text)
    if hamza == "keep":
        return _ARABIC_TO_PERSIAN_KEEP_HAMZA(text)
    raise ConfigError(f"hamza: unknown choice {hamza!r}; expected one of {', '.join(HAMZA_FORMS)}")


_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def remove_diacritics(text: str) -> str:
    """Remove harakat, tanwin, shadda, superscript alef, Quranic marks and kashida (ـ).

    >>> remove_diacritics("مُحَمَّد در تـــهران")
    'محمد در تهران'
    """
    return _DIACRITICS.sub("", text)


_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_LATIN_DIGITS = "0123456789"
_TO_PERSIAN_DIGITS = _char_map(dict(zip(_ARABIC_DIGITS + _LATIN_DIGITS, _PERSIAN_DIGITS * 2)))
_TO_LATIN_DIGITS = _char_map(dict(zip(_ARABIC_DIGITS + _PERSIAN_DIGITS, _LATIN_DIGITS * 2)))
DIGIT_FORMS = ("persian", "latin", "keep")


def normalize_digits(text: str, form: str = "persian") -> str:
    """Write every digit (Persian ۱, Arabic-Indic ١, Latin 1) in one form: ``persian`` or ``latin``.

    >>> normalize_digits("سال 1402 و ١٤٠٣", "persian")
    'سال ۱۴۰۲ و ۱۴۰۳'
    >>> normalize_digits("۱۲ و ١٣", "latin")
    '12 و 13'
    """
    if form == "persian":
        return _TO_PERSIAN_DIGITS(text)
    if form == "latin":
        return _TO_LATIN_DIGITS(text)
    if form == "keep":
        return text
    raise ConfigError(f"digits: unknown form {form!r}; expected one of {', '.join(DIGIT_FORMS)}")


# ---------------------------------------------------------------------------------------------
# Whitespace and invisible characters
# ---------------------------------------------------------------------------------------------

_SPACES = re.compile("[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # never text: a lone half of a UTF-16 pair
_ZWNJ_RUN = re.compile(f"{ZWNJ}{{2,}}")
# Patterns that begin with the literal ZWNJ let the regex engine jump from one ZWNJ to the next.
_ZWNJ_AFTER_NON_JOINER = re.compile(f"{ZWNJ}(?<=[{NON_JOINING}]{ZWNJ})")
_ZWNJ_NOT_BETWEEN_LETTERS = re.compile(f"{ZWNJ}(?:(?<!{_LETTER}{ZWNJ})|(?!{_LETTER}))")
_SPACE_RUN = re.compile(" {2,}")
# Any character the three classes above replace: most texts hold none, and one search is cheaper than three.
_UNUSUAL = re.compile("|".join(p.pattern for p in (_SPACES, _INVISIBLE, _SURROGATE)))


def normalize_whitespace(text: str) -> str:
    """Tidy spaces, line breaks and zero-width characters.

    No-break and other Unicode spaces become plain spaces; zero-width space, joiner, direction marks
    and BOMs are removed; a lone surrogate becomes U+FFFD; a zero-width non-joiner (ZWNJ) stays only
    between two letters and never after a letter that does not join (ا د ذ ر ز ژ و); runs of spaces
    collapse; lines are stripped and empty lines dropped.

    >>> normalize_whitespace("  بندر\u200cها\u00a0 و\u200b  کشتی\u200c\u200cها ")
    'بندرها و کشتی\u200cها'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNUSUAL.search(text):
        text = _SPACES.sub(" ", text)
        text = _INVISIBLE.sub("", text)
        text = _SURROGATE.sub("\ufffd", text)
    if ZWNJ in text:  # plain substring tests first: far faster than a regex scan that finds nothing
        if ZWNJ + ZWNJ in text:
            text = _ZWNJ_RUN.sub(ZWNJ, text)
        text = _ZWNJ_NOT_BETWEEN_LETTERS.sub("", text)
        text = _ZWNJ_AFTER_NON_JOINER.sub("", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)  # spaces never span lines: the same as collapsing line by line
    return "\n".join(line for line in map(str.strip, text.split("\n")) if line)


# ---------------------------------------------------------------------------------------------
# Word-level repairs (zero-width non-joiners, glued words)
# ---------------------------------------------------------------------------------------------



def _suffix_analyses(word: str) -> dict[str, int]:
    """Every stem+suffix reading of a glued word that the lexicon supports, with its stem's frequency."""
    lex = get_lexicon()
    found: dict[str, int] = {}

    def add(stem: str, suffix: str) -> None:
        repaired = _attach(stem, suffix)
        found[repaired] = max(found.get(repaired, 0), lex.frequency.get(stem, 0))

    for suffix in PLURAL_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and lex.known(stem):
            add(stem, suffix)
    for suffix in HE_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and stem.endswith("ه") and lex.known(stem):
            add(stem, suffix)
    for suffix in COMPARATIVE_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and lex.is_adjective(stem):
            add(stem, suffix)
    if found:
        # The word as typed may already be right: a stem ending in ا or و plus ی/یی (انتهای, انتهایی).
        for tail in ("ی", "یی"):
            stem = word[: -len(tail)]
            if word.endswith(tail) and stem.endswith(("ا", "و")) and lex.attested(stem):
                found[word] = max(found.get(word, 0), lex.frequency[stem])
    return found


# A glued word is repaired when one reading's stem is this many times more frequent than any other's.
_CLEAR_MARGIN = 10


_WORD_GROUP = re.compile(f"({_WORD.pattern})")



@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def _repair_glued_word(word: str) -> str:
    if ZWNJ in word or get_lexicon().attested(word):
        return word
    ranked = sorted(_suffix_analyses(word).items(), key=lambda item: -item[1])
    if not ranked:
        return word
    if len(ranked) > 1 and ranked[0][1] < _CLEAR_MARGIN * max(ranked[1][1], 1):
        return word
    return ranked[0][0]


_SPACED_PLURAL = re.compile(f"(?<!{_LETTER}|{ZWNJ})({_LETTER}+) ({'|'.join(PLURAL_SUFFIXES)})(?!{_LETTER}|{ZWNJ})")
_SPACED_HE = re.compile(f"(?<!{_LETTER}|{ZWNJ})({_LETTER}+ه) ({'|'.join(HE_SUFFIXES)})(?!{_LETTER}|{ZWNJ})")
_SPACED_COMPARATIVE = re.compile(f"(?<!{_LETTER}|{ZWNJ})({_LETTER}+) ({'|'.join(COMPARATIVE_SUFFIXES)})(?!{_LETTER}|{ZWNJ})")


def _join_spaced(match: re.Match[str], adjective_only: bool = False) -> str:
    stem, suffix = match.group(1), match.group(2)
    lex = get_lexicon()
    if not lex.known(stem) or (adjective_only and not lex.is_adjective(stem)):
        return match.group()
    return _attach(stem, suffix)


def fix_suffix_zwnj(text: str) -> str:
    """Attach plural, comparative and ه-suffixes with a zero-width non-joiner where it belongs.

    Handles suffixes typed glued (تروریستها), or after a space (کتاب ها), for ها/های/هایی/هایش...,
    تر/ترین after adjectives, and ای/ام/اند... after a final ه. A glued word is repaired only when the
    lexicon gives a clear reading. After a
    letter that does not join, no ZWNJ is written (بندر ها -> بندرها). When a glued word has several
    readings, the one whose stem is at least ten times more frequent wins (گروههای -> گروه‌های, not
    گروهه‌ای); otherwise it is left alone (نامهای: نام‌های or نامه‌ای).

    >>> fix_suffix_zwnj("تروریستها و گروههای ویژهای در بندر ها")
    'تروریست\u200cها و گروه\u200cهای ویژه\u200cای در بندرها'
    >>> fix_suffix_zwnj("بزرگترین شهر و بزرگ تر")
    'بزرگ\u200cترین شهر و بزرگ\u200cتر'
    """
    text = _SPACED_PLURAL.sub(_join_spaced, text)
    text = _SPACED_HE.sub(_join_spaced, text)
    text = _SPACED_COMPARATIVE.sub(lambda m: _join_spaced(m, adjective_only=True), text)
    return _sub_words(_WORD_GROUP, _repair_glued_word, text)


_SPACED_MI = re.compile(f"(?<!{_LETTER}|{ZWNJ})(ن?می) ({_LETTER}+)(?!{_LETTER}|{ZWNJ})")
_GLUED_MI = re.compile(f"(?<!{_LETTER}|{ZWNJ})(ن?می)({_LETTER}{{2,}})(?!{_LETTER}|{ZWNJ})")


def fix_prefix_zwnj(text: str) -> str:
    """Attach the verbal prefixes می and نمی with a zero-width non-joiner (نمیشود, می شود -> ...‌شود).

    Only when what follows is a known verb form and the glued whole is not an ordinary word
    (میدان, میزان and میلیون are left alone).

    >>> fix_prefix_zwnj("نمیشود و می شود و میتوان در میدان")
    'نمی\u200cشود و می\u200cشود و می\u200cتوان در میدان'
    """
    return _GLUED_MI.sub(_repair_prefix, _SPACED_MI.sub(_repair_prefix, text))


def _repair_prefix(match: re.Match[str]) -> str:
    attached = _attach_prefix(match.group(1), match.group(2))
    return match.group() if attached is None else attached


@functools.lru_cache(maxsize=WORD_MEMO_SIZE)
def _attach_prefix(prefix: str, rest: str) -> str | None:
    """``prefix + ZWNJ + rest`` when ``rest`` is a verb form and the glued whole is no word, else None."""
    lex = get_lexicon()
    if rest not in lex.verb_forms or lex.attested(prefix + rest):
        return None
    return prefix + ZWNJ + rest


# ---------------------------------------------------------------------------------------------
# Boilerplate (news-aggregator footers and page debris)
# ---------------------------------------------------------------------------------------------

_BOILERPLATE = [
    # «منبع خبر "X" است و سایت Y در قبال محتوای آن هیچ مسئولیتی ندارد»
    re.compile(
        r"(?:این\s+)?(?:خبر\s+را\s+)?منبع\s+(?:این\s+)?خبر\s*:?\s*[«\"“']?[^\n]{0,80}?[»\"”']?\s*"
        r"(?:است|می\s?\u200c?باشد)\s*(?:و|،)[^\n]{0,200}?(?:مسئولیتی|مسئولیت|مسوولیتی)\s*"
        r"(?:ندارد|نمی\s?\u200c?پذیرد|نخواهد\s+داشت)\s*[.!؟]?"
    ),
    re.compile(r"لینک\s*(?:کوتاه|کپی\s*شد)\s*:?\s*(?:https?://\S+)?"),
    re.compile(r"کپی\s*لینک"),
    re.compile(r"انتهای\s+پیام\s*/?"),
    re.compile(r"کد\s+خبر\s*:\s*[0-9۰-۹٠-٩]+"),
    re.compile(r"(?:نسخه\s+چاپی|ارسال\s+به\s+دوستان|اشتراک\s*\u200c?گذاری\s+در\s+شبکه\s*\u200c?های\s+اجتماعی)"),
]

# A word each pattern cannot match without: a substring test is far cheaper than a regex scan.
_BOILERPLATE_WORDS = tuple(
    zip(_BOILERPLATE, [("منبع",), ("لینک",), ("کپی",), ("انتهای",), ("کد",), ("نسخه", "ارسال", "اشتراک")])
)


def remove_boilerplate(text: str) -> str:
    """Remove news-aggregator footers and page debris: source disclaimers, «لینک کوتاه», «کپی لینک»...

    Removes the phrase wherever it stands (scraped text often has no line breaks); lines left empty
    disappear in the whitespace step that follows it in every normalizer. It runs after the word
    repairs, so a footer split off a glued word (انتهای‌پیام) is caught too.

    >>> remove_boilerplate("متن خبر.\\nمنبع خبر «پایگاه الف» است و سایت ب هیچ مسئولیتی ندارد.\\nکپی لینک")
    'متن خبر.\\n\\n'
    """
    for pattern, words in _BOILERPLATE_WORDS:
        if any(word in text for word in words):  # a fast substring test skips most texts
            text = pattern.sub("", text)
    return text


# ---------------------------------------------------------------------------------------------
# Named, versioned normalizers
# ---------------------------------------------------------------------------------------------

Step = Callable[[str], str]

# name -> ordered step names. Never change a published version: add a new one.
NORMALIZERS: dict[str, tuple[str, ...]] = {
    "persian_normalizer.v1": (
        "fix_presentation_forms",
        "fix_arabic_letters",
        "remove_diacritics",
        "normalize_digits",
        "normalize_whitespace",
        "split_glued_words",
        "fix_prefix_zwnj",
        "fix_suffix_zwnj",
        "remove_boilerplate",
        "normalize_whitespace",
    ),
    # v2: footers removed by line shape, never from inside a sentence; word repairs decided by how often
    # real news writes each form; alef with hamza kept unless ``hamza="fold"``.
    "persian_normalizer.v2": (
        "fix_presentation_forms",
        "fix_arabic_letters",
        "remove_diacritics",
        "normalize_digits",
        "normalize_whitespace",
        "remove_page_debris",
        "split_run_on_words",
        "repair_prefixes",
        "repair_suffixes",
        "normalize_whitespace",
    ),
}
DEFAULT_VERSION = "persian_normalizer.v2"
# The options that take a step out of a normalizer when off.
_OPTIONAL_STEPS = {"remove_boilerplate": "boilerplate", "remove_page_debris": "boilerplate",
                   "split_glued_words": "glued_words", "split_run_on_words": "glued_words"}

STEPS: dict[str, Callable[..., str]] = {
    f.__name__: f
    for f in (
        fix_presentation_forms,
        fix_arabic_letters,
        remove_diacritics,
        normalize_digits,
        remove_boilerplate,
        normalize_whitespace,
        fix_prefix_zwnj,
        fix_suffix_zwnj,
        split_glued_words,
        remove_page_debris,
        split_run_on_words,
        repair_prefixes,
        repair_suffixes,
    )
}


def get_steps(
    version: str = DEFAULT_VERSION,
    digits: str = "persian",
    boilerplate: bool = True,
    glued_words: bool = True,
    hamza: str | None = None,
) -> list[tuple[str, Step]]:
    """The ordered ``(name, function)`` steps of a normalizer with its options applied.

    Parameters
    ----------
    version : str
        A key of ``NORMALIZERS``.
    digits : {"persian", "latin", "keep"}
        The single digit form to write.
    boilerplate : bool
        Whether to remove news-aggregator boilerplate.
    glued_words : bool
        Whether to split glued words.
    hamza : {"keep", "fold"} or None
        Whether alef with hamza (أ إ) stays or becomes ا; ``None``: the version's own choice
        (``DEFAULT_HAMZA``: v1 folds, v2 keeps).
    """
    if version not in NORMALIZERS:
        raise ConfigError(f"normalizer: unknown version {version!r}; known: {', '.join(NORMALIZERS)}")
    if digits not in DIGIT_FORMS:
        raise ConfigError(f"normalizer.digits: unknown form {digits!r}; expected one of {', '.join(DIGIT_FORMS)}")
    if hamza is not None and hamza not in HAMZA_FORMS:
        raise ConfigError(f"normalizer.hamza: unknown choice {hamza!r}; expected one of {', '.join(HAMZA_FORMS)}")
    hamza = hamza or DEFAULT_HAMZA[version]
    enabled = {"boilerplate": boilerplate, "glued_words": glued_words}
    steps: list[tuple[str, Step]] = []
    for name in NORMALIZERS[version]:
        if not enabled.get(_OPTIONAL_STEPS.get(name, ""), True):
            continue
        if name == "fix_arabic_letters":
            steps.append((name, _ARABIC_TO_PERSIAN if hamza == "fold" else _ARABIC_TO_PERSIAN_KEEP_HAMZA))
        elif name == "normalize_digits":
            if digits == "keep":
                continue
            steps.append((name, functools.partial(normalize_digits, form=digits)))
        else:
            steps.append((name, STEPS[name]))
    return steps


def normalize(text: str, version: str = DEFAULT_VERSION, **options: object) -> str:
    """Normalize one text with a named normalizer (options as in :func:`get_steps`).

    Idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    for _, step in get_steps(version, **options):  # type: ignore[arg-type]
        text = step(text)
    return text


class _NormalizedCache:
    """Normalized texts of this process, by (normalizer options, text): cross-validation folds and
    repeated experiments on one corpus normalize each text once. Bounded by total characters held."""

    def __init__(self, max_chars: int = 200_000_000) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.store: dict[tuple, str] = {}

    def clear(self) -> None:
        self.store.clear()
        self.chars = 0

    def get(self, key: tuple) -> str | None:
        return self.store.get(key)

    def put(self, key: tuple, value: str) -> None:
        size = len(key[-1]) + len(value)
        if self.chars + size > self.max_chars:
            self.store.clear()
            self.chars = 0
        self.store[key] = value
        self.chars += size


NORMALIZED_CACHE = _NormalizedCache()
