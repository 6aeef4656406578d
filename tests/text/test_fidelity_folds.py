"""The fidelity benchmark's cross-validated part: news counts of some articles, swapped in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import fidelity
        import word_frequencies

        yield fidelity, word_frequencies
    finally:
        sys.path.remove(str(BENCHMARKS))


Z = "\u200c"


def test_counts_of_other_folds_leave_one_fold_out(bench):
    _, wf = bench
    per_fold = [wf.Counts() for _ in range(3)]
    per_fold[0].add(f"تیم{Z}های ملی و تیم{Z}های ملی")
    per_fold[1].add(f"نامه{Z}ای که رسید")
    per_fold[2].add("تیمهای ملی")
    merged = wf.without_fold(per_fold, 0)
    assert merged.words[f"تیم{Z}های"] == 0 and merged.words["تیمهای"] == 1 and merged.words[f"نامه{Z}ای"] == 1
    assert merged.totals == [1, 0] and merged.following[0]["که"] == 1
    assert merged.totals_before == [0, 0]  # نامه‌ای opens its text
    corpus, after, before = wf.without_fold(per_fold, 2).tables(min_count=2, min_next=1)
    assert corpus == {f"تیم{Z}های": 2, "ملی": 2}
    assert after == {"": (1, 2), "که": (1, 0), "ملی": (0, 2)}
    assert before == {"": (0, 1), "و": (0, 1)}  # the second تیم‌های, after و
    assert per_fold[0].words[f"تیم{Z}های"] == 2  # merging copies: the folds are unchanged


def test_fold_of_an_article_follows_its_opening(bench):
    _, wf = bench
    text = "خبرگزاری گزارش داد که " * 20
    assert wf.fold_of(text) == wf.fold_of(text + " و پایانی دیگر")
    assert {wf.fold_of(f"متن شماره {n} از خبرها") for n in "ابپتثجچحخدذرزژس"} == set(range(wf.FOLDS))


def test_news_counts_replace_the_shipped_counts_and_restore_them(bench):
    fidelity, wf = bench
    from didgah.text.lexicon import get_lexicon
    from didgah.text.normalization import normalize

    assert normalize("تیمهای ملی") == f"تیم{Z}های ملی"  # news writes تیم‌های, not تیمهای
    glued_only = wf.Counts()
    glued_only.add("تیمهای ملی " * 10 + "تیم بزرگ " * 10)
    with wf.news_counts(glued_only):
        assert get_lexicon().corpus["تیمهای"] == 10 and f"تیم{Z}های" not in get_lexicon().corpus
        assert normalize("تیمهای ملی") == "تیمهای ملی"  # written glued, never joined: left as it is
    assert get_lexicon().corpus[f"تیم{Z}های"] > 100
    assert normalize("تیمهای ملی") == f"تیم{Z}های ملی"


def test_counts_of_fewer_other_folds(bench):
    _, wf = bench
    per_fold = [wf.Counts() for _ in range(4)]
    for k, word in enumerate(("الف", "ب", "پ", "ت")):
        per_fold[k].add(f"{word}{word} " * (k + 1))
    assert set(wf.without_fold(per_fold, 1).words) == {"الفالف", "پپ", "تت"}
    assert set(wf.without_fold(per_fold, 1, 2).words) == {"پپ", "تت"}
    assert set(wf.without_fold(per_fold, 3, 1).words) == {"الفالف"}


def test_a_verb_reading_is_not_outweighed_by_a_commoner_stem(bench):
    # counts where neither reading of دریافتهایم is written: دریافت‌هایم («my receipts») or the verb
    # دریافته‌ایم («we have received»); the stem دریافت is far commoner than the participle دریافته
    _, wf = bench
    from didgah.text.word_repairs import repair_glued_suffix

    counts = wf.Counts()
    counts.add("دریافت " * 2000 + "دریافته " * 30 + "کتاب " * 2000 + "کتابه " * 30)
    with wf.news_counts(counts):
        assert repair_glued_suffix("کتابهایم") == f"کتاب{Z}هایم"  # کتابه is no participle: the stems decide
        assert repair_glued_suffix("دریافتهایم") == f"دریافت{Z}هایم"  # nothing says دریافته is one
    counts.add(f"دریافته{Z}اند " * 5 + f"کتابه{Z}ای " * 5)
    with wf.news_counts(counts):
        assert repair_glued_suffix("دریافتهایم") == "دریافتهایم"  # news writes the verb دریافته‌اند: left
        assert repair_glued_suffix("کتابهایم") == f"کتاب{Z}هایم"


def test_a_case_drawn_twice_counts_once(bench):
    fidelity, _ = bench
    case = {"id": "a:1:keep_ambiguous:0", "kind": "keep_ambiguous", "input": "فیلم اولیهای سینما",
            "expected": "فیلم اولیهای سینما", "target": [1], "also": "فیلم اولی" + Z + "های سینما"}
    repeat = {**case, "id": "a:1:keep_ambiguous:1"}
    other_word = {**case, "id": "a:2:keep_ambiguous:0", "target": [2]}
    other_kind = {**case, "id": "a:1:harm:0", "kind": "harm", "also": None}
    assert fidelity.distinct([case, repeat, other_word, other_kind]) == [case, other_word, other_kind]
