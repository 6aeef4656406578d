"""Persian word and verb lists that the repairs consult: hazm's bundled data files, and didgah's own word
counts from real news (``resources/word_frequencies.tsv``, ``next_words.tsv``, ``previous_words.tsv``; provenance in
``resources/word_frequencies.md``), read once per process."""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

# hazm's data files, found without importing hazm (its package import pulls in nltk and scipy: seconds)
_HAZM_DATA = Path(importlib.util.find_spec("hazm").submodule_search_locations[0]) / "data"  # type: ignore[union-attr,index]

# Personal endings of Persian verbs (present and past); "" for the bare past (رفت, می‌رفت).
PERSON_ENDINGS = ("", "م", "ی", "د", "یم", "ید", "ند")
_PRESENT_ENDINGS = PERSON_ENDINGS[1:]
_PAST_ENDINGS = ("م", "ی", "", "یم", "ید", "ند")
_VOWELS = ("ا", "و", "آ")


@dataclass(frozen=True)
class Lexicon:
    """Word frequencies and part-of-speech tags, verb stems and the verb forms that follow می/نمی.

    ``frequency`` holds every listed word (many with frequency 0: listed, but unattested);
    ``tags`` the part-of-speech tags of each word; ``verb_forms`` the conjugated forms
    that can follow the prefixes می and نمی (شود, رفتند, گویند, ...); ``past_stems`` and
    ``present_stems`` the stems of hazm's verb list (رفت, رو), two letters or more; ``corpus`` how often
    each word form was written in real news, a form with a zero-width non-joiner (کتاب‌ها) apart from
    the same letters glued (کتابها); ``next_words`` how often news writes each word right after a form in
    ه‌ای and after a plural in ‌های (``next_words[""]`` holds how many of each were followed by a word),
    ``previous_words`` how often right before them.
    """

    frequency: dict[str, int]
    tags: dict[str, frozenset[str]]
    verb_forms: frozenset[str]
    past_stems: frozenset[str] = frozenset()
    present_stems: frozenset[str] = frozenset()
    corpus: dict[str, int] = field(default_factory=dict)
    next_words: dict[str, tuple[int, int]] = field(default_factory=dict)
    previous_words: dict[str, tuple[int, int]] = field(default_factory=dict)

    def known(self, word: str) -> bool:
        return word in self.frequency

    def attested(self, word: str, min_frequency: int = 1) -> bool:
        return self.frequency.get(word, 0) >= min_frequency

    def is_adjective(self, word: str) -> bool:
        return "AJ" in self.tags.get(word, ())


def _resource_lines(name: str) -> list[list[str]]:
    text = resources.files("didgah.text").joinpath("resources", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines()]


def _corpus_counts() -> dict[str, int]:
    return {word: int(count) for word, count in _resource_lines("word_frequencies.tsv")}


def _neighbour_counts(name: str) -> dict[str, tuple[int, int]]:
    """``next_words.tsv`` or ``previous_words.tsv``: its ``#total`` line under the key ""."""
    return {("" if word == "#total" else word): (int(he), int(plural)) for word, he, plural in _resource_lines(name)}


def _next_word_counts() -> dict[str, tuple[int, int]]:
    return _neighbour_counts("next_words.tsv")


def _previous_word_counts() -> dict[str, tuple[int, int]]:
    return _neighbour_counts("previous_words.tsv")


def _verb_forms(lines: list[str]) -> frozenset[str]:
    forms: set[str] = {"توان"}  # impersonal می‌توان / نمی‌توان
    for line in lines:
        past, _, present = line.partition("#")
        for ending in _PAST_ENDINGS:
            if past:
                forms.add(past + ending)
        if present:
            for ending in _PRESENT_ENDINGS:
                forms.add(present + ending)
                if present.endswith(_VOWELS) and ending[:1] != "ی":
                    forms.add(present + "ی" + ending)  # گو -> گوید, آ -> آید
    return frozenset(f for f in forms if len(f) >= 2)


@functools.cache
def get_lexicon() -> Lexicon:
    """Load the lexicon once per process (about 0.3 s), then reuse it."""
    frequency: dict[str, int] = {}
    tags: dict[str, frozenset[str]] = {}
    with open(_HAZM_DATA / "words.dat", encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if not parts[0]:
                continue
            word = parts[0]
            count = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            frequency[word] = max(count, frequency.get(word, 0))
            if len(parts) > 2 and parts[2] != "0":
                tags[word] = frozenset(parts[2].split(","))
    text = (_HAZM_DATA / "verbs.dat").read_text(encoding="utf-8")
    verbs = text.split()
    stems = [line.partition("#")[::2] for line in text.splitlines()]  # lines, as hazm reads them
    return Lexicon(frequency=frequency, tags=tags, verb_forms=_verb_forms(verbs),
                   past_stems=frozenset(p for p, _ in stems if len(p) >= 2),
                   present_stems=frozenset(q for _, q in stems if len(q) >= 2), corpus=_corpus_counts(),
                   next_words=_next_word_counts(), previous_words=_previous_word_counts())
