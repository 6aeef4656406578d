"""Count word forms in the real corpora and write didgah's word-frequency resource.

Counts come only from the ``rest`` part of the corpora (:mod:`corpus_parts`), never from an article of
the fidelity benchmark (``dev`` or ``held``) nor from a ``rest`` article whose opening repeats one of
theirs (agencies republish each other). Before counting, Arabic ي ى ك are written ی ک, diacritics and
kashida removed, and zero-width non-joiners (ZWNJ) kept only between two letters after a joining
letter; hamza letters are kept. A word is a run of Persian letters and ZWNJs, so ``کتاب‌ها`` and
``کتابها`` are counted apart: that difference is the evidence the word repairs use.

    python benchmarks/word_frequencies.py            # writes src/didgah/text/resources/word_frequencies.tsv,
                                                     # next_words.tsv and previous_words.tsv
    python benchmarks/word_frequencies.py --suffix-rates   # how often common stems are written with a suffix

``word_frequencies.tsv``: one ``word<TAB>count`` a line, most frequent first, forms seen at least
``--min-count`` times. ``next_words.tsv``: the words right after a form in ه‌ای (ویژه‌ای, نامه‌ای) and a
plural in ‌های (تیم‌های), with nothing but a space between, as ``word<TAB>after ه‌ای<TAB>after ‌های``,
for words seen there at least ``--min-next`` times; the first line, ``#total``, holds how many such
forms had a word after them at all. ``previous_words.tsv``: the same for the word right before.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import corpus_parts

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "src" / "didgah" / "text" / "resources" / "word_frequencies.tsv"
NEXT_OUTPUT = OUTPUT.with_name("next_words.tsv")
PREVIOUS_OUTPUT = OUTPUT.with_name("previous_words.tsv")

ZWNJ = "\u200c"
NON_JOINING = "اآأإٱدذرزژوؤ"
LETTERS = "آ-ی" + "ءأإؤئ" + "پچژکگی"
_WORD = re.compile(f"[{LETTERS}][{LETTERS}{ZWNJ}]*")
_STRAY_ZWNJ = re.compile(f"(?<=[{NON_JOINING}]){ZWNJ}|(?<![{LETTERS}]){ZWNJ}|{ZWNJ}(?![{LETTERS}])")
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def clean(text: str) -> str:
    text = _DIACRITICS.sub("", text.translate(_ARABIC))
    return _STRAY_ZWNJ.sub("", re.sub(f"{ZWNJ}+", ZWNJ, text))


def words(text: str) -> list[str]:
    return _WORD.findall(clean(text))


def _kind(token: str) -> int | None:
    """0 for a form in ه‌ای, 1 for a plural in ‌های, else None."""
    if token.endswith(ZWNJ + "های"):
        return 1
    return 0 if token.endswith("ه" + ZWNJ + "ای") else None


def neighbour_words(text: str, counts: Counts) -> None:
    """Count the word after (``counts.following``) and the word before (``counts.preceding``) each form in
    ه‌ای (``[0]``) and each plural in ‌های (``[1]``), both whole words with only a space between them (no
    punctuation)."""
    tokens = clean(text).split()
    for k, token in enumerate(tokens):
        kind = _kind(token)
        if kind is None or not _WORD.fullmatch(token):
            continue
        if k + 1 < len(tokens) and _WORD.fullmatch(tokens[k + 1]):
            counts.following[kind][tokens[k + 1]] += 1
            counts.totals[kind] += 1
        if k > 0 and _WORD.fullmatch(tokens[k - 1]):
            counts.preceding[kind][tokens[k - 1]] += 1
            counts.totals_before[kind] += 1


def opening(text: str) -> str:
    return " ".join(words(text)[:40])


def counted_articles(info: dict | None = None) -> Iterator[tuple[str, str]]:
    """``(corpus, text)`` of every ``rest`` article whose opening repeats no benchmark article's; ``info``
    gets ``articles`` (how many of each corpus) and ``skipped_repeats``."""
    benchmark_openings = {opening(t) for _, _, part, t in corpus_parts.articles() if part != "rest"}
    used: collections.Counter = collections.Counter()
    skipped = 0
    for corpus, _, part, text in corpus_parts.articles():
        if part != "rest":
            continue
        if opening(text) in benchmark_openings:
            skipped += 1
            continue
        used[corpus] += 1
        yield corpus, text
    if info is not None:
        info.update(articles=dict(used), skipped_repeats=skipped)


# A table of neighbours: word -> (seen with a form in ه‌ای, with a plural in ‌های); "" -> the totals.
Neighbours = dict[str, tuple[int, int]]


def _pair() -> list[collections.Counter]:
    return [collections.Counter(), collections.Counter()]


@dataclass
class Counts:
    """Word forms, and the words after and before a form in ه‌ای (``following[0]``, ``preceding[0]``) and a
    plural in ‌های (``[1]``), with how many such forms had a word after (``totals``) and before them
    (``totals_before``)."""

    words: collections.Counter = field(default_factory=collections.Counter)
    following: list[collections.Counter] = field(default_factory=_pair)
    totals: list[int] = field(default_factory=lambda: [0, 0])
    preceding: list[collections.Counter] = field(default_factory=_pair)
    totals_before: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, text: str) -> None:
        self.words.update(words(text))
        neighbour_words(text, self)

    def __iadd__(self, other: Counts) -> Counts:
        self.words.update(other.words)
        for mine, theirs in zip(self.following + self.preceding, other.following + other.preceding):
            mine.update(theirs)
        self.totals = [a + b for a, b in zip(self.totals, other.totals)]
        self.totals_before = [a + b for a, b in zip(self.totals_before, other.totals_before)]
        return self

    def tables(self, min_count: int, min_next: int) -> tuple[dict[str, int], Neighbours, Neighbours]:
        """What ``didgah.text.lexicon`` reads: the forms seen ``min_count`` times or more, and the words seen
        after, and before, either kind ``min_next`` times or more (how many forms had a word there: key "")."""
        kept = {w: c for w, c in self.words.items() if c >= min_count}
        return kept, _neighbours(self.following, self.totals, min_next), _neighbours(
            self.preceding, self.totals_before, min_next)


def _neighbours(counts: list[collections.Counter], totals: list[int], min_next: int) -> Neighbours:
    seen = counts[0] + counts[1]
    kept = {w: (counts[0][w], counts[1][w]) for w, n in seen.items() if n >= min_next}
    return {"": (totals[0], totals[1]), **kept}


def count() -> tuple[Counts, dict]:
    counts, info = Counts(), {}
    for _, text in counted_articles(info):
        counts.add(text)
    return counts, info


# Cross-validated counts (``fidelity.py --part folds``): the counted articles cut into FOLDS folds by a hash
# of their opening, so that articles repeating each other's opening fall into one fold.
FOLDS = 5


def fold_of(text: str, folds: int = FOLDS) -> int:
    return int.from_bytes(hashlib.sha256(opening(text).encode()).digest()[:8], "big") % folds


def count_folds(folds: int = FOLDS) -> list[Counts]:
    """The counts of each fold's articles."""
    per_fold = [Counts() for _ in range(folds)]
    for _, text in counted_articles():
        per_fold[fold_of(text, folds)].add(text)
    return per_fold


def without_fold(per_fold: list[Counts], fold: int, folds: int | None = None) -> Counts:
    """The counts of every fold but ``fold`` (of the ``folds`` folds after it only, when given)."""
    others = [(fold + step) % len(per_fold) for step in range(1, len(per_fold))][:folds]
    merged = Counts()
    for k in others:
        merged += per_fold[k]
    return merged


def _forget_words() -> None:
    """Drop the lexicon, the model weights and every memo of the text package, so that the next call
    reads them anew."""
    from didgah.text import word_repairs

    for name, module in list(sys.modules.items()):
        if name.startswith("didgah.text"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    word_repairs._TWO_KINDS.clear()


# The shipped counts' thresholds (``main``'s defaults: ``--min-count 3 --min-next 5``).
MIN_COUNT, MIN_NEXT = 3, 5


@contextlib.contextmanager
def news_counts(counts: Counts, kind_weights: tuple[float, dict[str, float]] | None = None) -> Iterator[None]:
    """Normalize with news word counts made of ``counts`` (as the shipped ones are) in place of the shipped
    ones, and with ``kind_weights`` (bias, weights) in place of ``didgah.text.kind_model``'s when given."""
    from didgah.text import kind_model, lexicon

    corpus, after, before = counts.tables(MIN_COUNT, MIN_NEXT)
    shipped = lexicon._corpus_counts, lexicon._next_word_counts, lexicon._previous_word_counts, kind_model._shipped_weights
    lexicon._corpus_counts, lexicon._next_word_counts = (lambda: corpus), (lambda: after)
    lexicon._previous_word_counts = lambda: before
    if kind_weights is not None:
        kind_model._shipped_weights = lambda: kind_weights
    _forget_words()
    try:
        yield
    finally:
        lexicon._corpus_counts, lexicon._next_word_counts, lexicon._previous_word_counts, kind_model._shipped_weights = shipped
        _forget_words()


def suffix_rates(min_stem: int = 200) -> None:
    """From the shipped counts: of the stems news writes ``min_stem`` times or more (nouns in hazm's list, for
    the plural; words in ه, for ای ام اند ...), how many are never written joined to a suffix of the family,
    and the quantiles of how often those that are written with one are, per use of the stem. The news
    counts keep forms seen three times or more, so a stem written ``3 / q`` times, at the rate of quantile
    ``q``, is expected to be seen with the family three times: how often a stem must be written before
    its never being seen with the family says something (``word_repairs.RULE_OUT_STEM``)."""
    import statistics

    from didgah.text import word_repairs
    from didgah.text.lexicon import get_lexicon

    lexicon = get_lexicon()
    counts = lexicon.corpus
    for name, family in (("plural", word_repairs.PLURAL), ("after ه", word_repairs.AFTER_HE)):
        rates, never = [], 0
        for stem, n in counts.items():
            if n < min_stem or ZWNJ in stem or stem[-1] in NON_JOINING:
                continue
            if (name == "plural" and "N" not in lexicon.tags.get(stem, ())) or (name != "plural" and stem[-1] != "ه"):
                continue
            with_suffix = sum(counts.get(stem + ZWNJ + suffix, 0) for suffix in family)
            if with_suffix:
                rates.append(with_suffix / n)
            else:
                never += 1
        q = statistics.quantiles(rates, n=20, method="inclusive")
        quantiles = {"5%": q[0], "10%": q[1], "25%": q[4], "50%": q[9]}
        print(f"{name}: {len(rates)} stems written with it, {never} never; rate per use at "
              + ", ".join(f"{k} {v:.4f} (3 expected at {3 / v:,.0f} uses)" for k, v in quantiles.items()))


def _write_neighbours(table: Neighbours, path: Path) -> None:
    """``word<TAB>with ه‌ای<TAB>with ‌های`` lines, the ``#total`` line first, then the most seen words first."""
    total, words_ = table[""], [w for w in table if w]
    rows = [["#total", *total]] + [[w, *table[w]] for w in sorted(words_, key=lambda w: (-sum(table[w]), w))]
    path.write_text("\n".join("\t".join(map(str, row)) for row in rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    parser.add_argument("--min-next", type=int, default=MIN_NEXT)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--suffix-rates", action="store_true", help="print suffix rates of common stems, write nothing")
    args = parser.parse_args(argv)
    if args.suffix_rates:
        suffix_rates()
        return 0
    if not corpus_parts.SHARED.is_dir():
        print(f"needs the real corpora in {corpus_parts.SHARED}", file=sys.stderr)
        return 2
    counts, info = count()
    kept, after, before = counts.tables(args.min_count, args.min_next)
    info.update(tokens=sum(counts.words.values()), types=len(counts.words), kept_types=len(kept))
    lines = [f"{w}\t{c}" for w, c in sorted(kept.items(), key=lambda item: (-item[1], item[0]))]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for table, name in ((after, NEXT_OUTPUT.name), (before, PREVIOUS_OUTPUT.name)):
        _write_neighbours(table, args.output.with_name(name))
    info["next_words"], info["previous_words"] = len(after) - 1, len(before) - 1
    args.output.with_suffix(".md").write_text(PROVENANCE.format(min_count=args.min_count, min_next=args.min_next, **{
        k: f"{v:,}" for k, v in info.items() if k != "articles"}, articles="\n".join(
        f"- `{corpus}`: {n:,} articles" for corpus, n in info["articles"].items())), encoding="utf-8")
    print(info)
    return 0


PROVENANCE = """# word_frequencies.tsv: how often real Persian news writes each word form

One `word<TAB>count` a line, most frequent first. Read by `didgah.text.lexicon` (`Lexicon.corpus`) for
the evidence-based word repairs of `persian_normalizer.v2` (`didgah.text.word_repairs`). Rebuilt with

    python benchmarks/word_frequencies.py --min-count {min_count}

## What was counted

The `rest` part (70 % of articles, chosen by a hash of corpus and article id: `benchmarks/corpus_parts.py`)
of these corpora in `../shared/data`:

{articles}

Articles of the fidelity benchmark's `dev` and `held` parts were never counted, nor {skipped_repeats}
`rest` articles whose first 40 words repeat the opening of a benchmark article (agencies republish each
other), so the counts have not seen a benchmark sentence.

Before counting, Arabic ي ى ك were written ی ک, diacritics and kashida removed, and a zero-width
non-joiner (ZWNJ) kept only between two letters after a letter that joins; alef with hamza was kept.
A word is a maximal run of Persian letters and ZWNJs: `کتاب‌ها` and `کتابها` are counted apart.
{tokens} words, {types} distinct forms; the {kept_types} forms seen at least {min_count} times are kept.

`next_words.tsv` (`word<TAB>after ه‌ای<TAB>after ‌های`) counts, in the same articles and after the same
cleaning, the word right after a form in ه‌ای (ویژه‌ای) and a plural in ‌های (تیم‌های), with only a space
between them. Its first line, `#total`, holds how many such forms had a word after them. The
{next_words} words seen there at least {min_next} times are kept. A plural in ‌های is joined by its ezafe
to the word after it, a form in ه‌ای ends a noun phrase far more often: which reading a glued form is can
depend on the word after it (`word_repairs`). `previous_words.tsv` (`word<TAB>before ه‌ای<TAB>before ‌های`)
counts the word right before them in the same way ({previous_words} words kept): a plural follows همه,
برخی, تمام (`kind_model`).

## Licence

The files hold counts of single words only (and, in `next_words.tsv` and `previous_words.tsv`, of which words
follow and precede two suffix kinds), no
sentence or passage of any source. The sources' own
terms (from `../shared/data/README.md`): IR-News is GPL-3.0; the ISNA 5-category and Fars News 2011
collections state no licence (research use only); FarExStance publishes no licence file (research and
evaluation use, do not redistribute). Whether word counts derived from them may ship with didgah should
be confirmed before a public release; the builder above can be rerun on a subset of the corpora by
editing `corpus_parts.CORPORA`.
"""


if __name__ == "__main__":
    sys.exit(main())
