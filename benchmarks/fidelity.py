"""Normalization fidelity on real sentences: repairs of planted defects, and correct text left alone.

Cases are built from sentences of the real corpora (:mod:`corpus_parts`) that are already well formed:
no Arabic ي/ك, diacritics, non-Persian digits or stray zero-width non-joiners (ZWNJ), at least one
ZWNJ (the writer uses them), and no word that hazm's word list reads as a glued or spaced suffix.
Into each, exactly one defect is planted, or a risky correct word is marked that must be kept:

repairs
  glued_plural / glued_comparative / glued_he / glued_prefix   the ZWNJ of ها-, تر-, ای-, می- words removed
  spaced_plural / spaced_comparative / spaced_he / spaced_prefix  the ZWNJ replaced by a space
  arabic_letters   ی and ک of one word written as Arabic ي and ك
  footer           a real footer shape appended to a clean article ending (own line or trailing)
keeps
  keep_tar         single words ending in تر/ترین (دفتر, بیشترین)
  keep_ay          whole words that end like ه + ای (بهای), or ها (تنها, انتهای)
  keep_hamza       words with أ إ ؤ ئ
  keep_ambiguous   a glued form with another reading in use (حرفهای: حرف‌های or حرفه‌ای; دورهای): must
                   stay as it is (or come out as the original, if a system can tell); ambiguous_restored
                   is the share that comes out as the original
  keep_whole_word  a glued form that is itself a word (آنها, بیشتر): stays, or comes out as the original
  keep_phrase      footer phrases (انتهای پیام, لینک کوتاه, کد خبر ...) inside a sentence
  harm             every word of every clean sentence (the harm rate is 1 - this score)

Whether a glued form has another reading in use is decided from the words of the benchmark's own
articles (``dev`` and ``held``, the case's own article left out; :class:`Reference`), apart from the
text the normalizer's news counts come from (``rest``), and not from hazm's list. A reading whose stem joins is in use
when its stem is written there with a ZWNJ and a suffix of the same kind (حرف‌های, حرف‌ها; حرفه‌ای,
حرفه‌اش); one whose stem does not join (دور+های) is written glued either way, so it is in use when its
stem is written there at least a tenth as often as the original's. hazm's list only proposes the cuts
(stems it counts) and, with ``WHOLE_WORDS``, the whole words.

A third part, ``fresh`` (:func:`corpus_parts.fresh_texts`), is built the same way from other text: the
headlines and claims of FarExStance's headline-to-claim files, one short text each, on which no rule was
built; it is scored and reported like ``held``.

A fourth, ``folds``, is built from the ``rest`` articles the counts come from, cut into five folds
(``word_frequencies.fold_of``: a hash of each article's opening); each fold's cases are scored with news
counts made, as the shipped ones are, from the other four folds' articles only, and a model of the two
kinds of forms in های (``two_kinds.train``) learnt from those articles only (``word_frequencies.news_counts``). So
its cases, many more than ``dev``'s, come from articles the counts never saw, as ``held``'s do, and rules can be
studied on them without looking at ``held``; the counts are four fifths the size of the shipped ones.

A case drawn twice (the same sentence twice in one part: an agency's story carried again, a headline
repeated in its article) counts once (:func:`distinct`); the draw is not changed by it.

A repair counts when the word is exactly the original at its place (tokens aligned with difflib), a keep
when the marked word(s) come out unchanged; a footer case when the article with its footer normalizes to
the same text as the article without it. The held part is scored and reported, never printed case by
case.

    python benchmarks/fidelity.py --part dev --show-errors 20    # while tuning
    python benchmarks/fidelity.py --part folds --show-errors 20   # cross-validated: results/fidelity-folds.json
    python benchmarks/fidelity.py --part rest --kind keep_ambiguous --limit 5000 --show-errors 20
                                    # cases from the articles the counts come from (optimistic), to study errors
    python benchmarks/fidelity.py                                # dev, held, fresh; writes results/fidelity.json, .md
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import random
import re
import sys
import time
from pathlib import Path

import corpus_parts
import word_frequencies

HERE = Path(__file__).resolve().parent
ZWNJ = "\u200c"
NON_JOINING = "اآأإٱدذرزژوؤ"
PLURAL = ("هایشان", "هایتان", "هایمان", "هایی", "هایم", "هایت", "هایش", "های", "ها")
COMPARATIVE = ("ترین", "تر")
HE = ("اند", "ایم", "اید", "ای", "ام", "اش")
PREFIX = ("نمی", "می")
FOOTER_PHRASES = ("انتهای پیام", "لینک کوتاه", "کپی لینک", "کد خبر", "نسخه چاپی", "ارسال به دوستان",
                  "منبع خبر", "اشتراک گذاری")
FOOTERS = [  # (shape, how it is attached): real shapes seen at the ends of the corpora's articles
    ("انتهای پیام", "\n"), ("انتهای پیام", " "), ("انتهای پیام/", "\n"), ("لینک کوتاه کپی لینک", "        "),
    ("لینک کوتاه\nکپی لینک", "\n"), ("کد خبر: {n}", "\n"), ("کد خبر : {n}", " "), ("منبع: ایسنا", "\n"),
    ("منبع: ایرنا", " "), ("نسخه چاپی\nارسال به دوستان", "\n"),
    ("منبع خبر «پایگاه خبری {n}» است و سایت خبر در قبال محتوای آن هیچ مسئولیتی ندارد.", "\n"),
]
# Cases per article of the rarer kinds (every other kind: ``per_article``).
RARE = {"harm": 3, "keep_ay": 6, "keep_tar": 4, "keep_ambiguous": 4, "keep_whole_word": 4, "glued_comparative": 4, "spaced_comparative": 4}
_BAD = re.compile("[يكةىۀ\u064b-\u065f\u0670\u0640\ufb50-\ufdff\ufe70-\ufeff0-9٠-٩\u00a0\u00ad\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2069]")
_STRAY_ZWNJ = re.compile(f"(?<=[{NON_JOINING}]){ZWNJ}|(?<![آ-ی]){ZWNJ}|{ZWNJ}(?![آ-ی])|{ZWNJ}{ZWNJ}")
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


def lexicon():
    from didgah.text.lexicon import get_lexicon

    return get_lexicon()


# Whole words that look like a stem plus a suffix and that hazm's word list counts zero times: the
# comparatives Persian writes as one word (and the adverb پیشتر, «earlier»), a few nouns (بهای, انتهای,
# شانگهای), and آنها/اینها, which Persian writes either way.
WHOLE_WORDS = frozenset({"بهتر", "بهترین", "بیشتر", "بیشترین", "کمتر", "کمترین", "مهتر", "کهتر", "پیشتر", "بهای", "انتهای",
                         "انتها", "شانگهای", "منتها", "آنها", "اینها", "آنهایی", "اینهایی"})


def _frequency(word: str) -> int:
    return lexicon().frequency.get(word, 0)


def is_word(word: str) -> bool:
    """The benchmark's own oracle of a whole word: counted in hazm's word list, or in ``WHOLE_WORDS``."""
    return _frequency(word) > 0 or word in WHOLE_WORDS


def _readings(token: str, joining_only: bool = True) -> list[tuple[str, str]]:
    """Every stem + suffix cut of a glued token whose stem hazm's word list counts (comparatives: of an
    adjective; ای ام اند ...: after a final ه), the stem ending in a letter that joins unless
    ``joining_only`` is false (then دور+های is a reading of دورهای: the word as typed is right)."""
    found = []
    for suffixes in (PLURAL, COMPARATIVE, HE):
        for s in suffixes:
            stem = token[: -len(s)]
            if not token.endswith(s) or len(stem) < 2 or _frequency(stem) <= 0:
                continue
            if joining_only and stem[-1] in NON_JOINING:
                continue
            if (suffixes is HE and stem[-1] != "ه") or (suffixes is COMPARATIVE and not lexicon().is_adjective(stem)):
                continue
            found.append((stem, s))
    return found


def looks_defective(tokens: list[str]) -> bool:
    verbs = lexicon().verb_forms
    for tok in tokens:
        word = tok.strip(".،؛:!؟?«»\"()")
        if word in PLURAL + COMPARATIVE + HE + PREFIX or word in ("ی", "ای", "یی"):
            return True  # a suffix or prefix standing alone
        if ZWNJ not in word and not is_word(word) and _readings(word):
            return True
        for p in PREFIX:
            if word.startswith(p) and word[len(p):] in verbs and not is_word(word):
                return True
    return False


def clean_sentences(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        for sentence in _SENTENCE_END.split(line.strip()):
            tokens = sentence.split(" ")
            if not 6 <= len(tokens) <= 40 or "" in tokens or ZWNJ not in sentence:
                continue
            if _BAD.search(sentence) or _STRAY_ZWNJ.search(sentence) or re.search("[a-zA-Z]", sentence):
                continue
            if any(p in sentence for p in ("انتهای پیام", "لینک کوتاه", "کپی لینک")) or looks_defective(tokens):
                continue
            out.append(sentence)
    return out


def _zwnj_kind(word: str) -> str | None:
    if word.count(ZWNJ) != 1:
        return None
    left, right = word.split(ZWNJ)
    if left in PREFIX:
        return "prefix"
    if right in PLURAL:
        return "plural"
    if right in COMPARATIVE:
        return "comparative"
    if right in HE and left.endswith("ه"):
        return "he"
    return None


# Evidence that a reading of a glued form is in use comes from the words of the benchmark's articles (both
# parts, the case's own article left out), never from the ``rest`` part the normalizer's word counts come
# from. A reading whose stem joins is in use when that stem is written there with a ZWNJ and a suffix of
# the same kind; one whose stem does not join is written glued either way (دورهای: دور+های, or دوره‌ای
# glued), so it counts as in use when its stem is written there as a word at least 1/STEM_SHARE as often
# as the original's stem.
STEM_SHARE = 10


class Reference:
    """How often the words of the benchmark's articles (both parts) are written, less one article's."""

    def __init__(self, parts: tuple[str, ...] = ("dev", "held")) -> None:
        from word_frequencies import words

        self._words = words
        self.counts: collections.Counter = collections.Counter()
        for _, _, article_part, text in corpus_parts.articles():
            if article_part in parts:
                self.counts.update(words(text))
        self.own: collections.Counter = collections.Counter()

    def leave_out(self, text: str) -> None:
        """Count from here on without the words of this article."""
        self.own = collections.Counter(self._words(text))

    def count(self, word: str) -> int:
        return self.counts[word] - self.own[word]


def _family(suffix: str) -> tuple[str, ...]:
    """The suffixes a stem that takes ``suffix`` takes too: every plural, every ending after ه, or تر and ترین."""
    return next(family for family in (PLURAL, COMPARATIVE, HE) if suffix in family)


def _ambiguous(glued: str, left: str, reference: Reference) -> bool:
    """Whether a glued form has another reading than ``left`` + its suffix that is in use in
    ``reference`` (حرفهای: حرف‌های or حرفه‌ای; not هفتهای, whose reading هفت‌های is not written there)."""
    own = max(reference.count(left), 1)
    for stem, suffix in _readings(glued, joining_only=False):
        if stem == left:
            continue
        if stem[-1] in NON_JOINING:
            if reference.count(stem) * STEM_SHARE >= own:
                return True
        elif any(reference.count(stem + ZWNJ + s) > 0 for s in _family(suffix)):
            return True
    return False


def make_cases(part: str, per_article: int = 2, limit: int = 1500, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    reference = Reference()
    by_kind: dict[str, list[dict]] = collections.defaultdict(list)
    texts = corpus_parts.fresh_texts() if part == "fresh" else corpus_parts.articles()
    for corpus, article_id, article_part, text in texts:
        if article_part != ("rest" if part == "folds" else part):
            continue
        fold = {"fold": word_frequencies.fold_of(text)} if part == "folds" else {}
        sentences = clean_sentences(text)
        reference.leave_out(text)
        base = f"{corpus.split('/')[0]}:{article_id}"
        found: dict[str, list[dict]] = collections.defaultdict(list)
        for s_index, sentence in enumerate(sentences):
            tokens = sentence.split(" ")
            found["harm"].append({"input": sentence, "expected": sentence, "target": list(range(len(tokens)))})
            for i, tok in enumerate(tokens):
                word = tok.strip(".،؛:!؟?«»\"()")
                kind = _zwnj_kind(word)
                if kind:
                    left, right = word.split(ZWNJ)
                    glued = left + right
                    if is_word(glued) or _ambiguous(glued, left, reference):
                        case = _planted(tokens, i, word, glued, keep=True)
                        kind_of = "keep_whole_word" if is_word(glued) else "keep_ambiguous"
                        found[kind_of].append({**case, "also": " ".join(tokens)})
                    else:
                        found[f"glued_{kind}"].append(_planted(tokens, i, word, glued))
                    found[f"spaced_{kind}"].append(_planted(tokens, i, word, left + " " + right))
                if ZWNJ in word:
                    pass
                elif re.search("[أإؤئ]", word):
                    found["keep_hamza"].append(_keep(sentence, i))
                elif word.endswith(COMPARATIVE) and len(word) >= 4:
                    found["keep_tar"].append(_keep(sentence, i))  # the sentence is clean: a whole word
                elif any(stem[-1] not in NON_JOINING for stem, _ in _readings(word)):
                    found["keep_ay"].append(_keep(sentence, i))
                if ("ی" in word or "ک" in word) and not found.get("arabic_letters"):
                    found["arabic_letters"].append(_planted(tokens, i, word, word.replace("ی", "ي").replace("ک", "ك")))
            for p_index, phrase in enumerate(FOOTER_PHRASES):
                if (s_index + p_index) % 7 == 0:
                    at = len(tokens) // 2
                    planted = tokens[:at] + phrase.split(" ") + tokens[at:]
                    found["keep_phrase"].append({"input": " ".join(planted), "expected": " ".join(planted),
                                                 "target": list(range(at, at + len(phrase.split(" "))))})
        if len(sentences) >= 2:
            shape, glue = FOOTERS[int(article_id.encode().hex(), 16) % len(FOOTERS)] if article_id else FOOTERS[0]
            content = "\n".join(sentences[-2:])
            found["footer"].append({"input": content + glue + shape.format(n=len(text)), "expected": content,
                                    "target": None})
        for kind, cases in found.items():
            rng.shuffle(cases)
            for n, case in enumerate(cases[: RARE.get(kind, per_article)]):
                by_kind[kind].append({"id": f"{base}:{kind}:{n}", "kind": kind, **case, **fold})
    out = []
    for kind in sorted(by_kind):
        cases = by_kind[kind]
        rng.shuffle(cases)
        out.extend(distinct(sorted(cases[: limit if kind != "harm" else 4 * limit], key=lambda c: c["id"])))
    return out


def distinct(cases: list[dict]) -> list[dict]:
    """The cases less their repeats: a sentence written twice (an agency's story carried again, a headline
    repeated in its article) gives the same case twice, which would count its outcome twice. Dropped after
    the draw, so a part's cases are the ones drawn, each counted once."""
    seen: set[tuple] = set()
    out = []
    for case in cases:
        key = (case["kind"], case["input"], case["expected"], case.get("also"), tuple(case["target"] or ()))
        if key not in seen:
            seen.add(key)
            out.append(case)
    return out


def _planted(tokens: list[str], i: int, word: str, defective: str, keep: bool = False) -> dict:
    broken = tokens[:i] + [tokens[i].replace(word, defective)] + tokens[i + 1 :]
    expected = " ".join(broken) if keep else " ".join(tokens)
    return {"input": " ".join(broken), "expected": expected, "target": [i] if not keep else list(
        range(i, i + len(defective.split(" "))))}


def _keep(sentence: str, i: int) -> dict:
    return {"input": sentence, "expected": sentence, "target": [i]}


def kept(expected: str, output: str, target: list[int]) -> int:
    """How many of the target tokens of ``expected`` come out unchanged in ``output``."""
    exp, out = expected.split(), output.split()
    matched = set()
    for block in difflib.SequenceMatcher(None, exp, out, autojunk=False).get_matching_blocks():
        matched.update(range(block.a, block.a + block.size))
    return sum(1 for t in target if t in matched)


def describe(error: dict) -> str:
    """One line: what the output has where the expected text differs (or the end of a footer case)."""
    if error["kind"] == "footer":
        return f"...{error['input'][-70:]!r} -> ...{error['output'][-50:]!r}"
    exp, out = error["expected"].split(), error["output"].split()
    diffs = [f"{' '.join(exp[a:b])!r} -> {' '.join(out[c:d])!r}"
             for op, a, b, c, d in difflib.SequenceMatcher(None, exp, out, autojunk=False).get_opcodes() if op != "equal"]
    return "; ".join(diffs[:4])


def systems() -> dict:
    import hazm

    from didgah.text.normalization import NORMALIZERS, normalize

    hazm_normalizer = hazm.Normalizer()
    found = {"hazm": hazm_normalizer.normalize}
    for version in NORMALIZERS:
        found[f"didgah {version.split('.')[-1]}"] = lambda text, _v=version: normalize(text, _v)
    return found


def tally(cases: list[dict], system, into: dict | None = None) -> tuple[dict, list[dict]]:
    """Raw counts per kind (``[good, total]``; ``"ambiguous_restored"``: keep_ambiguous cases that come out
    as the original, of all), added to ``into`` when given, and the cases a system gets wrong."""
    counts = into if into is not None else collections.defaultdict(lambda: [0.0, 0.0])
    errors = []
    for case in cases:
        output = system(case["input"])
        if case["kind"] == "footer":
            good, total = float(output == system(case["expected"])), 1.0
        elif case["kind"] == "harm":
            good, total = float(kept(case["expected"], output, case["target"])), float(len(case["target"]))
        else:
            good, total = float(kept(case["expected"], output, case["target"]) == len(case["target"])), 1.0
            if case.get("also"):  # a glued form that may stay: left as it is, or the original
                original = kept(case["also"], output, case["target"]) == len(case["target"])
                good = max(good, float(original))
                if case["kind"] == "keep_ambiguous":
                    counts["ambiguous_restored"][0] += original
                    counts["ambiguous_restored"][1] += 1
        counts[case["kind"]][0] += good
        counts[case["kind"]][1] += total
        if good < total:
            errors.append({**case, "output": output})
    return counts, errors


def summarize(counts: dict) -> dict:
    """Scores per kind from :func:`tally`'s counts, with repairs overall and the harm rate."""
    per_kind = {k: v for k, v in counts.items() if k != "ambiguous_restored"}
    result = {kind: {"score": round(g / t, 4), "cases": int(t) if kind != "harm" else None, "units": int(t)}
              for kind, (g, t) in sorted(per_kind.items())}
    repairs = [k for k in per_kind if not k.startswith("keep") and k != "harm"]
    g = sum(per_kind[k][0] for k in repairs)
    t = sum(per_kind[k][1] for k in repairs)
    if t:
        result["repairs_overall"] = {"score": round(g / t, 4), "units": int(t)}
    restored = counts.get("ambiguous_restored")
    if restored and restored[1]:
        result["ambiguous_restored"] = {"score": round(restored[0] / restored[1], 4), "units": int(restored[1])}
    if "harm" in per_kind and per_kind["harm"][1]:
        result["harm_rate"] = {"score": round(1 - per_kind["harm"][0] / per_kind["harm"][1], 5),
                               "units": int(per_kind["harm"][1])}
    return result


def score(cases: list[dict], system) -> tuple[dict, list[dict]]:
    counts, errors = tally(cases, system)
    return summarize(counts), errors


def score_folds(cases: list[dict], systems_: dict, show_errors: int = 0, counted: int | None = None) -> dict:
    """Each fold's cases scored with news counts of the other folds' articles (``word_frequencies.FOLDS``)
    and a ``kind_model`` learnt from them alone (``two_kinds.train``): cases from articles the counts and
    the model never saw, as for ``dev`` and ``held``, from counts of 4/5 the size (``counted``: of only
    that many other folds, to see how the figures move with the amount counted; the model as for 4/5)."""
    import two_kinds

    per_fold = word_frequencies.count_folds()
    found = two_kinds.examples()
    totals: dict[str, dict] = {name: collections.defaultdict(lambda: [0.0, 0.0]) for name in systems_}
    seconds = dict.fromkeys(systems_, 0.0)
    shown: collections.Counter = collections.Counter()
    for fold in range(len(per_fold)):
        in_fold = [c for c in cases if c["fold"] == fold]
        weights, _ = two_kinds.train(found, per_fold, leave_out=fold)
        with word_frequencies.news_counts(word_frequencies.without_fold(per_fold, fold, counted), weights):
            for name, system in systems_.items():
                start = time.perf_counter()
                _, errors = tally(in_fold, system, into=totals[name])
                seconds[name] += time.perf_counter() - start
                if show_errors and name == list(systems_)[-1]:
                    _show(errors, show_errors, shown)
    return {name: {**summarize(totals[name]), "seconds": round(seconds[name], 2)} for name in systems_}


def _show(errors: list[dict], limit: int, shown: collections.Counter) -> None:
    for e in errors:
        if shown[e["kind"]] < limit:
            shown[e["kind"]] += 1
            print(f"[{e['kind']}] {e['id']}: {describe(e)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "held", "fresh", "folds", "rest", "both"), default="both",
                        help="both: dev, held and fresh; folds: rest articles, each scored with counts of the "
                             "other folds; rest: the articles the word counts come from")
    parser.add_argument("--limit", type=int, default=None, help="cases per kind at most (1500; folds: 5000)")
    parser.add_argument("--show-errors", type=int, default=0, help="print this many dev, folds or rest errors per kind")
    parser.add_argument("--kind", default=None, help="only this kind of case")
    parser.add_argument("--counted-folds", type=int, default=None, choices=range(1, word_frequencies.FOLDS),
                        help="folds only: count this many of the other folds, not all of them")
    parser.add_argument("--output", type=Path, default=None,
                        help="results/fidelity.json (both), results/fidelity-folds.json (folds)")
    args = parser.parse_args(argv)
    if not corpus_parts.SHARED.is_dir():
        print(f"needs the real corpora in {corpus_parts.SHARED}", file=sys.stderr)
        return 2
    limit = args.limit or (5000 if args.part == "folds" else 1500)
    parts = ("dev", "held", "fresh") if args.part == "both" else (args.part,)
    names = list(systems())
    results: dict = {}
    for part in parts:
        cases = [c for c in make_cases(part, limit=limit) if args.kind in (None, c["kind"])]
        show = args.show_errors if part in ("dev", "folds", "rest") else 0
        if part == "folds":
            results[part] = {"cases": len(cases), **score_folds(cases, systems(), show, args.counted_folds)}
            continue
        results[part] = {"cases": len(cases)}
        for name, system in systems().items():
            start = time.perf_counter()
            result, errors = score(cases, system)
            result["seconds"] = round(time.perf_counter() - start, 2)
            results[part][name] = result
            if show and name == names[-1]:
                _show(errors, show, collections.Counter())
    lines = []
    for part in parts:
        lines += [f"\n{part}: {results[part]['cases']} cases (harm: words of clean sentences; harm_rate: the "
                  "share of those words changed)", "", "| kind | cases | " + " | ".join(names) + " |",
                  "|---|---:|" + "---:|" * len(names)]
        kinds = [k for k in results[part][names[0]] if k not in ("seconds",)]
        for kind in kinds:
            row = results[part][names[0]][kind]
            lines.append(f"| {kind} | {row['units']} | "
                         + " | ".join(f"{results[part][n][kind]['score']:.4f}" for n in names) + " |")
    print("\n".join(lines))
    if args.part in ("both", "folds") and args.kind is None and args.limit is None and args.counted_folds is None:
        output = args.output or HERE / "results" / ("fidelity.json" if args.part == "both" else "fidelity-folds.json")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        output.with_suffix(".md").write_text("\n".join(lines).lstrip() + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
